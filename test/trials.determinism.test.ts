// The summary depends only on (program, trials, seed): not on worker count, chunking or runs.
import { describe, it, expect } from 'vitest';
import type { TrialProgram } from '../src/kernels/trialProgram.js';
import { runTrials } from '../src/workers/pool.js';

const program: TrialProgram = {
  steps: [
    { name: 'sys-init', ops: [{ kind: 'fixed', us: 100, sigma: 0.2 }] },
    { name: 'lp-init', ops: [{ kind: 'serial', count: 384, fixedUs: 5, medianUs: 20, sigma: 0.3 }] },
    { name: 'tdmr-init', ops: [{ kind: 'tdmrs', calls: [40, 16384, 300, 16384, 8], medianUs: 9, sigma: 0.25, lanes: 2 }] },
  ],
};

describe('trials determinism', () => {
  it('identical JSON for workers 1, 2, 4, other chunkings and repeated runs', async () => {
    const opts = { trials: 3001, seed: 424242 };
    const base = JSON.stringify(await runTrials(program, { ...opts, workers: 1 }));
    const runs = [
      await runTrials(program, { ...opts, workers: 2 }),
      await runTrials(program, { ...opts, workers: 4 }),
      await runTrials(program, { ...opts, workers: 2 }),
      await runTrials(program, { ...opts, workers: 3, chunkTrials: 7 }),
      await runTrials(program, { ...opts, workers: 1 }),
    ];
    for (const r of runs) expect(JSON.stringify(r)).toBe(base);
    expect(JSON.parse(base).trials).toBe(3001);
  });

  it('a different seed gives different results', async () => {
    const a = await runTrials(program, { trials: 200, seed: 1, workers: 1 });
    const b = await runTrials(program, { trials: 200, seed: 2, workers: 1 });
    expect(a.total.mean).not.toBe(b.total.mean);
  });
});
