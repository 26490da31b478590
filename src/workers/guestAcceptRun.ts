// Running the acceptance jobs of a boot plan for one or many trials: in this thread, or spread
// over the worker pool in contiguous chunks of trials. A trial's numbers depend only on
// (seed, trial index), so the output is the same for any number of workers.
//
// Threads: this thread is one of the workers (it runs chunks from the first moment, while the
// others start); without a worker count the run gets one worker per ACCEPT_MS_PER_WORKER of
// estimated single-thread work (chooseWorkers, chunkPool.ts), and chunks are sized from the
// same estimate, so a short run stays in this thread whatever the count.

import { chooseWorkers, chunksByTime, collectChunks, prewarmWorkers } from './chunkPool.js';
import type { AcceptJob } from '../guest/boot/acceptJob.js';
import { acceptWasm } from '../guest/boot/acceptWasm.js';
import type { GuestWorkerApi } from './guestWorker.js';

/**
 * Heap levels the accept kernel walks per millisecond on one thread. A unit moves its vCPU
 * through the kernel's binary heap of vCPUs (assembly/accept.ts, siftDown), so a trial costs
 * about units × log2(vCPUs) levels: 150,000-380,000 a millisecond measured on the development
 * machine (1 to 1,024 vCPUs, jitter 0 and 0.3; 180,000-200,000 from 32 vCPUs up). A high
 * figure, so the estimate is low and errs towards fewer workers.
 */
export const ACCEPT_LEVELS_PER_MS = 300_000;
/** A worker must get this much estimated work to pay for its start (as trials: pool.ts). */
export const ACCEPT_MS_PER_WORKER = 150;

/** Estimated single-thread milliseconds of `count` trials of these jobs. */
export function acceptMs(jobs: AcceptJob[], count: number): number {
  let levels = 0;
  for (const j of jobs) levels += j.units * Math.max(1, Math.log2(j.vcpus));
  return (levels * count) / ACCEPT_LEVELS_PER_MS;
}

/** The default worker count for `count` trials of these jobs. */
export function acceptWorkers(jobs: AcceptJob[], count: number, cores?: number): number {
  return chooseWorkers(acceptMs(jobs, count), ACCEPT_MS_PER_WORKER, cores);
}

const LABEL = 'guest accept';
/** The worker script of both guest pools (guestWorker.ts), so that they can share threads. */
export const GUEST_WORKER = 'guestWorker';

/**
 * Start the guest workers now, so that their start-up overlaps the caller's own work (the
 * command line calls it before loading the guest command, a bench before its quote trials):
 * the next guest pool, acceptance or quotes, claims them (both run guestWorker.ts). This thread
 * is one of the `workers`, so one thread fewer is started.
 */
export function prewarmGuestWorkers(workers: number): void {
  if (workers > 1) prewarmWorkers(LABEL, GUEST_WORKER, workers - 1);
}

/** Per job, trials first..first+count-1 on this thread (samples + 1 words each), trial-major. */
export function acceptTrialsHere(jobs: AcceptJob[], first: number, count: number): Float64Array[] {
  return jobs.map((j) => acceptWasm(j, first, count));
}

/**
 * Per job, `count` trials' outputs (samples + 1 words each), trial-major. `workers` counts this
 * thread; absent, it is chosen from the estimated work (acceptWorkers). With `keep`, the threads
 * stay up for the quote pool that follows (chunkPool.ts, keep); the caller drops what is left.
 */
export async function runAcceptTrials(jobs: AcceptJob[], count: number, workers?: number, keep = false): Promise<Float64Array[]> {
  const n = workers ?? acceptWorkers(jobs, count);
  if (n <= 1 || count <= 1) return acceptTrialsHere(jobs, 0, count);
  const perMs = count / Math.max(acceptMs(jobs, count), Number.MIN_VALUE);
  const starts = chunksByTime(count, n, perMs);
  const first = (c: number): number => starts[c];
  const size = (c: number): number => starts[c + 1] - starts[c];
  const parts = await collectChunks<GuestWorkerApi, Float64Array[]>({
    label: LABEL,
    workerModule: GUEST_WORKER,
    workers: n,
    keep,
    chunks: starts.length - 1,
    run: (remote, c, exitCode) => remote.accept(jobs, first(c), size(c), exitCode) as Promise<Float64Array[]>,
    runHere: (c) => acceptTrialsHere(jobs, first(c), size(c)),
    describe: (c) => `trials ${first(c)}..${first(c) + size(c) - 1}`,
  });
  return jobs.map((j, ji) => {
    const out = new Float64Array(count * (j.samples + 1));
    let at = 0;
    for (const p of parts) {
      out.set(p[ji], at);
      at += p[ji].length;
    }
    return out;
  });
}
