// Worker thread for sweeps: receives the plan once (init), instantiates the construction
// kernel once, then evaluates chunks of rows on request (see model/sweep/run.ts).

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { loadEngine, type EngineName } from '../construct/engine.js';
import { SweepEvaluator, type ChunkRows, type RowRange } from '../model/sweep/evaluate.js';
import type { SweepPlan } from '../model/sweep/spec.js';

if (!parentPort) throw new Error('sweepWorker.js must run as a worker thread');

let evaluator: SweepEvaluator | null = null;

const api = {
  async init(plan: SweepPlan, engine: EngineName): Promise<void> {
    evaluator = new SweepEvaluator(plan, await loadEngine(engine));
  },
  /**
   * The rows of one chunk; the numbers move to the parent without a copy. exitCode is the
   * pool's fault-injection hook: when set, the thread dies with that code while the parent
   * waits for this chunk, as a crash would.
   */
  run(range: RowRange, exitCode?: number): ChunkRows {
    if (exitCode !== undefined) process.exit(exitCode);
    if (!evaluator) throw new Error('sweep worker used before init');
    const rows = evaluator.evaluate(range);
    return Comlink.transfer(rows, [rows.nums.buffer]);
  },
};

export type SweepWorkerApi = typeof api;

Comlink.expose(api, nodeEndpoint(parentPort));
