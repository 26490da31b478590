// Texts holding several boots (issue 11.2, issue 13.8): where a boot starts, which one is read,
// and that facts of two boots never mix.
import { describe, it, expect } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logLines, splitBoots, selectBoot, readKernelLog } from '../src/platform/importers/dmesg.js';
import { importSources } from '../src/platform/importers/merge.js';
import { runCli } from './helpers/cli.js';

const FIX = new URL('fixtures/explain/', import.meta.url).pathname;
const LOGS = new URL('data/real-logs/', import.meta.url).pathname;
const boots = (text: string) => splitBoots(logLines(text).lines);
const firstLines = (text: string): number[] => boots(text).map((b) => b.firstLine);

const OK = [
  '[    8.366488] virt/tdx: CMR: [0x100000, 0x77800000)',
  '[    8.366490] virt/tdx: CMR: [0x100000000, 0x206e000000)',
  '[    9.124357] virt/tdx: 525320 KB allocated for PAMT',
  '[    9.124363] virt/tdx: module initialized',
];

describe('boot boundaries', () => {
  it('one boot: the whole text', () => {
    const b = boots(readFileSync(path.join(LOGS, 'case-14.txt'), 'utf8'));
    expect(b).toHaveLength(1);
    expect(b[0].reason).toBe('start of the text');
  });

  it('a journal "-- Boot … --" line', () => {
    expect(firstLines(['[ 1.0] a', '-- Boot 0123abcd --', '[ 2.0] b'].join('\n'))).toEqual([1, 2]);
    expect(boots(['[ 1.0] a', '-- Reboot --', '[ 2.0] b'].join('\n'))[1].reason).toMatch(/journal boot line/);
  });

  it('a "Linux version" line after content, but not one that opens the text or follows a boot line', () => {
    const text = ['[ 0.0] Linux version 6.8.0 (x)', '[ 5.0] a', '-- Boot 01 --', '[ 0.0] Linux version 6.8.0 (x)', '[ 7.0] b', '[ 0.0] Linux version 6.9.0 (x)'].join('\n');
    expect(firstLines(text)).toEqual([1, 3, 6]);
  });

  it('timestamps going back by more than a second', () => {
    expect(firstLines([...OK, ...OK].join('\n'))).toEqual([1, 5]);
    // Racing CPUs put a line a few microseconds early: not a new boot.
    expect(firstLines(['[ 5.000010] a', '[ 5.000002] b', '[ 5.1] c'].join('\n'))).toEqual([1]);
  });

  it('a second "BIOS enabled" KeyID line (dmesg | grep tdx of two boots, no stamps)', () => {
    const one = ['virt/tdx: BIOS enabled: private KeyID range [32, 64)', 'virt/tdx: module not loaded'];
    expect(firstLines([...one, ...one].join('\n'))).toEqual([1, 3]);
  });

  it('a new CMR list after a finished init starts at the first TDX line after the outcome', () => {
    const strip = (l: string) => l.replace(/^\[[^\]]*\] /, '');
    const text = [...OK, 'virt/tdx: TDX module version: 1.5.24', ...OK].map(strip).join('\n');
    const b = boots(text);
    expect(b.map((x) => x.firstLine)).toEqual([1, 5]);
    expect(b[1].reason).toMatch(/new TDX initialization after a finished or failed one \(line 5\)/);
  });

  it('a new CMR list after a failed init', () => {
    const text = [
      'virt/tdx: CMR: [0x100000, 0x80000000)',
      'virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.',
      'virt/tdx: module initialization failed (-28)',
      ...OK.map((l) => l.replace(/^\[[^\]]*\] /, '')),
    ].join('\n');
    expect(firstLines(text)).toEqual([1, 4]);
  });
});

describe('choosing a boot', () => {
  const text = [...OK, ...OK, ...OK].join('\n');
  const b = boots(text);
  it('the last by default', () => expect(selectBoot(b, undefined, 'x').index).toBe(3));
  it('1-based from the start, negative from the end', () => {
    expect(selectBoot(b, 1, 'x').index).toBe(1);
    expect(selectBoot(b, -1, 'x').index).toBe(3);
    expect(selectBoot(b, -3, 'x').index).toBe(1);
  });
  it('out of range is a usage error naming the count', () => {
    for (const n of [0, 4, -4]) expect(() => selectBoot(b, n, 'x')).toThrow(/--boot .*holds 3 boot\(s\)/);
  });
  it('the log reports which boot it read', () => {
    expect(readKernelLog(text, 'x', { boot: 2 }).boot).toMatchObject({ used: 2, count: 3, firstLine: 5, lastLine: 8 });
  });
});

describe('import never mixes boots (issue 13.8)', () => {
  it('two concatenated boots: only the last boot\'s CMRs, and a warning saying so', () => {
    const first = ['[ 1.0] virt/tdx: CMR: [0x100000, 0x77800000)', '[ 1.1] virt/tdx: CMR: [0x100000000, 0x1080000000)', '[ 2.0] virt/tdx: 8212 KB allocated for PAMT'];
    const second = readFileSync(path.join(LOGS, 'case-15.txt'), 'utf8');
    const r = importSources([{ file: 'two.txt', text: first.join('\n') + '\n' + second }]);
    expect(r.document.cmrs).toEqual([
      { start: '0x100000', end: '0x77800000' }, { start: '0x100000000', end: '0x406e000000' }, { start: '0x4080000000', end: '0x8070000000' },
    ]);
    expect(r.warnings.some((w) => /2 boots in the text; boot 2 \(the last\) is used/.test(w))).toBe(true);
    const r1 = importSources([{ file: 'two.txt', text: first.join('\n') + '\n' + second }], { boot: 1 });
    expect(r1.document.cmrs).toHaveLength(2);
  });
});

describe('--boot on the command line', () => {
  const journal = path.join(FIX, 'two-boots-journal.txt');
  it('explain reads the last boot and says so; --boot 1 reads the failed one', () => {
    const last = JSON.parse(runCli(['explain', journal, '--format', 'json']).stdout);
    expect(last.log.boot).toEqual({ used: 2, count: 2 });
    expect(last.log.kernel).toBe('6.8.0-1008-intel');
    const text = runCli(['explain', journal]).stdout;
    expect(text).toMatch(/boot 2 of 2 \(the last\)/);
    const first = JSON.parse(runCli(['explain', journal, '--format', 'json', '--boot', '1']).stdout);
    expect(first.log.boot).toEqual({ used: 1, count: 2 });
    expect(first.diagnosis.map((d: { id: string }) => d.id)).toContain('reserved-areas-exhausted');
  });

  it('import: warnings on standard error, one document on standard output', () => {
    const r = runCli(['import', journal, '--boot', '-1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kernel.version).toBe('6.8.0-1008-intel');
    expect(r.stderr).toMatch(/^tdxmodel import: warning: .*2 boots in the text/m);
  });

  it('calibrate reads one boot per log and says which', () => {
    const r = runCli(['calibrate', journal]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/boot 2 of 2 used/);
  });

  it('a bad --boot is one line, exit 2', () => {
    for (const args of [['explain', journal, '--boot', '3'], ['import', journal, '--boot', 'x'], ['calibrate', journal, '--boot', '0']]) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a file that is only journal notes is a log with no TDX initialization', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-boots-'));
    const f = path.join(dir, 'empty.txt');
    writeFileSync(f, '-- No entries --\n');
    const j = JSON.parse(runCli(['explain', f, '--format', 'json']).stdout);
    expect(j.verdict).toBe('no-tdx-init');
  });
});
