// runAttestation: config + costs → AttestationResult, with the trials spread over the worker
// pool. Each trial's random stream depends only on (seed, trial index) and chunks are put back
// in trial order, so the result is byte-identical for any number of workers.

import { invalidField } from '../platform/errors.js';
import { validateSeed } from '../kernels/trialProgram.js';
import { collectChunks, prewarmWorkers, WORKERS_MAX, type FaultInjection } from './chunkPool.js';
import type { AttestationWorkerApi } from './attestationWorker.js';
import type { AttestationConfig, AttestationResult, AttestationRunOptions } from '../guest/attestation/types.js';
import { resolveConfig, buildParams, summarizeAttestation, thinTrace, ATTESTATION_DEFAULTS } from '../guest/attestation/model.js';
import { runAttestationWasm } from '../guest/attestation/kernel.js';
import { traceQueueReference, trialWords } from '../guest/attestation/oracle.js';

export { ATTESTATION_DEFAULTS };

export const ATTESTATION_TRIALS_MAX = 1_000_000;
/** Words (f64) of kernel output a run may hold at once (128 MiB): one latency per simulated request. */
const WORDS_MAX = 16 * 1024 * 1024;
const CHUNKS_PER_WORKER = 4;

export interface AttestationPoolOptions extends AttestationRunOptions {
  /** Test hook: kill the worker running a given chunk. */
  faultInjection?: FaultInjection;
  /** Trials per chunk (default: spread over CHUNKS_PER_WORKER chunks per worker). */
  chunkTrials?: number;
}

function checkOptions(o: AttestationPoolOptions): void {
  if (!Number.isInteger(o.trials) || o.trials < 1 || o.trials > ATTESTATION_TRIALS_MAX) {
    throw invalidField('trials', `must be an integer in [1, ${ATTESTATION_TRIALS_MAX}]`);
  }
  validateSeed(o.seed);
  if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > WORKERS_MAX) {
    throw invalidField('workers', `must be an integer in [1, ${WORKERS_MAX}]`);
  }
}

/**
 * Start the attestation workers now (thread + kernel load, ~100 ms each), so that their start-up
 * overlaps the caller's own work (the boot model); runAttestation then claims them.
 */
export function prewarmAttestationWorkers(workers: number): void {
  if (workers > 1) prewarmWorkers('attestation', 'attestationWorker', workers);
}

/** Kernel words for all trials, on this thread (workers = 1) or on the pool. */
export async function attestationWords(params: Float64Array, o: AttestationPoolOptions): Promise<Float64Array> {
  const words = trialWords(params);
  if (o.workers === 1 && !o.faultInjection) return runAttestationWasm(params, o.seed, 0, o.trials);
  const per = o.chunkTrials ?? Math.max(1, Math.ceil(o.trials / (o.workers * CHUNKS_PER_WORKER)));
  const chunks = Math.ceil(o.trials / per);
  const parts = await collectChunks<AttestationWorkerApi, Float64Array>({
    label: 'attestation',
    workerModule: 'attestationWorker',
    workers: o.workers,
    chunks,
    faultInjection: o.faultInjection,
    run: (remote, i, exitCode) => remote.run(params, o.seed, i * per, Math.min(per, o.trials - i * per), exitCode),
    describe: (i) => `trials ${i * per}..${Math.min(o.trials, (i + 1) * per) - 1}`,
  });
  const all = new Float64Array(o.trials * words);
  parts.forEach((p, i) => all.set(p, i * per * words));
  return all;
}

export async function runAttestation(
  cfg: AttestationConfig, costs: Record<string, number>, opts: AttestationPoolOptions,
): Promise<AttestationResult> {
  const c = resolveConfig({ ...cfg, tds: cfg.tds ?? ATTESTATION_DEFAULTS.tds });
  checkOptions(opts);
  const params = buildParams(c, costs);
  if (trialWords(params) * opts.trials > WORDS_MAX) {
    throw invalidField('trials', `trials × tds × requests must be at most ${WORDS_MAX} simulated requests, got ${opts.trials * c.tds * c.requests}`);
  }
  const values = await attestationWords(params, opts);
  // The queue trace of trial 0 comes from the oracle, which is bit-identical to the kernel.
  const trace = traceQueueReference(params, opts.seed, 0);
  return summarizeAttestation(c, costs, values, opts.trials, thinTrace(trace.times, trace.lengths));
}
