// Runs Monte Carlo trials on worker threads.
//
// Trials are cut into contiguous chunks that idle workers pull from a queue (chunkPool.ts);
// each trial's random stream depends only on (seed, trial index), and the chunks are
// reassembled in trial order, so the result is byte-identical for any number of workers or
// chunks. A worker that dies fails only its chunk, which is retried once on a fresh worker.

import type { TrialProgram, TrialsResult } from '../kernels/trialProgram.js';
import { TRIALS_MAX, validateSeed, validateTrialProgram } from '../kernels/trialProgram.js';
import { invalidField } from '../platform/errors.js';
import { encodeTrialProgram, runTrialsWasm, summarize } from '../kernels/trials.js';
import type { TrialsWorkerApi } from './trialsWorker.js';
import { chooseWorkers, collectChunks, liveWorkers, WORKERS_MAX, FAULT_EXIT_CODE, WorkerExitError, type FaultInjection, prewarmWorkers } from './chunkPool.js';

export { WORKERS_MAX, FAULT_EXIT_CODE, type FaultInjection };
/** A trials worker thread died while it owed us a result. */
export { WorkerExitError as TrialsWorkerExitError };

/** Chunks per worker by default: enough for the fast workers to take over a slow one's share. */
const CHUNKS_PER_WORKER = 4;

/**
 * Log-normal draws the trials kernel makes per millisecond on one thread: 123 M/s measured on
 * the development machine (README, Performance), rounded down so the estimate errs towards
 * fewer workers.
 */
export const TRIAL_DRAWS_PER_MS = 100_000;
/** A trials worker must get this much estimated work to pay for its start-up (chunkPool.ts). */
export const TRIAL_MS_PER_WORKER = 150;

/**
 * The default worker count for `trials` trials of `program`: the single-thread time estimated
 * from the draws the kernel will make (per trial: one per noisy LP, call or step; one per op
 * with σ = 0), spread so that every worker gets at least TRIAL_MS_PER_WORKER of it.
 */
export function trialWorkers(program: TrialProgram, trials: number, cores?: number): number {
  const { drawsPerTrial } = encodeTrialProgram(program);
  return chooseWorkers((trials * drawsPerTrial) / TRIAL_DRAWS_PER_MS, TRIAL_MS_PER_WORKER, cores);
}

export interface RunTrialsOptions {
  trials: number;
  seed: number;
  /** 1 runs in this thread (unless faultInjection asks for a thread to kill). */
  workers: number;
  /** Trials per chunk; default: trials spread over CHUNKS_PER_WORKER chunks per worker. */
  chunkTrials?: number;
  /** Test hook: kill the worker running a given chunk. */
  faultInjection?: FaultInjection;
}

/** Trials worker threads started and not yet exited, in this thread (tests check it is 0). */
export function liveTrialsWorkers(): number {
  return liveWorkers('trials');
}

interface Chunk {
  index: number;
  firstTrial: number;
  count: number;
}

function checkOptions(opts: RunTrialsOptions): void {
  const { trials, workers, chunkTrials, faultInjection } = opts;
  if (!Number.isInteger(trials) || trials < 1 || trials > TRIALS_MAX) {
    throw invalidField('trials', `must be an integer in [1, ${TRIALS_MAX}]`);
  }
  validateSeed(opts.seed);
  if (!Number.isInteger(workers) || workers < 1 || workers > WORKERS_MAX) {
    throw invalidField('workers', `must be an integer in [1, ${WORKERS_MAX}]`);
  }
  if (chunkTrials !== undefined && (!Number.isInteger(chunkTrials) || chunkTrials < 1)) {
    throw invalidField('chunkTrials', 'must be a positive integer');
  }
  if (faultInjection && (!Number.isInteger(faultInjection.killChunk) || !Number.isInteger(faultInjection.times))) {
    throw invalidField('faultInjection', 'killChunk and times must be integers');
  }
}

function makeChunks(trials: number, chunkTrials: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let first = 0; first < trials; first += chunkTrials) {
    chunks.push({ index: chunks.length, firstTrial: first, count: Math.min(chunkTrials, trials - first) });
  }
  return chunks;
}

function runOnThreads(
  program: TrialProgram,
  seed: number,
  chunks: Chunk[],
  workers: number,
  faultInjection: FaultInjection | undefined,
): Promise<Float64Array[]> {
  return collectChunks<TrialsWorkerApi, Float64Array>({
    label: 'trials',
    workerModule: 'trialsWorker',
    workers,
    chunks: chunks.length,
    faultInjection,
    run: (remote, i, exitCode) => remote.run(program, seed, chunks[i].firstTrial, chunks[i].count, exitCode),
    describe: (i) => `trials ${chunks[i].firstTrial}..${chunks[i].firstTrial + chunks[i].count - 1}`,
  });
}

/**
 * Run `trials` Monte Carlo trials of `program` and summarize them. The result depends only on
 * (program, trials, seed): not on `workers`, chunking or retries.
 */
/**
 * Start the trial workers now, so that their start-up (thread, module load, WASM instance)
 * overlaps the caller's own work before runTrials; runTrials then claims them.
 */
export function prewarmTrialWorkers(workers: number): void {
  if (workers > 1) prewarmWorkers('trials', 'trialsWorker', workers);
}

export async function runTrials(program: TrialProgram, opts: RunTrialsOptions): Promise<TrialsResult> {
  validateTrialProgram(program);
  checkOptions(opts);
  const { trials, seed, workers, faultInjection } = opts;

  let values: Float64Array;
  if (workers === 1 && !faultInjection) {
    values = runTrialsWasm(program, seed, 0, trials);
  } else {
    const chunkTrials = opts.chunkTrials ?? Math.max(1, Math.ceil(trials / (workers * CHUNKS_PER_WORKER)));
    const chunks = makeChunks(trials, chunkTrials);
    const parts = await runOnThreads(program, seed, chunks, workers, faultInjection);
    values = new Float64Array(trials * (program.steps.length + 1));
    chunks.forEach((c, i) => values.set(parts[i], c.firstTrial * (program.steps.length + 1)));
  }
  return summarize(program, values, trials, seed);
}
