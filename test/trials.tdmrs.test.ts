// 'tdmrs' op: greedy list scheduling in TDMR index order (not longest-first), and the normal
// approximation of a TDMR's time above 64 calls.
import { describe, it, expect } from 'vitest';
import type { TrialProgram } from '../src/kernels/trialProgram.js';
import { runTrialsWasm } from '../src/kernels/trials.js';
import { runTrialsReference } from '../src/reference/trials.js';

function makespan(calls: number[], lanes: number, medianUs = 1): number {
  const program: TrialProgram = { steps: [{ name: 't', ops: [{ kind: 'tdmrs', calls, medianUs, sigma: 0, lanes }] }] };
  const wasm = runTrialsWasm(program, 1, 0, 1);
  expect(Array.from(runTrialsReference(program, 1, 0, 1))).toEqual(Array.from(wasm));
  return wasm[0];
}

describe("'tdmrs' scheduling", () => {
  it('lanes = 2 with known calls and σ = 0 gives the exact greedy makespan', () => {
    // 10→L0; 4→L1 (4); 3→L1 (7); 8→L1 (15); 2→L0 (12): makespan 15.
    expect(makespan([10, 4, 3, 8, 2], 2)).toBe(15);
    // Index order, ties to the lowest lane: 2→L0, 2→L1, 4→L0 → 6 (longest-first would give 4).
    expect(makespan([2, 2, 4], 2)).toBe(6);
    expect(makespan([5, 5, 5, 5], 3)).toBe(10);
  });

  it('lanes = 1 is the serial sum; lanes ≥ TDMRs is the longest TDMR', () => {
    expect(makespan([10, 4, 3, 8, 2], 1, 9)).toBe(27 * 9);
    expect(makespan([10, 4, 3, 8, 2], 5)).toBe(10);
    expect(makespan([10, 4, 3, 8, 2], 1000)).toBe(10);
    expect(makespan([], 4)).toBe(0);
    expect(makespan([0, 0], 1)).toBe(0);
  });

  it('above 64 calls the time is one normal draw with the sum of log-normals mean and spread', () => {
    const n = 1_000_000;
    const m = 9;
    const sigma = 0.3;
    const program: TrialProgram = { steps: [{ name: 't', ops: [{ kind: 'tdmrs', calls: [n], medianUs: m, sigma, lanes: 1 }] }] };
    const trials = 20_000;
    const v = runTrialsWasm(program, 5, 0, trials);
    let sum = 0;
    let sq = 0;
    for (let t = 0; t < trials; t++) {
      sum += v[2 * t];
      sq += v[2 * t] ** 2;
    }
    const mean = sum / trials;
    const sd = Math.sqrt(sq / trials - mean * mean);
    const e2 = Math.exp(sigma * sigma);
    expect(Math.abs(mean / (n * m * Math.exp((sigma * sigma) / 2)) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(sd / (m * Math.sqrt(n * (e2 - 1) * e2)) - 1)).toBeLessThan(0.03);
  });

  it('64 exact calls and 65 approximated calls have consistent means', () => {
    const trials = 20_000;
    const mean = (calls: number) => {
      const program: TrialProgram = { steps: [{ name: 't', ops: [{ kind: 'tdmrs', calls: [calls], medianUs: 9, sigma: 0.4, lanes: 1 }] }] };
      const v = runTrialsWasm(program, 6, 0, trials);
      let s = 0;
      for (let t = 0; t < trials; t++) s += v[2 * t];
      return s / trials / calls;
    };
    expect(Math.abs(mean(64) / mean(65) - 1)).toBeLessThan(0.01);
    expect(Math.abs(mean(65) / (9 * Math.exp(0.08)) - 1)).toBeLessThan(0.01);
  });
});
