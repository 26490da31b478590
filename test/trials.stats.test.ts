// Statistics of the summary: exact when nothing is random; the log-normal's median, mean and
// p95 close to theory for a large seeded sample (fixed seed: the bounds cannot flake).
import { describe, it, expect } from 'vitest';
import type { TrialProgram } from '../src/kernels/trialProgram.js';
import { runTrials } from '../src/workers/pool.js';
import { summarize } from '../src/kernels/trials.js';

describe('trials statistics', () => {
  it('σ = 0 everywhere: every statistic of every step is the deterministic value', async () => {
    const program: TrialProgram = {
      steps: [
        { name: 'sys', ops: [{ kind: 'fixed', us: 100, sigma: 0 }] },
        { name: 'lp', ops: [{ kind: 'serial', count: 3840, fixedUs: 5, medianUs: 20, sigma: 0 }] },
        { name: 'v7', ops: [{ kind: 'parallel', count: 3840, fixedUs: 10, medianUs: 20, sigma: 0 }] },
        { name: 'tdmr', ops: [{ kind: 'tdmrs', calls: [10, 20, 1_000_000], medianUs: 9, sigma: 0, lanes: 1 }] },
      ],
    };
    const expected = [100, 3840 * 25, 30, 9 * 1_000_030];
    const r = await runTrials(program, { trials: 1001, seed: 3, workers: 1 });
    const all = [...r.steps.map((s) => s.stats), r.total];
    [...expected, expected.reduce((a, b) => a + b)].forEach((v, i) => {
      expect(all[i]).toEqual({ p50: v, p95: v, p99: v, mean: v, min: v, max: v });
    });
  });

  it('log-normal latency: median ≈ medianUs, mean ≈ m·e^{σ²/2}, p95 ≈ m·e^{1.645σ}', async () => {
    const m = 50;
    const sigma = 0.5;
    const program: TrialProgram = { steps: [{ name: 'one', ops: [{ kind: 'fixed', us: m, sigma }] }] };
    const r = await runTrials(program, { trials: 40_001, seed: 11, workers: 1 });
    const s = r.total;
    expect(Math.abs(s.p50 / m - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.mean / (m * Math.exp((sigma * sigma) / 2)) - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.p95 / (m * Math.exp(1.6448536 * sigma)) - 1)).toBeLessThan(0.05);
    expect(s.min).toBeLessThan(s.p50);
    expect(s.p99).toBeGreaterThan(s.p95);
    expect(s.max).toBeGreaterThanOrEqual(s.p99);
  });

  it('parallel broadcast is the max over LPs: grows with LP count, serial sum grows linearly', async () => {
    const op = (kind: 'serial' | 'parallel', count: number) => ({ kind, count, fixedUs: 0, medianUs: 20, sigma: 0.3 }) as const;
    const program: TrialProgram = {
      steps: [
        { name: 'p64', ops: [op('parallel', 64)] },
        { name: 'p4096', ops: [op('parallel', 4096)] },
        { name: 's1000', ops: [op('serial', 1000)] },
      ],
    };
    const r = await runTrials(program, { trials: 2000, seed: 8, workers: 1 });
    const [p64, p4096, s1000] = r.steps.map((s) => s.stats);
    expect(p4096.p50).toBeGreaterThan(p64.p50);
    // E[max of n log-normals] ≈ m·e^{σ·Φ⁻¹(1 − 1/n)}, loosely.
    expect(p4096.p50 / (20 * Math.exp(0.3 * 3.5))).toBeGreaterThan(0.85);
    expect(p4096.p50 / (20 * Math.exp(0.3 * 3.5))).toBeLessThan(1.15);
    expect(Math.abs(s1000.mean / (1000 * 20 * Math.exp(0.045)) - 1)).toBeLessThan(0.01);
  });

  it('percentiles are nearest-rank and the mean is in trial order', () => {
    const program: TrialProgram = { steps: [{ name: 'x', ops: [] }] };
    const values = new Float64Array(200);
    for (let t = 0; t < 100; t++) {
      values[2 * t] = 100 - t; // 100, 99, ..., 1
      values[2 * t + 1] = 100 - t;
    }
    const r = summarize(program, values, 100, 0);
    expect(r.total).toEqual({ p50: 50, p95: 95, p99: 99, mean: 50.5, min: 1, max: 100 });
    const one = summarize(program, Float64Array.from([7, 7]), 1, 0);
    expect(one.total).toEqual({ p50: 7, p95: 7, p99: 7, mean: 7, min: 7, max: 7 });
  });
});
