// Worker thread for sweeps: receives the plan once (init), instantiates the construction
// kernel once, then evaluates and formats chunks of rows on request (see workers/sweepRun.ts).

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { loadEngine, type EngineName } from '../kernels/engine.js';
import { SweepEvaluator, type RowRange } from '../model/sweep/evaluate.js';
import { chunkText, type ChunkOutput, type SweepFormat } from '../model/sweep/output.js';
import type { SweepPlan } from '../model/sweep/spec.js';

if (!parentPort) throw new Error('sweepWorker.js must run as a worker thread');

let job: { plan: SweepPlan; format: SweepFormat; evaluator: SweepEvaluator } | null = null;

const api = {
  async init(plan: SweepPlan, engine: EngineName, format: SweepFormat): Promise<void> {
    job = { plan, format, evaluator: new SweepEvaluator(plan, await loadEngine(engine)) };
  },
  /**
   * The output text of one chunk's rows, with its tallies. exitCode is the pool's fault-injection hook: when
   * set, the thread dies with that code while the parent waits for this chunk, as a crash would.
   */
  run(range: RowRange, exitCode?: number): ChunkOutput {
    if (exitCode !== undefined) process.exit(exitCode);
    if (!job) throw new Error('sweep worker used before init');
    return chunkText(job.plan, job.format, job.evaluator, range);
  },
};

export type SweepWorkerApi = typeof api;

Comlink.expose(api, nodeEndpoint(parentPort));
