// Worker thread for the trials pool: instantiates the trials kernel once at start-up and runs
// contiguous chunks of trials on request (see pool.ts).

import type { TrialProgram } from '../kernels/trialProgram.js';
import { loadTrialsKernel, runTrialsWasm } from '../kernels/trials.js';
import { serve, dieIfAsked, transferred } from './serve.js';

loadTrialsKernel();

const api = {
  /**
   * count × (steps + 1) durations for trials firstTrial.. (layout of runTrialsWasm), moved to
   * the parent without a copy. exitCode is the pool's fault-injection hook: when set, the
   * thread dies with that code while the parent waits for this chunk, as a crash would.
   */
  run(program: TrialProgram, seed: number, firstTrial: number, count: number, exitCode?: number): Float64Array {
    dieIfAsked(exitCode);
    const out = runTrialsWasm(program, seed, firstTrial, count);
    return transferred(out);
  },
};

export type TrialsWorkerApi = typeof api;

serve('trialsWorker.js', api);
