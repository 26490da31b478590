// A worker killed mid-run: its chunk is retried on a fresh worker and the result is the same
// as an undisturbed run; killed twice, the run rejects with a clear message. No thread is left.
import { describe, it, expect } from 'vitest';
import type { TrialProgram } from '../src/kernels/trialProgram.js';
import { FAULT_EXIT_CODE, liveTrialsWorkers, runTrials } from '../src/workers/pool.js';

const program: TrialProgram = {
  steps: [
    { name: 'lp', ops: [{ kind: 'serial', count: 256, fixedUs: 5, medianUs: 20, sigma: 0.3 }] },
    { name: 'tdmr', ops: [{ kind: 'tdmrs', calls: [16384, 40], medianUs: 9, sigma: 0.3, lanes: 1 }] },
  ],
};
// 250 trials a chunk, so that chunk 3 is trials 750..999 in the message below.
const opts = { trials: 2000, seed: 77, chunkTrials: 250 };


describe('trials worker faults', () => {
  it('a worker killed once: chunk retried, result identical to an undisturbed run', async () => {
    const clean = JSON.stringify(await runTrials(program, { ...opts, workers: 1 }));
    // Chunks 0..7 are the trials, 8 and 9 the statistics of two groups of columns.
    for (const killChunk of [0, 5, 7, 8]) {
      const r = await runTrials(program, { ...opts, workers: 2, faultInjection: { killChunk, times: 1 } });
      expect(JSON.stringify(r)).toBe(clean);
    }
    // One thread, killed: the pool must replace it even with workers = 1.
    const single = await runTrials(program, { ...opts, workers: 1, faultInjection: { killChunk: 2, times: 1 } });
    expect(JSON.stringify(single)).toBe(clean);
    expect(liveTrialsWorkers()).toBe(0);
  });

  it('the same chunk killed twice: rejects with a clear message, no hang, no thread left', async () => {
    const started = Date.now();
    await expect(
      runTrials(program, { ...opts, workers: 2, faultInjection: { killChunk: 3, times: 2 } }),
    ).rejects.toThrow(new RegExp(`^trials chunk 3 \\(trials 750\\.\\.999\\) failed twice: trials worker \\d+ exited with code ${FAULT_EXIT_CODE}$`));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(liveTrialsWorkers()).toBe(0);
  });
});
