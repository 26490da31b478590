// Worker thread for sweeps: receives the plan once (init), instantiates the construction
// kernel once, then evaluates and formats chunks of rows on request (see workers/sweepRun.ts).

import { loadEngine, type EngineName } from '../kernels/engine.js';
import { SweepEvaluator, type RowRange } from '../model/sweep/evaluate.js';
import { RowText, type ChunkOutput, type SweepFormat } from '../model/sweep/output.js';
import type { SweepPlan } from '../model/sweep/spec.js';
import { serve, dieIfAsked, transferredWith } from './serve.js';

let job: { text: RowText; evaluator: SweepEvaluator } | null = null;

const api = {
  async init(plan: SweepPlan, engine: EngineName, format: SweepFormat): Promise<void> {
    job = { text: new RowText(plan, format), evaluator: new SweepEvaluator(plan, await loadEngine(engine)) };
  },
  /**
   * The output text (UTF-8, moved to the parent) of one chunk's rows, with its tallies. exitCode is the pool's fault-injection hook: when
   * set, the thread dies with that code while the parent waits for this chunk, as a crash would.
   */
  run(range: RowRange, exitCode?: number): ChunkOutput {
    dieIfAsked(exitCode);
    if (!job) throw new Error('sweep worker used before init');
    return transferredWith(job.text.chunk(job.evaluator, range));
  },
};

export type SweepWorkerApi = typeof api;

serve('sweepWorker.js', api);
