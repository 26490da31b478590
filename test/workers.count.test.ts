// The default worker count: chosen from the amount of work, never more than the machine runs.
import { describe, expect, it } from 'vitest';
import { chooseWorkers, sweepWorkers, SWEEP_MS_PER_WORKER, SWEEP_ROW_US, SWEEP_RETIMED_ROW_US } from '../src/workers/chunkPool.js';
import { trialWorkers, TRIAL_DRAWS_PER_MS, TRIAL_MS_PER_WORKER } from '../src/workers/pool.js';
import type { TrialProgram } from '../src/kernels/trialProgram.js';

const lpInit = (lps: number, sigma: number): TrialProgram => ({
  steps: [{ name: 'lp-init', ops: [{ kind: 'serial', count: lps, fixedUs: 5, medianUs: 20, sigma }] }],
});

describe('chooseWorkers', () => {
  it('gives one worker to work too short to pay for a second thread', () => {
    expect(chooseWorkers(1999, 1000, 8)).toBe(1);
  });
  it('gives one more worker for every minMsPerWorker of single-thread work', () => {
    expect(chooseWorkers(3000, 1000, 8)).toBe(3);
  });
  it('never gives more workers than the machine runs at once', () => {
    expect(chooseWorkers(1e9, 1, 2)).toBe(2);
  });
  it('gives one worker when there is no work or no estimate', () => {
    expect(chooseWorkers(0, 1000, 8)).toBe(1);
    expect(chooseWorkers(Number.NaN, 1000, 8)).toBe(1);
  });
});

describe('trialWorkers', () => {
  it('keeps 10k trials of a 448-LP platform in one thread (the issue 14 regression)', () => {
    expect(trialWorkers(lpInit(448, 0.2), 10_000, 2)).toBe(1);
  });
  it('uses two threads for 100k noisy trials of a 3840-LP platform on two cores', () => {
    expect(trialWorkers(lpInit(3840, 0.2), 100_000, 2)).toBe(2);
  });
  it('counts one draw for a step with σ = 0, so deterministic trials stay in one thread', () => {
    expect(trialWorkers(lpInit(3840, 0), 100_000, 8)).toBe(1);
  });
  it('follows the draws estimate exactly at the threshold', () => {
    // 1 draw per trial for the total + 3840 for the LPs.
    const trials = Math.ceil((2 * TRIAL_MS_PER_WORKER * TRIAL_DRAWS_PER_MS) / 3841);
    expect(trialWorkers(lpInit(3840, 0.2), trials, 8)).toBe(2);
    expect(trialWorkers(lpInit(3840, 0.2), trials - 10, 8)).toBe(1);
  });
});

describe('sweepWorkers', () => {
  it('keeps sweeps of a few seconds in one thread', () => {
    expect(sweepWorkers(14_400, 2)).toBe(1);
    expect(sweepWorkers(18_432, 2)).toBe(1);
  });
  it('spreads long sweeps over the cores', () => {
    expect(sweepWorkers(360_000, 2)).toBe(2);
  });
  it('needs SWEEP_MS_PER_WORKER of estimated work per worker', () => {
    const rows = (2 * SWEEP_MS_PER_WORKER * 1000) / SWEEP_ROW_US;
    expect(sweepWorkers(rows, 8)).toBe(2);
    expect(sweepWorkers(rows - 1, 8)).toBe(1);
  });
  it('charges a row that re-times an earlier run (a time program) SWEEP_RETIMED_ROW_US, not a simulation', () => {
    const rows = (2 * SWEEP_MS_PER_WORKER * 1000) / SWEEP_ROW_US;
    expect(sweepWorkers(rows, 8, 100)).toBe(1);
    const retimed = Math.ceil((2 * SWEEP_MS_PER_WORKER * 1000 - 100 * SWEEP_ROW_US) / SWEEP_RETIMED_ROW_US);
    expect(sweepWorkers(100 + retimed, 8, 100)).toBe(2);
    expect(sweepWorkers(100 + retimed - 1, 8, 100)).toBe(1);
  });
});
