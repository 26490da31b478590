// Runs Monte Carlo trials on worker threads.
//
// Trials are cut into contiguous chunks that idle workers pull from a queue (chunkPool.ts);
// this thread is one of the workers. Each trial's random stream depends only on (seed, trial
// index), and every chunk lands at its trials' place in one shared array, so the result is
// byte-identical for any number of workers or chunks. A worker that dies fails only its chunk,
// which is retried once on a fresh worker.

import type { TrialProgram, TrialsResult, TrialStats } from '../kernels/trialProgram.js';
import { columnGroups, columnStats, trialsResult } from './trialStats.js';
import { TRIALS_MAX, validateSeed, validateTrialProgram } from '../kernels/trialProgram.js';
import { invalidField } from '../platform/errors.js';
import { encodeTrialProgram, runTrialsWasm, summarize } from '../kernels/trials.js';
import type { TrialsWorkerApi } from './trialsWorker.js';
import { chooseWorkers, chunksByTime, guidedChunks, runChunkPool, liveWorkers, WORKERS_MAX, FAULT_EXIT_CODE, WorkerExitError, type FaultInjection, prewarmWorkers, dropSpareWorkers, threadsAtMost } from './chunkPool.js';

export { WORKERS_MAX, FAULT_EXIT_CODE, type FaultInjection };
/** A trials worker thread died while it owed us a result. */
export { WorkerExitError as TrialsWorkerExitError };


/**
 * Log-normal draws the trials kernel makes per millisecond on one thread: 123 M/s measured on
 * the development machine on 10,000 trials of 3840 LPs, ~143 M/s on 100,000 (README,
 * Performance), rounded up: a faster rate estimates less work, so the estimate errs towards
 * fewer workers (and fewer, larger chunks).
 */
export const TRIAL_DRAWS_PER_MS = 150_000;
/** A trials worker must get this much estimated work to pay for its start-up (chunkPool.ts). */
export const TRIAL_MS_PER_WORKER = 150;

/**
 * The default worker count for `trials` trials of `program`: the single-thread time estimated
 * from the draws the kernel will make (per trial: one per noisy LP, call or step; one per op
 * with σ = 0), spread so that every worker gets at least TRIAL_MS_PER_WORKER of it.
 */
export function trialWorkers(program: TrialProgram, trials: number, cores?: number): number {
  return workersForDraws(encodeTrialProgram(program).drawsPerTrial, trials, cores);
}

/** One worker per TRIAL_MS_PER_WORKER of the single-thread time `trials` trials of `drawsPerTrial` draws take. */
function workersForDraws(drawsPerTrial: number, trials: number, cores: number | undefined): number {
  return chooseWorkers((trials * drawsPerTrial) / TRIAL_DRAWS_PER_MS, TRIAL_MS_PER_WORKER, cores);
}

export interface RunTrialsOptions {
  trials: number;
  seed: number;
  /** 1 runs in this thread (unless faultInjection asks for a thread to kill). */
  workers: number;
  /** Trials per chunk; default: guided (chunkStarts). */
  chunkTrials?: number;
  /** Test hook: kill the worker running a given chunk. */
  faultInjection?: FaultInjection;
}

/** Trials worker threads started and not yet exited, in this thread (tests check it is 0). */
export function liveTrialsWorkers(): number {
  return liveWorkers('trials');
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


/**
 * Where the chunks start: every chunkTrials trials when given, else by estimated single-thread
 * work (chunkPool.ts, chunksByTime).
 * Chunking changes no bits (each trial's stream depends only on seed and index).
 */
function chunkStarts(program: TrialProgram, trials: number, workers: number, chunkTrials: number | undefined): number[] {
  if (chunkTrials !== undefined) return guidedChunks(trials, 1, chunkTrials, chunkTrials);
  const perMs = TRIAL_DRAWS_PER_MS / encodeTrialProgram(program).drawsPerTrial;
  return chunksByTime(trials, workers, perMs);
}

/**
 * The trials on `workers` threads, this one included (it runs chunks too, from the start,
 * while the others start up). Every thread writes its chunks straight into one shared array,
 * in trial order: nothing is copied back or reassembled. The statistics follow in the same
 * pool: once every trial is in, each thread takes a group of columns (trialStats.ts).
 */
async function runOnThreads(program: TrialProgram, seed: number, trials: number, starts: number[], workers: number, faultInjection: FaultInjection | undefined): Promise<TrialsResult> {
  const width = program.steps.length + 1;
  const values = new Float64Array(new SharedArrayBuffer(trials * width * 8));
  const trialChunks = starts.length - 1;
  const groups = columnGroups(width, Math.min(workers, width));
  const stats: TrialStats[] = new Array(width);
  let delivered = 0;
  let allIn: () => void = () => undefined;
  const trialsIn = new Promise<void>((resolve) => {
    allIn = resolve;
  });
  const first = (i: number): number => starts[i];
  const count = (i: number): number => starts[i + 1] - starts[i];
  const group = (i: number): number[] => groups[i - trialChunks];
  await runChunkPool<TrialsWorkerApi, TrialStats[] | null>({
    label: 'trials',
    workerModule: 'trialsWorker',
    workers,
    chunks: trialChunks + groups.length,
    depth: 2,
    faultInjection,
    setup: (remote) => remote.init(program, seed, values.buffer as SharedArrayBuffer),
    before: (i) => (i < trialChunks ? undefined : trialsIn),
    run: (remote, i, exitCode) => (i < trialChunks ? remote.run(first(i), count(i), exitCode).then(() => null) : remote.stats(group(i), exitCode)),
    runHere: (i) => {
      if (i >= trialChunks) return columnStats(values, width, group(i));
      values.set(runTrialsWasm(program, seed, first(i), count(i)), first(i) * width);
      return null;
    },
    describe: (i) => (i < trialChunks ? `trials ${first(i)}..${first(i) + count(i) - 1}` : `statistics of columns ${group(i).join(',')}`),
    onChunk: (i, r) => {
      if (i < trialChunks) {
        if (++delivered === trialChunks) allIn();
      } else {
        group(i).forEach((c, k) => (stats[c] = r![k]));
      }
    },
  });
  return trialsResult(program, trials, seed, stats);
}

/**
 * Start the trial workers now, so that their start-up (thread, module load, WASM instance)
 * overlaps the caller's own work before runTrials; runTrials then claims them. This thread is
 * one of the `workers`, so one thread fewer is started.
 */
export function prewarmTrialWorkers(workers: number): void {
  if (workers > 1) prewarmWorkers('trials', 'trialsWorker', workers - 1);
}

/** End trial workers started ahead and not claimed (the run failed first, or chose fewer). */
export async function dropTrialSpares(): Promise<void> {
  await dropSpareWorkers('trialsWorker');
}

/**
 * The default worker count (trialWorkers) as far as it is known before the run: a noisy LP.INIT
 * draws once for each online LP in every trial, whatever the policy (one serial or broadcast
 * op over them), so `trials × LPs` draws is work the trials will do at least. A run whose
 * platform alone already calls for several threads can start them behind its deterministic
 * run; the count chosen after it is never lower.
 */
export function trialWorkersAtLeast(onlineLps: number, lpInitSigma: number, trials: number, cores?: number): number {
  return workersForDraws(lpInitSigma > 0 ? onlineLps : 1, trials, cores);
}

/**
 * Run `trials` Monte Carlo trials of `program` and summarize them. The result depends only on
 * (program, trials, seed): not on `workers`, chunking or retries.
 */
export async function runTrials(program: TrialProgram, opts: RunTrialsOptions): Promise<TrialsResult> {
  validateTrialProgram(program);
  checkOptions(opts);
  const { trials, seed, workers, faultInjection } = opts;
  const starts = chunkStarts(program, trials, workers, opts.chunkTrials);
  const threads = threadsFor(starts, workers);
  if (threads === 1 && !faultInjection) return summarize(program, runTrialsWasm(program, seed, 0, trials), trials, seed);
  return runOnThreads(program, seed, trials, starts, threads, faultInjection);
}

/**
 * The threads `workers` become for trials cut at `starts`: no more than the pool runs
 * (threadsAtMost), nor than chunks of trials (the statistics after them are cheaper than the
 * trials: a thread started for them alone costs more than it saves).
 */
function threadsFor(starts: number[], workers: number): number {
  return Math.min(workers, threadsAtMost(), starts.length - 1);
}

/** The threads runTrials runs `trials` trials of `program` on, `workers` asked for (this one included). */
export function trialThreads(program: TrialProgram, trials: number, workers: number): number {
  return threadsFor(chunkStarts(program, trials, workers, undefined), workers);
}
