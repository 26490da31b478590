// Prewarmed trial workers are claimed by the next run, give the same bytes, and never hold
// the process open when nobody claims them.
import { describe, it, expect } from 'vitest';
import { runTrials, prewarmTrialWorkers } from '../src/workers/pool.js';
import { availableParallelism } from 'node:os';
import { dropSpareWorkers, liveWorkers, prewarmWorkers, workersStarted } from '../src/workers/chunkPool.js';
import type { TrialProgram } from '../src/kernels/trialProgram.js';

const program: TrialProgram = {
  steps: [
    { name: 'lp', ops: [{ kind: 'serial', count: 64, fixedUs: 5, medianUs: 20, sigma: 0.3 }] },
    { name: 'tdmr', ops: [{ kind: 'tdmrs', calls: [256, 512, 1024], medianUs: 9, sigma: 0.1, lanes: 2 }] },
  ],
};

describe('prewarmed trial workers', () => {
  it('are claimed by runTrials and change nothing in the result', async () => {
    // Four chunks: enough for a second thread (a run of one chunk stays in this thread).
    const cold = await runTrials(program, { trials: 400, seed: 3, workers: 2, chunkTrials: 100 });
    // This thread runs trials too, so two workers are this thread and one more.
    prewarmTrialWorkers(2);
    expect(liveWorkers('trials')).toBe(1);
    const warm = await runTrials(program, { trials: 400, seed: 3, workers: 2, chunkTrials: 100 });
    expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
    expect(liveWorkers('trials')).toBe(0);
  });

  it('never start more threads than the machine runs beside this one (at least one)', async () => {
    await dropSpareWorkers();
    const started = async (count: number, cores: number): Promise<number> => {
      const before = workersStarted();
      prewarmWorkers('trials', 'trialsWorker', count, cores);
      const n = workersStarted() - before;
      await dropSpareWorkers();
      return n;
    };
    expect(await started(50, 2)).toBe(1);
    expect(await started(50, 1)).toBe(1);
    expect(await started(3, 8)).toBe(3);
    expect(await started(50, 4)).toBe(3);
  });

  it('a run with little work and many workers asked for starts no thread it cannot use', async () => {
    // 200 trials of the default platform are a millisecond of work: one chunk, run here. Before
    // the bound, the 255 threads started ahead took 10 s on 2 vCPUs.
    const { simulatePlatform } = await import('../src/workers/simulateRun.js');
    const { loadPlatform } = await import('../src/platform/load.js');
    const platform = await loadPlatform('preset:default', []);
    const before = workersStarted();
    const many = await simulatePlatform(platform, { trials: 200, workers: 256, timing: true });
    expect(workersStarted() - before).toBeLessThanOrEqual(Math.max(1, availableParallelism() - 1));
    expect(many.timing?.workers).toBe(1); // what --timing reports: the threads the trials ran on
    const one = await simulatePlatform(platform, { trials: 200, workers: 1 });
    expect(JSON.stringify(many.trials)).toBe(JSON.stringify(one.trials));
    await new Promise((r) => setTimeout(r, 50));
    expect(liveWorkers('trials')).toBe(0);
  });

  it('unclaimed spares can be dropped', async () => {
    prewarmTrialWorkers(2);
    await dropSpareWorkers();
    await new Promise((r) => setTimeout(r, 50));
    expect(liveWorkers('trials')).toBe(0);
  });
});

describe('the default worker count, before the run', () => {
  it('starts as many threads as the platform alone calls for: never more than the run then chooses', async () => {
    const { trialWorkersAtLeast, trialWorkers } = await import('../src/workers/pool.js');
    // 3840 noisy LPs, 100,000 trials: 3.84e8 draws, far past two threads' worth on 2 cores.
    expect(trialWorkersAtLeast(3840, 0.2, 100_000, 2)).toBe(2);
    // σ = 0: one draw a trial for LP.INIT, nothing worth a thread.
    expect(trialWorkersAtLeast(3840, 0, 100_000, 2)).toBe(1);
    const lpOnly: TrialProgram = { steps: [{ name: 'lp', ops: [{ kind: 'serial', count: 3840, fixedUs: 5, medianUs: 20, sigma: 0.2 }] }] };
    for (const trials of [1000, 20_000, 60_000, 100_000]) {
      expect(trialWorkersAtLeast(3840, 0.2, trials, 8)).toBeLessThanOrEqual(trialWorkers(lpOnly, trials, 8));
    }
  });

  it('a simulate that fails after starting them leaves no thread behind', async () => {
    const { simulatePlatform } = await import('../src/workers/simulateRun.js');
    const { loadPlatform } = await import('../src/platform/load.js');
    const platform = await loadPlatform('preset:8s-gnr-64t', []);
    await expect(simulatePlatform(platform, { trials: 100_000, policy: 'no-such-policy', costOverrides: { lpInitSigma: 0.2 } })).rejects.toThrow(/no-such-policy/);
    await new Promise((r) => setTimeout(r, 50));
    expect(liveWorkers('trials')).toBe(0);
  });
});
