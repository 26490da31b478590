// runAttestation: config + costs → AttestationResult, with the trials spread over the worker
// pool. Each trial's random stream depends only on (seed, trial index) and chunks are put back
// in trial order, so the result is byte-identical for any number of workers.
//
// Threads: this thread is one of the workers (it runs chunks from the first moment, while the
// others start); without a worker count the run gets one worker per ATTESTATION_MS_PER_WORKER
// of estimated single-thread work (chooseWorkers, chunkPool.ts), and chunks are sized from the
// same estimate, so a short run stays in this thread whatever the count.

import { invalidField } from '../platform/errors.js';
import { validateSeed } from '../kernels/trialProgram.js';
import { chooseWorkers, chunksByTime, collectChunks, guidedChunks, WORKERS_MAX, type FaultInjection } from './chunkPool.js';
import type { GuestWorkerApi } from './guestWorker.js';
import { GUEST_WORKER } from './guestAcceptRun.js';
import type { AttestationConfig, AttestationResult, AttestationRunOptions } from '../guest/attestation/types.js';
import { resolveConfig, buildParams, summarizeAttestation, thinTrace, ATTESTATION_DEFAULTS } from '../guest/attestation/model.js';
import { runAttestationWasm } from '../guest/attestation/kernel.js';
import { STATS_WORDS } from '../guest/attestation/kernelAbi.js';
import { traceQueueReference, trialWords } from '../guest/attestation/oracle.js';

export { ATTESTATION_DEFAULTS };

export const ATTESTATION_TRIALS_MAX = 1_000_000;
/** Words (f64) of kernel output a run may hold at once (128 MiB): one latency per simulated request. */
const WORDS_MAX = 16 * 1024 * 1024;

/**
 * Simulated quote requests (tds × requests a trial) the attestation kernel runs per
 * millisecond on one thread: 5,300-6,200 measured on the development machine with 64-256
 * requests a trial (README, Performance: 1,000,000 requests in 184 ms). The fastest figure,
 * so the estimate is low and errs towards fewer workers.
 */
export const ATTESTATION_REQUESTS_PER_MS = 6_000;
/**
 * A trial's own set-up, in requests' worth of time: with one request a trial the kernel ran
 * 2,000 trials per millisecond on the same machine, about what 3 requests cost.
 */
const TRIAL_SETUP_REQUESTS = 2;
/** A worker must get this much estimated work to pay for its start (as trials: pool.ts). */
export const ATTESTATION_MS_PER_WORKER = 150;

export interface AttestationPoolOptions extends AttestationRunOptions {
  /** Test hook: kill the worker running a given chunk. */
  faultInjection?: FaultInjection;
  /** Trials per chunk (default: sized from the estimated work, chunkStarts). */
  chunkTrials?: number;
}

/** Estimated single-thread milliseconds of `trials` trials of these kernel parameters. */
export function attestationMs(params: Float64Array, trials: number): number {
  return (trials * (trialWords(params) - STATS_WORDS + TRIAL_SETUP_REQUESTS)) / ATTESTATION_REQUESTS_PER_MS;
}

/** The default worker count for `trials` trials of these kernel parameters. */
export function attestationWorkers(params: Float64Array, trials: number, cores?: number): number {
  return chooseWorkers(attestationMs(params, trials), ATTESTATION_MS_PER_WORKER, cores);
}

/** Where the chunks start: every chunkTrials trials, or guided by the estimated work. */
function chunkStarts(params: Float64Array, trials: number, workers: number, chunkTrials: number | undefined): number[] {
  if (chunkTrials !== undefined) return guidedChunks(trials, 1, chunkTrials, chunkTrials);
  const perMs = trials / attestationMs(params, trials);
  return chunksByTime(trials, workers, perMs);
}

function checkOptions(o: AttestationPoolOptions): void {
  if (!Number.isInteger(o.trials) || o.trials < 1 || o.trials > ATTESTATION_TRIALS_MAX) {
    throw invalidField('trials', `must be an integer in [1, ${ATTESTATION_TRIALS_MAX}]`);
  }
  validateSeed(o.seed);
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > WORKERS_MAX)) {
    throw invalidField('workers', `must be an integer in [1, ${WORKERS_MAX}]`);
  }
}

/** Kernel words for all trials, on this thread and (with several workers) the pool. */
export async function attestationWords(params: Float64Array, o: AttestationPoolOptions): Promise<Float64Array> {
  const words = trialWords(params);
  const workers = o.workers ?? attestationWorkers(params, o.trials);
  if (workers === 1 && !o.faultInjection) return runAttestationWasm(params, o.seed, 0, o.trials);
  const starts = chunkStarts(params, o.trials, workers, o.chunkTrials);
  const first = (i: number): number => starts[i];
  const count = (i: number): number => starts[i + 1] - starts[i];
  const parts = await collectChunks<GuestWorkerApi, Float64Array>({
    label: 'attestation',
    workerModule: GUEST_WORKER,
    workers,
    chunks: starts.length - 1,
    faultInjection: o.faultInjection,
    run: (remote, i, exitCode) => remote.attestation(params, o.seed, first(i), count(i), exitCode),
    runHere: (i) => runAttestationWasm(params, o.seed, first(i), count(i)),
    describe: (i) => `trials ${first(i)}..${first(i) + count(i) - 1}`,
  });
  const all = new Float64Array(o.trials * words);
  parts.forEach((p, i) => all.set(p, first(i) * words));
  return all;
}

export async function runAttestation(
  cfg: AttestationConfig, costs: Record<string, number>, opts: AttestationPoolOptions,
): Promise<AttestationResult> {
  const { c, params } = kernelParams(cfg, costs, opts);
  return summary(c, costs, params, await attestationWords(params, opts), opts);
}

/** runAttestation on this thread alone (a guest sweep row: the rows are what is spread over threads). */
export function runAttestationHere(cfg: AttestationConfig, costs: Record<string, number>, opts: { trials: number; seed: number }): AttestationResult {
  const { c, params } = kernelParams(cfg, costs, opts);
  return summary(c, costs, params, runAttestationWasm(params, opts.seed, 0, opts.trials), opts);
}

/** The resolved configuration and the kernel's parameters for these costs (both validated). */
export function attestationParams(cfg: AttestationConfig, costs: Record<string, number>): { c: ReturnType<typeof resolveConfig>; params: Float64Array } {
  const c = resolveConfig({ ...cfg, tds: cfg.tds ?? ATTESTATION_DEFAULTS.tds });
  return { c, params: buildParams(c, costs) };
}

function kernelParams(cfg: AttestationConfig, costs: Record<string, number>, opts: AttestationPoolOptions) {
  const { c, params } = attestationParams(cfg, costs);
  checkOptions(opts);
  if (trialWords(params) * opts.trials > WORDS_MAX) {
    throw invalidField('trials', `trials × tds × requests must be at most ${WORDS_MAX} simulated requests, got ${opts.trials * c.tds * c.requests}`);
  }
  return { c, params };
}

function summary(c: ReturnType<typeof resolveConfig>, costs: Record<string, number>, params: Float64Array, values: Float64Array, opts: AttestationRunOptions): AttestationResult {
  // The queue trace of trial 0 comes from the oracle, which is bit-identical to the kernel.
  const trace = traceQueueReference(params, opts.seed, 0);
  return summarizeAttestation(c, costs, values, opts.trials, thinTrace(trace.times, trace.lengths));
}
