// Worker thread for the trials pool: instantiates the trials kernel once at start-up and runs
// contiguous chunks of trials on request (see pool.ts).

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { TrialProgram } from '../kernels/trialProgram.js';
import { loadTrialsKernel, runTrialsWasm } from '../kernels/trials.js';

if (!parentPort) throw new Error('trialsWorker.js must run as a worker thread');

loadTrialsKernel();

const api = {
  /**
   * count × (steps + 1) durations for trials firstTrial.. (layout of runTrialsWasm), moved to
   * the parent without a copy. exitCode is the pool's fault-injection hook: when set, the
   * thread dies with that code while the parent waits for this chunk, as a crash would.
   */
  run(program: TrialProgram, seed: number, firstTrial: number, count: number, exitCode?: number): Float64Array {
    if (exitCode !== undefined) process.exit(exitCode);
    const out = runTrialsWasm(program, seed, firstTrial, count);
    return Comlink.transfer(out, [out.buffer]);
  },
};

export type TrialsWorkerApi = typeof api;

Comlink.expose(api, nodeEndpoint(parentPort));
