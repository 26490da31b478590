import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKernelLog, timingWindow } from '../src/platform/importers/dmesg.js';

const LOGS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'data/real-logs');
const files = readdirSync(LOGS).filter((f) => /^case-.*\.txt$/.test(f)).sort();

/**
 * Read off each file by hand (the header and the lines themselves):
 * case-05: 5 CMR lines, "4202516 KBs allocated for PAMT.", window 18.149996 − 15.960884;
 * case-14: 3 CMR lines, 1050636 KB, window 9.124357 − 8.366491;
 * case-15: 3 CMR lines, 2101260 KB, window 11.746184 − 10.456528.
 */
const HAND: Record<string, { cmrs: number; pamtKb: number; window: number; keyids: [number, number]; version: string; build: number }> = {
  'case-05.txt': { cmrs: 5, pamtKb: 4202516, window: 2.189112, keyids: [15, 16], version: '1.5', build: 481 },
  'case-14.txt': { cmrs: 3, pamtKb: 1050636, window: 0.757866, keyids: [63, 64], version: '1.5', build: 698 },
  'case-15.txt': { cmrs: 3, pamtKb: 2101260, window: 1.289656, keyids: [31, 32], version: '1.5', build: 698 },
};

describe('readKernelLog on the real logs', () => {
  it('finds the real logs', () => expect(files.length).toBeGreaterThanOrEqual(3));

  for (const f of files) {
    it(f, () => {
      const text = readFileSync(path.join(LOGS, f), 'utf8');
      const log = readKernelLog(text, f);
      // Every file's header states the printed PAMT and the window ends: check against them.
      const header = /PAMT printed: (\d+) KBs?\. Init window: ([\d.]+) \(last CMR\) -> ([\d.]+) \(PAMT\)/.exec(text);
      if (header) {
        expect(log.pamt?.kb).toBe(Number(header[1]));
        expect(log.cmrs.at(-1)?.time).toBe(Number(header[2]));
        expect(log.pamt?.time).toBe(Number(header[3]));
      }
      expect(log.initialized).toBeDefined();
      expect(log.failures).toEqual([]);
      const hand = HAND[f];
      if (!hand) return;
      expect(log.cmrs.length).toBe(hand.cmrs);
      expect(log.pamt?.kb).toBe(hand.pamtKb);
      expect(timingWindow(log)?.seconds).toBe(hand.window);
      expect([log.keyids?.mktme, log.keyids?.tdx]).toEqual(hand.keyids);
      expect(log.module?.version).toBe(hand.version);
      expect(log.module?.build).toBe(hand.build);
      expect(log.module?.format).toBe('attributes');
      // Line numbers point at the lines themselves.
      const lines = text.split(/\r?\n/);
      for (const c of log.cmrs) expect(lines[c.line - 1]).toContain(`CMR: [0x${c.start.toString(16)}, 0x${c.end.toString(16)})`);
      expect(lines[log.pamt!.line - 1]).toContain(`${hand.pamtKb} KB`);
    });
  }

  it('case-05: CMR values and the old "tdx:" prefix', () => {
    const log = readKernelLog(readFileSync(path.join(LOGS, 'case-05.txt'), 'utf8'), 'case-05');
    expect(log.cmrs.map((c) => [c.start, c.end])).toEqual([
      [0x100000, 0x77800000], [0x100000000, 0x407a000000], [0x4080000000, 0x807c000000],
      [0x8080000000, 0xc07c000000], [0xc080000000, 0x1007c000000],
    ]);
    expect(log.initialized?.text).toBe('module initialized.');
  });

  it('case-14: CPU model line', () => {
    const log = readKernelLog(readFileSync(path.join(LOGS, 'case-14.txt'), 'utf8'), 'case-14');
    expect(log.cpuModel).toMatchObject({ name: 'Intel(R) Xeon(R) Platinum 8480CTDX', family: 6, model: 0x8f, stepping: 8 });
  });
});

describe('readKernelLog formats', () => {
  it('journal prefixes, CRLF, BOM, cut lines, unknown lines', () => {
    const text = '\ufeff' + [
      'Nov 21 10:00:00 host kernel: [    2.605559] virt/tdx: BIOS enabled: private KeyID range [32, 64)',
      '2024-11-21T10:00:08+0000 host kernel: virt/tdx: CMR: [0x100000, 0x77800000)',
      '...',
      'Nov 21 10:00:09 host kernel: [   10.456528] virt/tdx: CMR: [0x100000000, ...',
      'Nov 21 10:00:09 host kernel: something else entirely',
      '<6>[   11.746184] virt/tdx: 2101260 KB allocated for PAMT',
      '[   11.746190] virt/tdx: module initialized',
    ].join('\r\n');
    const log = readKernelLog(text, 'j');
    expect(log.keyids).toMatchObject({ first: 32, end: 64, mktme: 31, tdx: 32, line: 1, time: 2.605559 });
    expect(log.cmrs).toEqual([{ line: 2, start: 0x100000, end: 0x77800000 }]);
    expect(log.pamt).toEqual({ line: 6, time: 11.746184, kb: 2101260 });
    expect(log.initialized).toMatchObject({ line: 7, text: 'module initialized' });
    expect(log.notes.some((n) => n.startsWith('line 4:'))).toBe(true);
    expect(log.tdxLines.length).toBe(5);
    // No timestamp on the CMR line: no window.
    expect(timingWindow(log)).toBeUndefined();
  });

  it('every PAMT and success variant', () => {
    for (const [line, kb] of [['tdx: 4202516 KBs allocated for PAMT.', 4202516], ['virt/tdx: 12 KBs allocated for PAMT', 12], ['virt/tdx: 7 KB allocated for PAMT', 7]] as const) {
      expect(readKernelLog(line, 's').pamt?.kb).toBe(kb);
    }
    for (const line of ['virt/tdx: module initialized', 'tdx: module initialized.', 'virt/tdx: TDX-Module initialized', '[    3.1] TDX-Module initialized']) {
      expect(readKernelLog(line, 's').initialized, line).toBeDefined();
    }
  });

  it('the three module identity formats', () => {
    const a = readKernelLog('virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date 20240129, build_num 698', 's').module;
    expect(a).toMatchObject({ version: '1.5', major: 1, minor: 5, build: 698, buildDate: '20240129', format: 'attributes' });
    const b = readKernelLog('[ 1.0] virt/tdx: TDX module 2.0.08.00, build number 882, build date 0134fed5', 's').module;
    expect(b).toMatchObject({ version: '2.0.08', printedVersion: '2.0.08.00', build: 882, buildDate: '0134fed5', format: 'version-build', time: 1 });
    const c = readKernelLog('virt/tdx: TDX module version: 1.5.24', 's').module;
    expect(c).toMatchObject({ version: '1.5.24', format: 'version' });
  });

  it('failure lines', () => {
    const log = readKernelLog([
      '[ 9.1] virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.',
      '[ 9.2] virt/tdx: module initialization failed (-28)',
      '[ 9.3] virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000',
      '[ 9.4] virt/tdx: module not loaded',
      '[ 9.5] virt/tdx: initialization failed: Hibernation support is enabled',
      '[ 9.6] virt/tdx: initialization failed: TDMRs exhausted.',
      '[ 9.7] virt/tdx: consumed TDMRs reaching limit: 62 used out of 64',
    ].join('\n'), 'f');
    expect(log.failures.map((f) => f.kind)).toEqual(['reserved-areas-exhausted', 'module-init-failed', 'seamcall', 'not-loaded', 'hibernation', 'tdmrs-exhausted']);
    expect(log.failures[0].tdmr).toEqual({ start: 0, end: 0x80000000 });
    expect(log.failures[1].errno).toBe(-28);
    expect(log.failures[2]).toMatchObject({ leaf: 0x22, status: '0xc000050500000000', line: 3, time: 9.3 });
    expect(log.tdmrsReachingLimit).toMatchObject({ used: 62, max: 64 });
    expect(log.initialized).toBeUndefined();
  });

  it('e820, memblock node ranges (inclusive ends made half-open), SRAT and CPU counts', () => {
    const log = readKernelLog([
      '[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable',
      '[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000005d168fff] usable',
      '[    0.000000] BIOS-e820: [mem 0x000000005d169000-0x000000006dffefff] reserved',
      '[    0.010000] ACPI: SRAT: Node 1 PXM 1 [mem 0x2080000000-0x407fffffff]',
      '[    0.020000]   node   0: [mem 0x0000000000001000-0x000000000009efff]',
      '[    0.020000]   node   1: [mem 0x0000002080000000-0x000000406fffffff]',
      '[    0.030000] smpboot: Allowing 224 CPUs, 0 hotplug CPUs',
      '[    0.040000] smp: Brought up 2 nodes, 224 CPUs',
      '[    0.000000] Command line: BOOT_IMAGE=/vmlinuz kvm_intel.tdx=1 nohibernate',
    ].join('\n'), 'm');
    expect(log.e820.map((e) => [e.start, e.end, e.type])).toEqual([[0, 0x9f000, 'usable'], [0x100000, 0x5d169000, 'usable'], [0x5d169000, 0x6dfff000, 'reserved']]);
    expect(log.memblock.map((m) => [m.node, m.start, m.end, m.line])).toEqual([[0, 0x1000, 0x9f000, 5], [1, 0x2080000000, 0x4070000000, 6]]);
    expect(log.srat[0]).toMatchObject({ node: 1, pxm: 1, start: 0x2080000000, end: 0x4080000000, hotplug: false });
    expect(log.allowingCpus).toMatchObject({ cpus: 224, hotplug: 0, line: 7 });
    expect(log.broughtUp).toMatchObject({ nodes: 2, cpus: 224 });
    expect(log.commandLine?.text).toContain('nohibernate');
  });

  it('a header line that mentions tdx: is not a TDX line', () => {
    const log = readKernelLog('# kernel prints "tdx: 5 KBs allocated for PAMT." here\n', 'h');
    expect(log.pamt).toBeUndefined();
    expect(log.tdxLines).toEqual([]);
  });

  // Changed on purpose (issue 11.2): two boots in one text are split, and the last is read.
  it('a second boot in the same text is read on its own, the last by default', () => {
    const boot = ['[ 1.0] virt/tdx: CMR: [0x100000, 0x77800000)', '[ 2.0] virt/tdx: 8212 KB allocated for PAMT'];
    const log = readKernelLog([...boot, ...boot].join('\n'), 'two');
    expect(log.boot).toMatchObject({ used: 2, count: 2, firstLine: 3 });
    expect(log.cmrs.map((c) => c.line)).toEqual([3]);
    expect(log.pamt?.line).toBe(4);
    expect(readKernelLog([...boot, ...boot].join('\n'), 'two', { boot: 1 }).pamt?.line).toBe(2);
  });
});

describe('readKernelLog timestamp styles', () => {
  it('keeps seconds from plain and delta stamps, drops wall-clock ones', () => {
    const log = readKernelLog([
      '[    8.366483 <    0.000005>] virt/tdx: CMR: [0x100000, 0x77800000)',
      '[Thu Nov 21 10:00:00 2024] virt/tdx: 8212 KB allocated for PAMT',
      '[  +0.000004] virt/tdx: module initialized',
    ].join('\n'), 't');
    expect(log.cmrs[0].time).toBe(8.366483);
    expect(log.pamt).toEqual({ line: 2, kb: 8212 });
    expect(log.initialized).toEqual({ line: 3, text: 'module initialized' });
  });
});
