// Prewarmed trial workers are claimed by the next run, give the same bytes, and never hold
// the process open when nobody claims them.
import { describe, it, expect } from 'vitest';
import { runTrials, prewarmTrialWorkers } from '../src/workers/pool.js';
import { dropSpareWorkers, liveWorkers } from '../src/workers/chunkPool.js';
import type { TrialProgram } from '../src/kernels/trialProgram.js';

const program: TrialProgram = {
  steps: [
    { name: 'lp', ops: [{ kind: 'serial', count: 64, fixedUs: 5, medianUs: 20, sigma: 0.3 }] },
    { name: 'tdmr', ops: [{ kind: 'tdmrs', calls: [256, 512, 1024], medianUs: 9, sigma: 0.1, lanes: 2 }] },
  ],
};

describe('prewarmed trial workers', () => {
  it('are claimed by runTrials and change nothing in the result', async () => {
    const cold = await runTrials(program, { trials: 400, seed: 3, workers: 2 });
    // This thread runs trials too, so two workers are this thread and one more.
    prewarmTrialWorkers(2);
    expect(liveWorkers('trials')).toBe(1);
    const warm = await runTrials(program, { trials: 400, seed: 3, workers: 2 });
    expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
    expect(liveWorkers('trials')).toBe(0);
  });

  it('unclaimed spares can be dropped', async () => {
    prewarmTrialWorkers(2);
    await dropSpareWorkers();
    await new Promise((r) => setTimeout(r, 50));
    expect(liveWorkers('trials')).toBe(0);
  });
});
