// The rows of a guest sweep (a spec with `kind: guest`, read by src/guest/sweep.ts): one boot
// model and one attestation run per TD, each row on one thread. The rows are cut into chunks
// run by the worker pool, this thread one of the workers; the text goes out strictly in index
// order, so it is the same for any --workers. Here, a layer above the model, because the rows
// use the worker pool.
//
// Default worker count: the single-thread time of the shard's rows is estimated from the work
// each row's boot plan and quote runs hold (the accept and attestation estimates of
// guestAcceptRun.ts and attestationRun.ts), on an even sample of at most SAMPLE_ROWS rows, and
// every worker must get GUEST_SWEEP_MS_PER_WORKER of it (chooseWorkers, chunkPool.ts).

import { csvRecord } from '../util/csv.js';
import { rowTd, type GuestSweepPlan } from '../guest/sweep.js';
import { planBoot } from '../guest/boot/model.js';
import { attestationConfig, noQuoteReason } from './guestRun.js';
import { axisNames, columns, guestRowsText, rowValues, type GuestRowRange } from './guestSweepRows.js';
import { acceptMs } from './guestAcceptRun.js';
import { attestationMs, attestationParams } from './attestationRun.js';
import { chooseWorkers, guidedChunks, runChunkPool, type FaultInjection, describeRows } from './chunkPool.js';
import type { GuestSweepWorkerApi } from './guestSweepWorker.js';

/**
 * What a row costs beyond its accept and quote kernels (validating the TD, planning, the
 * curve, the row text), ms: 0.05-0.17 on the cheapest of 120 rows of 2-64 vCPUs and 8-128 GiB
 * measured on the development machine (rows of many vCPUs cost up to 1.5 ms more than their
 * estimate, whose accept rate is the fastest measured). Low, so the estimate errs towards
 * fewer workers.
 */
export const GUEST_ROW_FIXED_MS = 0.1;
/**
 * A guest sweep worker must get this much estimated work to pay for itself: a second thread
 * added 130-200 ms of CPU (its start, the guest model, two kernels, its first and slower rows)
 * to a guest sweep of 1 s measured on the development machine (process.cpuUsage, same rows on
 * 1 and 2 threads); twice that, so a worker's share of the work is well above what it costs
 * (a trials worker, lighter to start, needs 150 ms: pool.ts).
 */
export const GUEST_SWEEP_MS_PER_WORKER = 400;
/** Rows whose work is estimated (evenly spaced over the shard); their mean stands for every row. */
const SAMPLE_ROWS = 64;
/** Estimated single-thread milliseconds per chunk at most (chunks shrink towards the end). */
const ROW_CHUNK_MS = 50;

export interface GuestSweepOptions {
  format: 'csv' | 'jsonl';
  /** Threads, this one included; absent: chosen from the estimated work (guestSweepWorkers). */
  workers?: number;
  /** Shard K of N owns the rows with index % N == K - 1. */
  shard?: { k: number; n: number };
  /** Rows per chunk (tests); default: sized from the estimated work. */
  chunkRows?: number;
  faultInjection?: FaultInjection;
  signal?: AbortSignal;
  /** Receives the output in order: the header (CSV), then rows as their prefix completes. */
  write: (text: string) => void;
  onProgress?: (done: number, total: number) => void;
}

/** Estimated single-thread milliseconds of one row (the work its kernels will do, plus the fixed part). */
export function guestRowMs(plan: GuestSweepPlan, index: number): number {
  const { td, values } = rowTd(plan.base, axisNames(plan), rowValues(plan, index));
  const jobs = planBoot(td, values, 0).jobs.map((j) => j.job);
  // The deterministic run with its curve, then (trials > 1) every trial again by makespan.
  let ms = GUEST_ROW_FIXED_MS + acceptMs(jobs, 1) + (plan.trials > 1 ? acceptMs(jobs, plan.trials) : 0);
  if (noQuoteReason(td) === null) ms += attestationMs(attestationParams(attestationConfig(td), values).params, Math.max(1, plan.trials));
  return ms;
}

/** Mean estimated milliseconds of a row of the range, from an even sample of at most SAMPLE_ROWS of them. */
function meanRowMs(plan: GuestSweepPlan, range: GuestRowRange): number {
  const n = Math.min(range.count, SAMPLE_ROWS);
  let ms = 0;
  for (let s = 0; s < n; s++) ms += guestRowMs(plan, range.start + Math.floor((s * range.count) / n) * range.step);
  return ms / n;
}

/** The default worker count for `rows` rows of `rowMs` estimated milliseconds each. */
export function guestSweepWorkers(rows: number, rowMs: number, cores?: number): number {
  return chooseWorkers(rows * rowMs, GUEST_SWEEP_MS_PER_WORKER, cores);
}

/** Header (CSV only), then one line per row, in index order, through `write`. */
export async function runGuestSweep(plan: GuestSweepPlan, opts: GuestSweepOptions): Promise<{ rows: number; total: number; aborted: boolean; failed: number; invalid: number }> {
  const step = opts.shard?.n ?? 1;
  const first = (opts.shard?.k ?? 1) - 1;
  const total = first >= plan.total ? 0 : Math.floor((plan.total - 1 - first) / step) + 1;
  const all: GuestRowRange = { start: first, count: total, step };
  // A TD row has no failed initialization (quote failures are counted in its outcome columns).
  let rows = 0;
  const done = (aborted: boolean) => ({ rows, total, aborted, failed: 0, invalid: 0 });
  // Estimated before anything is written: a row the estimate refuses is refused before the header.
  const rowMs = total === 0 ? 0 : meanRowMs(plan, all);
  if (opts.format === 'csv') opts.write(csvRecord(columns(plan)) + '\n');
  opts.onProgress?.(0, total);
  if (total === 0) return done(false);
  const workers = opts.workers ?? guestSweepWorkers(total, rowMs);
  // Chunk c holds the shard's rows starts[c] .. starts[c + 1] - 1.
  const maxRows = Math.max(1, Math.floor(ROW_CHUNK_MS / rowMs));
  const starts = opts.chunkRows !== undefined ? guidedChunks(total, 1, opts.chunkRows, opts.chunkRows) : guidedChunks(total, workers, maxRows, 1);
  const range = (c: number): GuestRowRange => ({ start: first + starts[c] * step, count: starts[c + 1] - starts[c], step });

  let nextChunk = 0;
  const pending = new Map<number, string>();
  // Chunks finish in any order; text goes out only once every chunk before it is out.
  const deliver = (c: number, text: string): void => {
    pending.set(c, text);
    while (pending.has(nextChunk)) {
      opts.write(pending.get(nextChunk)!);
      pending.delete(nextChunk);
      rows += range(nextChunk).count;
      nextChunk++;
    }
    opts.onProgress?.(rows, total);
  };
  const { aborted } = await runChunkPool<GuestSweepWorkerApi, string>({
    label: 'guest sweep',
    workerModule: 'guestSweepWorker',
    workers,
    chunks: starts.length - 1,
    runHere: (c) => guestRowsText(plan, opts.format, range(c)),
    setup: (remote) => remote.init(plan, opts.format),
    run: (remote, c, exitCode) => remote.run(range(c), exitCode),
    describe: (c) => describeRows(range(c)),
    onChunk: deliver,
    faultInjection: opts.faultInjection,
    signal: opts.signal,
  });
  return done(aborted && rows < total);
}
