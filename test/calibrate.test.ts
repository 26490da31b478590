// calibrate fits the model explain and simulate run, robustly, and says what it could not use.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKernelLog } from '../src/platform/importers/dmesg.js';
import { calibrate, type CalibrationLogInput } from '../src/model/calibrate.js';
import { explainSources } from '../src/model/explain.js';
import { calibrationSets } from '../src/report/calibrateText.js';
import { runCli } from './helpers/cli.js';

const LOGS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'data/real-logs');
const CASES = ['case-05.txt', 'case-14.txt', 'case-15.txt'];

function fromText(source: string, text: string): CalibrationLogInput {
  return { source, log: readKernelLog(text, source), lines: text.split('\n') };
}
const real = (f: string): CalibrationLogInput => fromText(f, readFileSync(path.join(LOGS, f), 'utf8'));

/** The window explain models for a log under `sets` (seconds). */
async function explainedWindow(input: CalibrationLogInput, sets: string[]): Promise<number> {
  const run = await explainSources([{ kind: 'dmesg', file: input.source, log: input.log, lines: input.lines ?? [] }], { sets });
  return run.result.model!.windowSeconds!;
}

/** `--set a=b --set c=d` → ['a=b', 'c=d']. */
const setsOf = (line: string): string[] => line.split(/\s*--set\s+/).filter(Boolean);

/** case-05 again, with its PAMT line moved so the window is `seconds` (another boot of one layout). */
function case05Boot(seconds: number): CalibrationLogInput {
  const text = readFileSync(path.join(LOGS, 'case-05.txt'), 'utf8');
  const at = (15.960884 + seconds).toFixed(6);
  const done = (15.960884 + seconds + 0.000004).toFixed(6);
  // The success line moves with the PAMT line: a timestamp going back would start a new boot.
  return fromText(`case-05-${seconds}s`, text
    .replace('[   18.149996] tdx: 4202516 KBs', `[   ${at}] tdx: 4202516 KBs`)
    .replace('[   18.150000] tdx: module initialized.', `[   ${done}] tdx: module initialized.`));
}

describe('calibrate on the real logs', () => {
  it('uses all three windows, fits by Theil–Sen and lands tdmrInitCallUs in the plausible 3–20 µs band', async () => {
    const r = await calibrate(CASES.map(real));
    expect(r.skipped).toEqual([]);
    expect(r.method).toBe('theil-sen');
    expect(r.logs.map((l) => l.calls)).toEqual([262144, 65536, 131072]);
    expect(r.logs.map((l) => l.observedWindowUs)).toEqual([2189112, 757866, 1289656]);
    expect(r.params!.tdmrInitCallUs).toBeGreaterThan(3);
    expect(r.params!.tdmrInitCallUs).toBeLessThan(20);
    expect(r.params!.fixedOverheadUs).toBeGreaterThanOrEqual(0);
  });

  it('subtracts the modeled rest of the window (allocation, CONFIG, WBINVD, KEY.CONFIG) instead of fitting it away', async () => {
    const r = await calibrate(CASES.map(real));
    for (const l of r.logs) {
      expect(l.restUs).toBeGreaterThan(0);
      expect(l.fittedWindowUs).toBeCloseTo(l.restUs + r.params!.fixedOverheadUs + l.phaseCalls * r.params!.tdmrInitCallUs, -1);
    }
    // PAMT allocation at 20 GB/s of 4.0 GiB is ≈ 215 ms of the 1 TiB host's rest.
    expect(r.logs[0].restUs).toBeGreaterThan(200_000);
  });

  it('prints each log residual and the --set line', () => {
    const r = runCli(['calibrate', ...CASES.map((f) => path.join(LOGS, f))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/residual/);
    for (const f of CASES) expect(r.stdout).toMatch(new RegExp(`${f}.*[+-]\\d+\\.\\d\\d%`));
    expect(r.stdout).toMatch(/use: --set costs\.tdmrInitCallUs=[\d.]+ --set costs\.fixedOverheadUs=\d+/);
  });

  it('reproduces PAMT from the rebuilt platform in every case', async () => {
    const r = await calibrate(CASES.map(real));
    expect(r.logs.map((l) => [l.modelPamtKb, l.printedPamtKb])).toEqual([[4202516, 4202516], [1050636, 1050636], [2101260, 2101260]]);
  });
});

describe('the calibration round trip', () => {
  it('its printed --set line makes explain model each calibration log\'s fitted window to within 0.5%', async () => {
    const inputs = CASES.map(real);
    const r = await calibrate(inputs);
    const sets = setsOf(calibrationSets(r.params!));
    expect(sets).toHaveLength(2);
    for (const [i, l] of r.logs.entries()) {
      const modeled = await explainedWindow(inputs[i], sets.map((s) => s));
      expect(Math.abs(modeled * 1e6 - l.fittedWindowUs) / l.fittedWindowUs, l.source).toBeLessThan(0.005);
    }
  });

  it('the same through the command line: calibrate, then explain with its --set line', () => {
    const files = CASES.map((f) => path.join(LOGS, f));
    const j = JSON.parse(runCli(['calibrate', ...files, '--format', 'json']).stdout);
    const sets = setsOf(calibrationSets(j.params)).flatMap((s) => ['--set', s]);
    for (const [i, f] of files.entries()) {
      const e = JSON.parse(runCli(['explain', f, ...sets, '--format', 'json']).stdout);
      expect(Math.abs(e.model.windowSeconds * 1e6 - j.logs[i].fittedWindowUs) / j.logs[i].fittedWindowUs).toBeLessThan(0.005);
    }
  });
});

describe('what calibrate will not count', () => {
  it('a file given twice counts once, by content (another name for the same text too)', async () => {
    const a = real('case-14.txt');
    const r = await calibrate([a, real('case-15.txt'), a, { ...a, source: 'copy-of-14.txt' }]);
    expect(r.logs.map((l) => l.source)).toEqual(['case-14.txt', 'case-15.txt']);
    expect(r.skipped).toEqual([
      { source: 'case-14.txt', reason: 'same content as case-14.txt: counted once' },
      { source: 'copy-of-14.txt', reason: 'same content as case-14.txt: counted once' },
    ]);
  });

  it('on the command line, the same file twice gives the fit of one', () => {
    const f = path.join(LOGS, 'case-14.txt');
    const once = JSON.parse(runCli(['calibrate', f, '--format', 'json']).stdout);
    const twice = JSON.parse(runCli(['calibrate', f, f, '--format', 'json']).stdout);
    expect(twice.params).toEqual(once.params);
    expect(twice.logs).toHaveLength(1);
  });

  it('nothing to fit is exit 2 with one line naming each log and why', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const r = runCli(['calibrate', path.join(dir, 'calibrate.test.ts')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/calibrate: nothing to fit: .*calibrate\.test\.ts: /);
  });

  it('a window shorter than the modeled rest of it is skipped: it leaves no time for TDMR.INIT', async () => {
    const text = readFileSync(path.join(LOGS, 'case-14.txt'), 'utf8').replace('[    9.124357] virt/tdx: 1050636 KB', '[    8.376491] virt/tdx: 1050636 KB');
    const r = await calibrate([fromText('too-fast.txt', text), real('case-15.txt')]);
    expect(r.logs.map((l) => l.source)).toEqual(['case-15.txt']);
    expect(r.skipped[0].source).toBe('too-fast.txt');
    expect(r.skipped[0].reason).toMatch(/no longer than the modeled rest .* no time for TDMR\.INIT/);
  });

  it('an unknown --policy is a usage error before any log is modeled', async () => {
    await expect(calibrate(CASES.map(real), { policy: 'no-such-policy' })).rejects.toThrow(/unknown policy "no-such-policy"/);
  });

  it('two logs determine the line exactly, and the notes say their residuals mean nothing', async () => {
    const r = await calibrate([real('case-14.txt'), real('case-05.txt')]);
    expect(r.method).toBe('theil-sen');
    for (const l of r.logs) expect(Math.abs(l.residualPct)).toBeLessThan(0.01);
    expect(r.notes.join(' ')).toMatch(/two logs determine the line exactly/);
    expect(r.bootSigmaEstimate).toBeNull();
  });

  it('skips logs without a window or a PAMT line, with the reason', async () => {
    const r = await calibrate([
      fromText('nostamp', 'virt/tdx: CMR: [0x100000, 0x77800000)\nvirt/tdx: 8212 KB allocated for PAMT'),
      fromText('failed', '[ 1.0] virt/tdx: CMR: [0x100000, 0x77800000)\n[ 2.0] virt/tdx: module initialization failed (-28)'),
    ]);
    expect(r.method).toBe('none');
    expect(r.params).toBeNull();
    expect(r.skipped.map((s) => s.source)).toEqual(['nostamp', 'failed']);
    expect(r.skipped[0].reason).toMatch(/timestamp/);
    expect(r.skipped[1].reason).toMatch(/PAMT/);
  });
});

describe('robustness to an outlier boot', () => {
  it('a second boot of case-05 twice as slow (4.04 s against 2.19 s) moves the fit little, and is named in a warning', async () => {
    const base = await calibrate(CASES.map(real));
    const withSlow = await calibrate([...CASES.map(real), case05Boot(4.04)]);
    expect(withSlow.logs).toHaveLength(4);
    // Predicted window of the case-05 layout, with and without the slow boot.
    const at = (r: typeof base) => r.logs[0].fittedWindowUs;
    expect(Math.abs(at(withSlow) - at(base)) / at(base)).toBeLessThan(0.1);
    const slow = withSlow.logs.find((l) => l.source === 'case-05-4.04s')!;
    expect(slow.residualPct).toBeGreaterThan(50);
    expect(withSlow.warnings.join(' ')).toMatch(/large spread: .*case-05-4\.04s/);
    expect(base.warnings).toEqual([]);
  });
});

describe('left-one-out over the real windows: calibrated model against a seconds-per-TiB line', () => {
  it('is at least as good on the median and on the worst case', async () => {
    const inputs = CASES.map(real);
    const tib = (i: CalibrationLogInput) => i.log.cmrs.reduce((a, c) => a + c.end - c.start, 0) / 2 ** 40;
    const seconds = (i: CalibrationLogInput) => (i.log.pamt!.time! - i.log.cmrs[i.log.cmrs.length - 1].time!);
    const model: number[] = [];
    const line: number[] = [];
    for (let k = 0; k < inputs.length; k++) {
      const train = inputs.filter((_, i) => i !== k);
      const out = inputs[k];
      const fit = await calibrate(train);
      const predicted = await explainedWindow(out, setsOf(calibrationSets(fit.params!)));
      // The baseline: least squares through the origin, seconds = s × TiB of CMRs.
      const s = train.reduce((a, i) => a + seconds(i) * tib(i), 0) / train.reduce((a, i) => a + tib(i) ** 2, 0);
      model.push(Math.abs(predicted - seconds(out)) / seconds(out));
      line.push(Math.abs(s * tib(out) - seconds(out)) / seconds(out));
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    console.log(`left-one-out |error| per log (${CASES.join(', ')}): calibrated ${model.map((x) => (100 * x).toFixed(1) + '%').join(', ')}; s/TiB line ${line.map((x) => (100 * x).toFixed(1) + '%').join(', ')}`);
    expect(med(model)).toBeLessThanOrEqual(med(line));
    expect(Math.max(...model)).toBeLessThanOrEqual(Math.max(...line));
  });
});
