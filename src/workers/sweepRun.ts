// Running a sweep: cut the rows (of one shard) into chunks, evaluate them on the worker pool or
// in this thread, and hand the row text back strictly in index order.
//
// Sharding is by index modulo N: shard K of N owns the rows with index % N == K - 1. Neighbours
// in a grid differ in the fastest axis only and cost about the same to evaluate, so every shard
// gets a fair share of the expensive corners; and a missing shard shows as gaps in the merged
// indices, which the merge refuses.

import type { EngineName } from '../kernels/engine.js';
import { loadEngine } from '../kernels/engine.js';
import { guidedChunks, runChunkPool, sweepWorkers, type FaultInjection, describeRows } from './chunkPool.js';
import type { SweepWorkerApi } from './sweepWorker.js';
import { SweepEvaluator, type RowRange } from '../model/sweep/evaluate.js';
import { RowText, headerText, type ChunkOutput, type SweepFormat } from '../model/sweep/output.js';
import { simulatedRows, type SweepPlan } from '../model/sweep/spec.js';
import { textOf, type TextChunk } from '../util/byteText.js';

export interface Shard {
  /** 1-based. */
  k: number;
  n: number;
}

/** Rows per chunk at most: a chunk is the unit of progress, of retry and of what Ctrl-C drops. */
const MAX_CHUNK_ROWS = 256;
/** ... and at least, on several threads (the last chunks shrink to this; chunkPool.ts guidedChunks). */
const MIN_CHUNK_ROWS = 16;

export interface SweepOptions {
  format: SweepFormat;
  /** Worker threads; absent: chosen from the row count (workers/chunkPool.ts, sweepWorkers). */
  workers?: number;
  engine?: EngineName;
  shard?: Shard;
  chunkRows?: number;
  faultInjection?: FaultInjection;
  signal?: AbortSignal;
  /**
   * Receives the output in order: the header first, then rows (UTF-8 bytes from a host sweep) as
   * their prefix completes. Bytes are the receiver's to keep, unless it returns a promise: once
   * that settles, the sweep writes later rows into their buffer.
   */
  write: (text: TextChunk) => void | Promise<void>;
  /** Rows done so far (in order) and the shard's row count. */
  onProgress?: (done: number, total: number) => void;
}

export interface SweepOutcome {
  /** Rows written (a prefix of the shard's rows in index order). */
  rows: number;
  /** Rows the shard holds. */
  total: number;
  aborted: boolean;
  /** Of the rows written: failed initializations (invalid combinations included), and invalid combinations. */
  failed: number;
  invalid: number;
}

/** How many of `total` rows shard k/n owns. */
export function shardRows(total: number, shard: Shard | undefined): number {
  if (!shard) return total;
  const first = shard.k - 1;
  return first >= total ? 0 : Math.floor((total - 1 - first) / shard.n) + 1;
}

export async function runSweep(plan: SweepPlan, opts: SweepOptions): Promise<SweepOutcome> {
  if (plan.guest) {
    const { runGuestSweep } = await import('./guestSweepRun.js');
    return runGuestSweep(plan.guest, opts);
  }
  const step = opts.shard?.n ?? 1;
  const offset = (opts.shard?.k ?? 1) - 1;
  const total = shardRows(plan.total, opts.shard);
  // A shard may meet every platform: its simulated rows are at most all of the plan's.
  const workers = opts.workers ?? sweepWorkers(total, undefined, Math.min(total, simulatedRows(plan)));
  // Chunk c holds the shard's rows starts[c] .. starts[c + 1] - 1.
  const starts = opts.chunkRows !== undefined || workers === 1
    ? guidedChunks(total, 1, opts.chunkRows ?? MAX_CHUNK_ROWS, opts.chunkRows ?? MAX_CHUNK_ROWS)
    : guidedChunks(total, workers, MAX_CHUNK_ROWS, MIN_CHUNK_ROWS);
  const chunks = starts.length - 1;
  const range = (c: number): RowRange => ({ start: offset + starts[c] * step, count: starts[c + 1] - starts[c], step });

  opts.write(headerText(plan, opts.format));
  const text = new RowText(plan, opts.format);
  let done = 0;
  let failed = 0;
  let invalid = 0;
  let nextChunk = 0;
  const pending = new Map<number, ChunkOutput>();
  // Chunks finish in any order; text goes out only once every chunk before it is out.
  const deliver = (c: number, chunk: ChunkOutput): void => {
    pending.set(c, chunk);
    while (pending.has(nextChunk)) {
      const next = pending.get(nextChunk)!;
      const written = opts.write(next.bytes);
      if (written) void written.then(() => text.recycle(next.bytes), () => undefined);
      failed += next.failed;
      invalid += next.invalid;
      pending.delete(nextChunk);
      done += range(nextChunk).count;
      nextChunk++;
    }
    opts.onProgress?.(done, total);
  };
  opts.onProgress?.(0, total);

  const outcome = (aborted: boolean): SweepOutcome => ({ rows: done, total, aborted, failed, invalid });
  if (total === 0) return outcome(false);
  if (workers === 1 && !opts.faultInjection) {
    const evaluator = new SweepEvaluator(plan, await loadEngine(opts.engine ?? 'wasm'));
    for (let c = 0; c < chunks; c++) {
      if (opts.signal?.aborted) return outcome(true);
      deliver(c, text.chunk(evaluator, range(c)));
      // Let a signal handler run between chunks: evaluation itself never yields.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return outcome(!!opts.signal?.aborted && done < total);
  }

  // This thread evaluates chunks too (one thread fewer is started), between writing them out.
  const here = opts.faultInjection ? undefined : new SweepEvaluator(plan, await loadEngine(opts.engine ?? 'wasm'));
  const { aborted } = await runChunkPool<SweepWorkerApi, ChunkOutput>({
    label: 'sweep',
    workerModule: 'sweepWorker',
    workers,
    chunks,
    depth: 2,
    runHere: here && ((c) => text.chunk(here, range(c))),
    setup: (remote) => remote.init(plan, opts.engine ?? 'wasm', opts.format),
    run: (remote, c, exitCode) => remote.run(range(c), exitCode),
    describe: (c) => describeRows(range(c)),
    onChunk: deliver,
    faultInjection: opts.faultInjection,
    signal: opts.signal,
  });
  return outcome(aborted && done < total);
}

/** The whole output as one string (tests, the library API). */
export async function sweepText(plan: SweepPlan, opts: Omit<SweepOptions, 'write'>): Promise<string> {
  let text = '';
  await runSweep(plan, { ...opts, write: (t) => { text += textOf(t); } });
  return text;
}

