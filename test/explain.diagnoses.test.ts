// Every diagnosis id (issue 11.3) on a log that shows it, with its evidence line; the terminal
// never receives a control character from the log; guessed inputs are marked.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSource } from '../src/platform/importers/merge.js';
import { explainSources, timingDiagnosis, type ExplainRun, type DiagnosisId } from '../src/model/explain.js';
import { readKernelLog } from '../src/platform/importers/dmesg.js';
import { explainText } from '../src/report/explainText.js';
import { explainHtml } from '../src/report/html/explainHtml.js';
import { validatePlatform } from '../src/platform/validate.js';
import { simulatePlatform } from '../src/workers/simulateRun.js';
import { getPreset } from '../src/platform/presets.js';

const FIX = new URL('fixtures/explain/', import.meta.url).pathname;
const LOGS = new URL('data/real-logs/', import.meta.url).pathname;

async function explainText_(name: string, text: string): Promise<ExplainRun> {
  return explainSources([parseSource({ file: name, text })]);
}
const explainFile = (file: string): Promise<ExplainRun> => explainText_(path.basename(file), readFileSync(file, 'utf8'));

/** fixture → the id it must produce and a pattern its evidence line must match (null: no single line). */
const CASES: [string, DiagnosisId, RegExp | null][] = [
  ['no-tdx-amd.txt', 'no-tdx-init', /AMD EPYC/],
  ['no-tdx-keyids-only.txt', 'no-tdx-init', /BIOS enabled: private KeyID range/],
  ['fail-bios-old.txt', 'bios-not-enabled', /tdx: not enabled by BIOS\.$/],
  ['fail-bios-fwbug.txt', 'bios-not-enabled', /\[Firmware Bug\]: TDX is not enabled by BIOS\.$/],
  ['fail-not-loaded.txt', 'module-not-loaded', /module not loaded$/],
  ['fail-not-loaded.txt', 'cannot-rebuild', null],
  ['fail-lpinit-msr.txt', 'seamcall-failed', /SEAMCALL \(0x0+23\) failed/],
  ['fail-seamcall-old.txt', 'seamcall-failed', /SEAMCALL failed: CPU 12: leaf 35/],
  ['fail-reserved-areas.txt', 'reserved-areas-exhausted', /reserved areas exhausted\.$/],
  ['fail-tdmrs-exhausted.txt', 'tdmrs-exhausted', /TDMRs exhausted\.$/],
  ['fail-tdx10.txt', 'module-1.0', /SEAMCALL \(0x0+22\) failed: 0xc000050500000000$/],
  ['fail-nosmt.txt', 'offline-cpus', /SEAMCALL \(0x0+2d\) failed/],
  ['fail-hibernation.txt', 'hibernation', /Hibernation support is enabled$/],
  ['fail-keyids.txt', 'too-few-keyids', /too few private KeyIDs/],
  ['truncated-cmrs.txt', 'truncated-log', /^\.\.\.$/],
  ['truncated-no-pamt.txt', 'truncated-log', /module initialized$/],
  ['truncated-no-outcome.txt', 'truncated-log', /TDX module: attributes/],
  ['partial-e820.txt', 'memory-map-partial', /BIOS-e820: \[mem 0x0000000000100000-0x000000006effffff\] usable/],
  ['cut-map.txt', 'pamt-differs', /530452 KB allocated for PAMT$/],
  ['fail-lpinit-msr.txt', 'outcome-differs', /SEAMCALL/],
];

describe('diagnosis ids', () => {
  for (const [file, id, evidence] of CASES) {
    it(`${id} (${file})`, async () => {
      const { result } = await explainFile(path.join(FIX, file));
      const d = result.diagnosis.find((x) => x.id === id);
      expect(d, result.diagnosis.map((x) => x.id).join(', ')).toBeDefined();
      if (evidence === null) expect(d!.evidence.line).toBeNull();
      else expect(d!.evidence.text).toMatch(evidence);
    });
  }

  it('seamcall-failed decodes the leaf and the status name', async () => {
    const { result } = await explainFile(path.join(FIX, 'fail-seamcall-old.txt'));
    expect(result.diagnosis.find((d) => d.id === 'seamcall-failed')!.cause).toMatch(/^TDH\.SYS\.LP\.INIT \(0x23\) returned TDX_INCORRECT_MSR_VALUE \(0xc000092100000000\)/);
  });

  it('pamt-out-of-memory and init-failed for the generic failure lines', async () => {
    const base = '[ 1.0] virt/tdx: CMR: [0x100000, 0x77800000)\n';
    const oom = await explainText_('oom', base + '[ 1.1] virt/tdx: module initialization failed (-12)\n');
    expect(oom.result.diagnosis.map((d) => d.id)).toContain('pamt-out-of-memory');
    const other = await explainText_('other', base + '[ 1.1] virt/tdx: initialization failed: something new\n');
    expect(other.result.diagnosis.map((d) => d.id)).toContain('init-failed');
  });

  it('timing-differs: a window outside the model\'s interval, and only then', () => {
    const text = readFileSync(path.join(LOGS, 'case-14.txt'), 'utf8');
    const src = { file: 'case-14.txt', log: readKernelLog(text, 'case-14.txt'), lines: text.split('\n') };
    const d = timingDiagnosis(src, 0.757866, [1.0, 2.0]);
    expect(d).toMatchObject({ id: 'timing-differs' });
    expect(d!.evidence.text).toMatch(/1050636 KB allocated for PAMT/);
    expect(d!.cause).toMatch(/faster than the model's 80% interval \[1\.000, 2\.000\] s/);
    expect(timingDiagnosis(src, 0.757866, [0.5, 1.0])).toBeNull();
    expect(timingDiagnosis(src, 0.757866, null)).toBeNull();
  });

  it('the real excerpts need no diagnosis', async () => {
    for (const f of ['case-05.txt', 'case-14.txt', 'case-15.txt']) expect((await explainFile(path.join(LOGS, f))).result.diagnosis).toEqual([]);
  });
});

describe('memory-map-partial models the CMRs beyond the cut map', () => {
  it('the 256 GiB machine, not the 1.7 GiB one; the PAMT figure then agrees', async () => {
    const run = await explainFile(path.join(FIX, 'partial-e820.txt'));
    const bytes = run.platform!.memory.reduce((t, m) => t + (m.end - m.start), 0);
    expect(bytes).toBeGreaterThan(250 * 2 ** 30);
    expect(run.result.agree.pamtKb).toBe(true);
    expect(run.result.verdict).toBe('agree');
  });
});

describe('what the text shows', () => {
  it('control characters from the log are escaped, in text and HTML', async () => {
    const run = await explainText_('evil', [
      '[ 1.0] virt/tdx: CMR: [0x100000, 0x77800000)',
      '[ 1.1] virt/tdx: initialization failed: bad \u001b[2J\u001b \u0007 luck',
    ].join('\n'));
    const text = explainText(run.result, run.context);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // Colour sequences are removed as the reader strips them; any other control character is shown escaped.
    expect(text).toContain('bad \\u001b \\u0007 luck');
    expect(explainHtml(run)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
  });

  it('guessed inputs are marked, read ones are not; the identity lines are shown', async () => {
    const run = await explainFile(path.join(LOGS, 'case-14.txt'));
    const text = explainText(run.result, run.context);
    expect(text).toMatch(/CPU model sapphirerapids,/);
    expect(text).toMatch(/packages \d+ \(GUESSED\)/);
    expect(text).toMatch(/LPs \d+ \(GUESSED\)/);
    expect(text).toMatch(/NUMA nodes 1 \(GUESSED\)/);
    expect(text).toMatch(/module 1\.5 build 698, 20240129/);
    expect(text).toMatch(/CPU Intel\(R\) Xeon\(R\) Platinum 8480CTDX, family 0x6 model 0x8f/);
    const msr = await explainFile(path.join(FIX, 'fail-lpinit-msr.txt'));
    const t2 = explainText(msr.result, msr.context);
    expect(t2).toMatch(/kernel 6\.8\.0-1007-intel/);
    expect(t2).toMatch(/packages 2, LPs 64,/);
  });
});

describe('kernel.version selects the metadata read order (mainline)', () => {
  const tdx10 = (version?: string) => validatePlatform({ ...getPreset('default'), module: { version: '1.0' }, kernel: version ? { version } : {} });
  it('6.8 reads MAX_TDMRS first: a 1.0 module refuses that field', async () => {
    const r = await simulatePlatform(tdx10('6.8.0-1007-intel'), {});
    expect(r.log.join('\n')).toMatch(/RDX 0x9100000100000008/);
  });
  it('6.14 and later (and an unknown release) read TDX_FEATURES0 first', async () => {
    for (const v of ['6.14', '6.16.3', undefined]) expect((await simulatePlatform(tdx10(v), {})).log.join('\n')).toMatch(/RDX 0x0a00000300000008/);
  });
  it('explain takes the release from the log; --kernel-version overrides it', async () => {
    const file = path.join(FIX, 'fail-tdx10.txt');
    const text = readFileSync(file, 'utf8');
    const run = await explainSources([parseSource({ file: 'tdx10', text })]);
    expect(run.platform!.kernel.version).toBe('6.8.0-1007-intel');
    expect(run.report!.log.join('\n')).toMatch(/RDX 0x9100000100000008/);
    const over = await explainSources([parseSource({ file: 'tdx10', text })], { sets: ['kernel.version="6.16"'] });
    expect(over.report!.log.join('\n')).toMatch(/RDX 0x0a00000300000008/);
  });
  it('a release written as a number is refused (6.10 would read as 6.1)', () => {
    expect(() => validatePlatform({ ...getPreset('default'), kernel: { version: 6.1 } })).toThrow(/kernel\.version: write the release as a string/);
    expect(() => validatePlatform({ ...getPreset('default'), kernel: { version: 'six' } })).toThrow(/kernel\.version/);
  });
});
