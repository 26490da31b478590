// Worker thread for the trials pool: instantiates the trials kernel once at start-up and runs
// contiguous chunks of trials on request, into an array shared with the other threads (see pool.ts).

import type { TrialProgram, TrialStats } from '../kernels/trialProgram.js';
import { columnStats } from './trialStats.js';
import { loadTrialsKernel, runTrialsWasm } from '../kernels/trials.js';
import { serve, dieIfAsked } from './serve.js';

loadTrialsKernel();

let job: { program: TrialProgram; seed: number; values: Float64Array; width: number } | null = null;

const api = {
  /** The run's program and seed, and the array (shared by every thread) the trials go into. */
  init(program: TrialProgram, seed: number, shared: SharedArrayBuffer): void {
    job = { program, seed, values: new Float64Array(shared), width: program.steps.length + 1 };
  },
  /**
   * Trials firstTrial.. written into the shared array at their place (layout of runTrialsWasm).
   * exitCode is the pool's fault-injection hook: when set, the thread dies with that code while
   * the parent waits for this chunk, as a crash would.
   */
  run(firstTrial: number, count: number, exitCode?: number): void {
    dieIfAsked(exitCode);
    if (!job) throw new Error('trials worker used before init');
    job.values.set(runTrialsWasm(job.program, job.seed, firstTrial, count), firstTrial * job.width);
  },
  /** Statistics of some columns of the shared array, once every trial is in (trialStats.ts). */
  stats(columns: number[], exitCode?: number): TrialStats[] {
    dieIfAsked(exitCode);
    if (!job) throw new Error('trials worker used before init');
    return columnStats(job.values, job.width, columns);
  },
};

export type TrialsWorkerApi = typeof api;

serve('trialsWorker.js', api);
