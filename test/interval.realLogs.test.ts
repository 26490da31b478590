// The 80% interval of the init window under boot-to-boot variation, on the shipped real logs.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSource } from '../src/platform/importers/merge.js';
import { explainSources } from '../src/model/explain.js';
import { windowParts, bootLn, sampleSd } from '../src/model/interval.js';
import { TDMR_INIT_BOOT_SIGMA } from '../src/model/costs.js';
import { simulatePlatform } from '../src/workers/simulateRun.js';
import { validatePlatform } from '../src/platform/validate.js';
import { getPreset } from '../src/platform/presets.js';

const LOGS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'data/real-logs');
const realLogs = readdirSync(LOGS).filter((f) => /^case-\d+\.txt$/.test(f)).sort();

const explainText = (file: string, text: string, sets: string[] = []) => explainSources([parseSource({ file, text })], { sets });
const explainReal = (f: string, sets: string[] = []) => explainText(f, readFileSync(path.join(LOGS, f), 'utf8'), sets);

describe('the window interval on every shipped real log, default parameters', () => {
  it('there are real windows to test', () => expect(realLogs.length).toBeGreaterThanOrEqual(3));
  for (const f of realLogs) {
    it(`${f}: the measured window lies inside the 80% interval, and hi/lo ≤ 2.5`, async () => {
      const { result } = await explainReal(f);
      const [lo, hi] = result.model!.windowIntervalSeconds!;
      const measured = result.log.windowSeconds!;
      console.log(`${f}: measured ${measured.toFixed(3)} s, modeled ${result.model!.windowSeconds!.toFixed(3)} s, 80% [${lo.toFixed(3)}, ${hi.toFixed(3)}] s, hi/lo ${(hi / lo).toFixed(2)}`);
      expect(measured).toBeGreaterThanOrEqual(lo);
      expect(measured).toBeLessThanOrEqual(hi);
      expect(hi / lo).toBeLessThanOrEqual(2.5);
      expect(lo).toBeLessThan(result.model!.windowSeconds!);
      expect(hi).toBeGreaterThan(result.model!.windowSeconds!);
      expect(result.agree.window).toBe(true);
      expect(result.diagnosis.some((d) => /timing differs/.test(d.cause))).toBe(false);
    });
  }

  it('the default tdmrInitBootSigma is the sample standard deviation of the real windows\' ln boot factors (its documented derivation)', async () => {
    const lns: number[] = [];
    for (const f of realLogs) {
      const run = await explainReal(f);
      lns.push(bootLn(run.result.log.windowSeconds! * 1e6, windowParts(run.report!.timeline)!));
    }
    expect(Math.abs(sampleSd(lns) - TDMR_INIT_BOOT_SIGMA)).toBeLessThanOrEqual(0.005);
  });
});

describe('explain compares the log window with the interval', () => {
  it('a 36% slower window is timing-differs, with the interval and the PAMT line as evidence', async () => {
    const text = readFileSync(path.join(LOGS, 'case-15.txt'), 'utf8');
    const slow = (10.456528 + 1.36 * 1.289656).toFixed(6);
    const { result } = await explainText('slow.txt', text.replace('[   11.746184] virt/tdx: 2101260 KB', `[   ${slow}] virt/tdx: 2101260 KB`));
    expect(result.agree.window).toBe(false);
    const d = result.diagnosis.find((x) => /^timing differs/.test(x.cause))!;
    expect(d.cause).toMatch(/slower than the model's 80% interval \[\d\.\d{3}, \d\.\d{3}\] s/);
    expect(d.evidence.text).toMatch(/2101260 KB allocated for PAMT/);
    expect(d.remedies[0]).toMatch(/tdxmodel calibrate/);
    // The PAMT and the outcome still agree: only the timing differs.
    expect(result.agree.pamtKb).toBe(true);
  });

  it('a wider σ (--set costs.tdmrInitBootSigma) widens the interval around the same model window', async () => {
    const narrow = (await explainReal('case-14.txt')).result.model!;
    const wide = (await explainReal('case-14.txt', ['costs.tdmrInitBootSigma=0.35'])).result.model!;
    expect(wide.windowSeconds).toBe(narrow.windowSeconds);
    expect(wide.windowIntervalSeconds![0]).toBeLessThan(narrow.windowIntervalSeconds![0]);
    expect(wide.windowIntervalSeconds![1]).toBeGreaterThan(narrow.windowIntervalSeconds![1]);
  });
});

describe('simulate intervals', () => {
  const platform = validatePlatform(getPreset('default'));

  it('σ = 0 collapses both intervals to the modeled point', async () => {
    const r = await simulatePlatform(platform, { costOverrides: { tdmrInitBootSigma: 0 } });
    expect(r.intervals.initUs).toEqual([r.totals.initUs, r.totals.initUs]);
    expect(r.intervals.windowUs![0]).toBe(r.intervals.windowUs![1]);
  });

  it('the analytic quantile is what the trials kernel draws: p95 of 4000 trials within 1% of rest + TDMR.INIT × e^{1.645σ}', async () => {
    const r = await simulatePlatform(platform, { trials: 4000, seed: 5, workers: 1 });
    const sigma = TDMR_INIT_BOOT_SIGMA;
    const t = r.totals.tdmrInitUs;
    const rest = r.totals.initUs - t;
    const p95 = rest + t * Math.exp(1.6448536269514722 * sigma);
    expect(Math.abs(r.trials!.total.p95 - p95) / p95).toBeLessThan(0.01);
    // The 80% interval is the trials' 10th–90th percentile band: p50 inside it, p95 above it.
    const [lo, hi] = r.intervals.initUs;
    expect(r.trials!.total.p50).toBeGreaterThan(lo);
    expect(r.trials!.total.p50).toBeLessThan(hi);
    expect(r.trials!.total.p95).toBeGreaterThan(hi);
  });

  it('per-call noise moves the TDMR.INIT phase to its mean, e^{σ²/2}, and the boot band stays around it', async () => {
    const base = await simulatePlatform(platform, {});
    const noisy = await simulatePlatform(platform, { costOverrides: { tdmrInitSigma: 0.3 } });
    const t = base.totals.tdmrInitUs;
    const rest = base.totals.initUs - t;
    const z = 1.2815515655446004 * TDMR_INIT_BOOT_SIGMA;
    const mean = t * Math.exp(0.3 ** 2 / 2);
    expect(noisy.intervals.initUs[0]).toBeCloseTo(rest + mean * Math.exp(-z), 2);
    expect(noisy.intervals.initUs[1]).toBeCloseTo(rest + mean * Math.exp(z), 2);
  });
});
