// A generic pool of worker threads that run numbered chunks of work (trials, sweep rows).
//
// Idle workers pull chunks from a queue, so fast workers take over a slow one's share. Each
// worker is set up once (it instantiates its WASM kernels and receives any shared state), then
// runs many chunks; with `runHere` this thread is one of the workers, and with `depth` 2 each
// worker holds its next chunk while it runs one. Results are handed back per chunk with the chunk's number; callers that
// need them in order reassemble them (collectChunks does).
//
// A worker that dies (its thread exits: a crash, an out-of-memory abort) fails only the chunk
// it was running: that chunk is retried once on a fresh worker. A second death of the same
// chunk fails the whole run with a message naming the chunk. Every worker is terminated before
// the pool settles, so no thread outlives the call and nothing keeps the process alive; the one
// exception is a run asked to `keep` its workers for the next run on the same script, which
// leaves them as unref'ed spares for that run (or dropSpareWorkers) to end. An abort signal
// stops the run between chunks: finished chunks stay delivered, chunks in flight are dropped
// with their workers.

import { Worker } from 'node:worker_threads';
import { usableCpus } from './cpus.js';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { freshest } from '../util/freshest.js';
import type { Served } from './serve.js';

export const WORKERS_MAX = 256;
export const FAULT_EXIT_CODE = 86;

// How many workers a run gets when the user does not say (--workers absent).
//
// The calling thread is always one of the workers (runHere): it starts on the work at once,
// and each further worker is a thread that joins when it has started. So a second worker can
// cost only what its start-up takes from the cores (150-300 ms of CPU on the 2-vCPU
// development machine, thread + modules + kernels, and a first pass 2-2.5× slower than later
// ones while the JIT warms up), plus, at the end, the last small chunk it holds (chunks shrink
// towards the end: guidedChunks). It pays once the work would keep one thread busy for several
// times that. The rule: estimate the single-thread time from the amount of work, then one
// worker per `minMsPerWorker` of it (at least 1), never more than the machine runs threads at
// once (usableCpus, cpus.ts: the affinity, and a container's CPU quota). Callers estimate from
// draws per trial × trials (trials: 150 ms a worker, pool.ts) and rows × the cost of the
// cheapest row kind (sweeps: 2 s a worker, sweepWorkers); both estimates err towards fewer
// workers. Checked against
// --workers 1 by bench/workers.bench.ts (the default must never be more than 5% slower).

/**
 * The most threads a pool runs, this one included, whatever the caller asks: the CPUs this
 * process may use, but at least two, so that two workers mean the same on every machine.
 * Threads past the CPUs cannot run at the same time, and each costs its start-up and a heap of
 * its own: `sweep --workers 64` on 2 vCPUs took 14.8 s and 2.0 GB for 73,728 rows that one
 * thread writes in 1.4 s (2026-12-06), and 256 would have needed ~8 GB. The output is the
 * same for any count.
 */
export function threadsAtMost(cores: number = usableCpus()): number {
  return Math.max(2, cores);
}

/** Workers for a run that would take one thread `serialMs`; at least 1. */
export function chooseWorkers(serialMs: number, minMsPerWorker: number, cores: number = usableCpus()): number {
  if (!(serialMs > 0) || !(minMsPerWorker > 0)) return 1;
  const byWork = Math.floor(serialMs / minMsPerWorker);
  return Math.max(1, Math.min(byWork, cores, WORKERS_MAX));
}

/**
 * Single-thread cost charged per simulated sweep row (a platform, or a platform under a policy,
 * met for the first time), µs, when choosing the default worker count: a structural row costs
 * 10–20 µs warm with its text (2026-12-06, 2 vCPUs).
 */
export const SWEEP_ROW_US = 20;
/**
 * The same for a row that runs an earlier row's time program under its own costs (a capacity
 * sweep's rows after the first of each platform and policy: model/clock.ts), µs: about 2.2 µs a
 * row end to end once start-up is taken out (360,000 rows in 0.98–1.03 s, 2026-12-06 late),
 * rounded up, so that such a sweep gets a second worker only past about 660,000 rows. Measured
 * there: at 360,000 rows two workers took 1.11–1.33 s against 0.98–1.03 s for one; at 1,080,000
 * rows 2.13–2.23 s against 2.76–2.92 s.
 */
export const SWEEP_RETIMED_ROW_US = 3;
/** A sweep worker must get this much estimated work to pay for its start and warm-up. */
export const SWEEP_MS_PER_WORKER = 2000;

/**
 * Chunk starts for `total` items of which one thread does `perMs` a millisecond (an estimate):
 * at most CHUNK_MS of work a chunk and at least a tenth of it (guidedChunks), so a chunk is
 * long enough to pay for its message and short enough that the threads finish together.
 * On several threads the first chunks also ramp up from that tenth (guidedChunks, rampFrom):
 * the calling thread runs them alone while the worker threads start, and it hands a worker its
 * first chunk only between two of its own. A first chunk of full size, which is also the
 * slowest (a kernel's first calls run before V8 has optimized it), kept a worker that came up
 * during it idle for up to 60 ms (100,000 trials of preset:8s-gnr-64t, 2 vCPUs, 2026-12-06).
 */
export const CHUNK_MS = 20;
export function chunksByTime(total: number, workers: number, perMs: number): number[] {
  const minSize = Math.max(1, Math.ceil((CHUNK_MS / 10) * perMs));
  return guidedChunks(total, workers, Math.max(1, Math.ceil(CHUNK_MS * perMs)), minSize, workers > 1 ? minSize : undefined);
}

/** A chunk of sweep rows in messages: "rows 0..255", or "rows 1..511 step 2" for a shard's rows. */
export function describeRows(r: { start: number; count: number; step: number }): string {
  return `rows ${r.start}..${r.start + (r.count - 1) * r.step}${r.step > 1 ? ` step ${r.step}` : ''}`;
}

/** The default worker count for a sweep of `rows` rows of which `simulated` simulate (the others re-time a run). */
export function sweepWorkers(rows: number, cores: number = usableCpus(), simulated = rows): number {
  const us = simulated * SWEEP_ROW_US + (rows - simulated) * SWEEP_RETIMED_ROW_US;
  return chooseWorkers(us / 1000, SWEEP_MS_PER_WORKER, cores);
}

/**
 * Where the chunks of `total` items start, guided: each chunk takes 1/(2·workers) of the items
 * left, at most maxSize and at least minSize, so chunks shrink towards the end and the threads
 * finish within a small chunk of each other (a big last chunk on a cold thread would keep the
 * others waiting). With rampFrom, the first chunk has at most that size and each next one at
 * most twice the one before, until the guided size takes over. The last entry is `total`. Any
 * split gives the same output bytes.
 */
export function guidedChunks(total: number, workers: number, maxSize: number, minSize: number, rampFrom = Infinity): number[] {
  const starts = [0];
  let ramp = Math.max(1, rampFrom);
  for (let at = 0; at < total;) {
    const size = Math.min(ramp, Math.max(minSize, Math.min(maxSize, Math.ceil((total - at) / (2 * workers)))));
    at = Math.min(total, at + size);
    starts.push(at);
    ramp *= 2;
  }
  return starts;
}

export interface FaultInjection {
  /** Index of the chunk whose worker is made to exit (code FAULT_EXIT_CODE) mid-chunk. */
  killChunk: number;
  /** How many attempts at that chunk die: 1 is survived by the retry, 2 fails the run. */
  times: number;
}

/** A worker thread died while it owed us a result. */
export class WorkerExitError extends Error {
  constructor(
    readonly label: string,
    readonly workerId: number,
    readonly exitCode: number,
    cause?: Error,
  ) {
    super(`${label} worker ${workerId} exited with code ${exitCode}${cause ? ` (${cause.message})` : ''}`);
    this.name = 'WorkerExitError';
  }
}

export interface ChunkPoolOptions<Api, R> {
  /** Names the work in messages: "<label> chunk 3 (<describe(3)>) failed twice: ...". */
  label: string;
  /** Base name of the worker module, a sibling of this file ("trialsWorker"). */
  workerModule: string;
  workers: number;
  /** Chunks are numbered 0..chunks-1. */
  chunks: number;
  /**
   * Runs once on every worker this run uses (also on a replacement, and on a worker kept from an
   * earlier run) before its first chunk, once the worker has answered that it is up.
   */
  setup?: (remote: Comlink.Remote<Api>) => Promise<void>;
  /** Runs one chunk; exitCode is the fault-injection request the worker must honour. */
  run: (remote: Comlink.Remote<Api>, chunk: number, exitCode: number | undefined) => Promise<R>;
  /** What a chunk covers, for messages ("trials 750..999"). */
  describe: (chunk: number) => string;
  /** Called as each chunk finishes, in completion order. */
  onChunk: (chunk: number, result: R) => void;
  faultInjection?: FaultInjection;
  signal?: AbortSignal;
  /**
   * Runs a chunk in this thread, which then counts as one of the `workers` (one thread fewer is
   * started): it works from the first moment instead of waiting for threads to start, and idles
   * nowhere. It yields between its chunks so the workers' replies are handled. Not used under
   * fault injection (the pool's retry is exercised on threads alone).
   */
  runHere?: (chunk: number) => R;
  /**
   * Awaited before a chunk runs, on whichever thread takes it: a chunk that needs the results
   * of others (statistics over every trial) waits for them here, not on a worker.
   */
  before?: (chunk: number) => Promise<void> | undefined;
  /**
   * Calls each worker has in flight (default 1). With 2 a worker always holds its next chunk,
   * so it never waits for a round trip, nor for this thread to finish a chunk of its own.
   */
  depth?: number;
  /**
   * When the run ends well, leave its workers running as spares of the worker module (as
   * prewarmWorkers does) instead of terminating them: a second pool run on the same module right
   * after (the guest run's quote trials after its acceptance trials) claims them and starts no
   * thread. The caller ends what is left with dropSpareWorkers(workerModule).
   */
  keep?: boolean;
}

// From compiled JS the worker is a sibling .js file. From sources (vitest, tsx) it is the .ts
// file and the thread needs tsx to load it; on Node 20 `execArgv: ['--import', 'tsx']` is not
// applied to worker threads (the .ts file is then rejected for its extension), so the thread
// starts from a one-line script that loads the worker through tsx's tsImport API instead.
const fromSource = import.meta.url.endsWith('.ts');

// The ESM build of tsx's API: require.resolve would pick its CommonJS build, which cannot load
// tsImport's own ESM half from a worker.
function tsxEsmApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifest), pkg.exports['./esm/api'].import.default)).href;
}

// The compiled worker, or its one-file bundle when it is fresh (util/freshest.ts): a thread then
// loads one module instead of its import graph. The path goes through ../workers/ so that it
// holds from the command line's bundle too (dist/src/bundle/, scripts/bundle.mjs).
const compiled = new Map<string, URL>();
function compiledWorker(module: string): URL {
  let url = compiled.get(module);
  if (!url) {
    url = freshest(new URL(`../workers/${module}.bundle.js`, import.meta.url), new URL(`../workers/${module}.js`, import.meta.url));
    compiled.set(module, url);
  }
  return url;
}

function newWorkerThread(module: string): Worker {
  if (!fromSource) return new Worker(compiledWorker(module));
  const tsxApi = tsxEsmApiUrl();
  const worker = new URL(`./${module}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(boot, { eval: true });
}

const alive = new Map<string, number>();
let started = 0;

/** Worker threads started so far in this thread, of every label (tests count what a run starts). */
export function workersStarted(): number {
  return started;
}

/** Worker threads of a label (or of all labels) started and not yet exited, in this thread. */
export function liveWorkers(label?: string): number {
  if (label !== undefined) return alive.get(label) ?? 0;
  let n = 0;
  for (const v of alive.values()) n += v;
  return n;
}

/** The in-flight tag of a worker's setup call (chunks are tagged with their number). */
const SETUP = -1;

class PoolWorker<Api> {
  private readonly thread: Worker;
  readonly remote: Comlink.Remote<Api>;
  // Calls in flight, oldest first: the worker runs them in that order, so the first is the one
  // a death interrupted and the others were only waiting (they are retried without counting).
  private readonly inFlight: { tag: number; reject: (err: Error) => void }[] = [];
  private lastError: Error | undefined;
  private exit: WorkerExitError | null = null;
  /** What the worker was running when it died: a chunk number or SETUP. */
  runningAtExit: number | undefined;
  setup: Promise<void> | null = null;

  constructor(
    readonly label: string,
    readonly id: number,
    module: string,
  ) {
    this.thread = newWorkerThread(module);
    started++;
    alive.set(label, (alive.get(label) ?? 0) + 1);
    this.thread.on('error', (err: Error) => {
      this.lastError = err;
    });
    // Comlink knows nothing of thread exit: without this a dead worker's call never settles.
    this.thread.on('exit', (code: number) => {
      alive.set(label, (alive.get(label) ?? 1) - 1);
      this.exit = new WorkerExitError(this.label, this.id, code, this.lastError);
      this.runningAtExit = this.inFlight[0]?.tag;
      for (const c of this.inFlight.splice(0)) c.reject(this.exit);
    });
    this.remote = Comlink.wrap<Api>(nodeEndpoint(this.thread));
  }

  /** A call on the worker (tagged SETUP or with its chunk) that also rejects, with WorkerExitError, if the thread dies. */
  call<T>(tag: number, f: (remote: Comlink.Remote<Api>) => Promise<T>): Promise<T> {
    if (this.exit) return Promise.reject(this.exit);
    return new Promise<T>((resolve, reject) => {
      const entry = { tag, reject };
      this.inFlight.push(entry);
      const done = (): void => {
        const i = this.inFlight.indexOf(entry);
        if (i >= 0) this.inFlight.splice(i, 1);
      };
      f(this.remote).then(
        (value) => {
          done();
          resolve(value);
        },
        (err: unknown) => {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  async terminate(): Promise<void> {
    await this.thread.terminate();
  }

  /** False once the thread has exited. */
  get alive(): boolean {
    return this.exit === null;
  }

  /** A spare waiting to be claimed must not keep the process alive. */
  unref(): void {
    this.thread.unref();
  }

  ref(): void {
    this.thread.ref();
  }
}

// Threads started ahead of a run (prewarmWorkers), by worker module. Starting a thread and
// loading its WASM costs ~100 ms; a caller that knows a pool is coming can overlap that with
// its own work. Unclaimed spares are unref'ed, so they never hold the process open.
const spares = new Map<string, PoolWorker<unknown>[]>();
let spareIds = 1_000_000;

/**
 * Start `count` threads of `workerModule` ahead of its pool, but never more than the machine
 * runs beside this thread (threadsAtMost). Whether the run has chunks for them is known only
 * when the pool cuts the work; the pool starts any further thread it has a chunk for.
 * Unbounded, `--workers 256` started 255 threads for 0.1 s of trials on 2 vCPUs: 10 s and
 * 1.7 GB (2026-12-06).
 */
export function prewarmWorkers(label: string, workerModule: string, count: number, cores: number = usableCpus()): void {
  const ahead = Math.min(count, threadsAtMost(cores) - 1);
  for (let i = sparesOf(workerModule).length; i < ahead; i++) addSpare(workerModule, new PoolWorker<unknown>(label, spareIds++, workerModule));
}

/**
 * Terminate spares nobody claimed, of one worker module or of all (tests, a run that ended
 * before its pool started, or the workers a `keep` run left).
 */
export async function dropSpareWorkers(workerModule?: string): Promise<void> {
  const modules = workerModule === undefined ? [...spares.keys()] : [workerModule];
  const all = modules.flatMap((m) => sparesOf(m));
  for (const m of modules) spares.delete(m);
  await Promise.all(all.map((w) => w.terminate()));
}

/** A finished run's live workers, set aside for the next run on their module (ChunkPoolOptions.keep). */
function keepAsSpares(workerModule: string, workers: Iterable<PoolWorker<unknown>>): void {
  for (const w of workers) {
    if (!w.alive) continue;
    w.setup = null;
    addSpare(workerModule, w);
  }
}

function sparesOf(workerModule: string): PoolWorker<unknown>[] {
  return spares.get(workerModule) ?? [];
}

/** A spare waits unref'ed: it must not keep the process alive. */
function addSpare(workerModule: string, w: PoolWorker<unknown>): void {
  w.unref();
  const list = spares.get(workerModule);
  if (list) list.push(w);
  else spares.set(workerModule, [w]);
}

function takeSpare<Api>(workerModule: string): PoolWorker<Api> | undefined {
  const w = spares.get(workerModule)?.pop() as PoolWorker<Api> | undefined;
  w?.ref();
  return w;
}

/**
 * Run every chunk on up to `workers` threads (at most threadsAtMost()). Resolves with
 * aborted = true when the signal stopped it (the chunks delivered to onChunk so far are all
 * that ran), false when all ran.
 */
export async function runChunkPool<Api, R>(opts: ChunkPoolOptions<Api, R>): Promise<{ aborted: boolean }> {
  const { label, chunks, faultInjection: fault, signal } = opts;
  if (!Number.isInteger(opts.workers) || opts.workers < 1 || opts.workers > WORKERS_MAX) {
    throw new RangeError(`${label} pool: workers must be an integer in [1, ${WORKERS_MAX}]`);
  }
  if (opts.depth !== undefined && (!Number.isInteger(opts.depth) || opts.depth < 1)) {
    throw new RangeError(`${label} pool: depth must be a positive integer`);
  }
  let next = 0;
  const attempts = new Map<number, number>();
  const live = new Set<PoolWorker<Api>>();
  let nextId = 1;
  let stopped = false;
  let aborted = false;
  const depth = opts.depth ?? 1;

  const spawn = (): PoolWorker<Api> => {
    const w = takeSpare<Api>(opts.workerModule) ?? new PoolWorker<Api>(label, nextId++, opts.workerModule);
    live.add(w);
    return w;
  };
  const discard = (w: PoolWorker<Api>): void => {
    live.delete(w);
    void w.terminate();
  };

  // Terminating the workers rejects their in-flight calls, which ends the slot loops at once.
  let stopAll: () => void = () => undefined;
  const stoppedAll = new Promise<void>((resolve) => {
    stopAll = resolve;
  });
  const onAbort = (): void => {
    if (stopped) return;
    aborted = true;
    stopped = true;
    stopAll();
    for (const w of live) void w.terminate();
  };
  if (signal?.aborted) return { aborted: true };
  signal?.addEventListener('abort', onAbort, { once: true });

  // Ends every wait in `before` when the run stops (settled in the finally block below).
  let halt: () => void = () => undefined;
  const halted = new Promise<void>((resolve) => {
    halt = resolve;
  });
  const gate = async (chunk: number): Promise<boolean> => {
    const wait = opts.before?.(chunk);
    if (wait) await Promise.race([wait, halted]);
    return !!wait;
  };
  // The run is over when every chunk is delivered, even while a worker is still starting (this
  // thread may have run them all): it is not waited for, only terminated.
  let delivered = 0;
  let allDelivered: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allDelivered = resolve;
  });
  const deliver = (chunk: number, result: R): void => {
    opts.onChunk(chunk, result);
    if (++delivered === chunks) allDelivered();
  };
  const what = (chunk: number): string => `${label} chunk ${chunk} (${opts.describe(chunk)})`;
  // A worker takes chunks once it has answered (serve.ts, ready): a chunk sent to a thread that
  // is still starting would wait there while this thread could have run it.
  const setUp = (w: PoolWorker<Api>): Promise<void> => {
    // Both calls go out at once; the worker answers them in order.
    w.setup ??= w.call(SETUP, (r) => Promise.all([(r as unknown as Comlink.Remote<Served>).ready(), opts.setup?.(r)]).then(() => undefined));
    return w.setup;
  };

  // One lane per thread, with `depth` loops sharing its worker: each pulls a chunk, runs it,
  // and on a worker death replaces the worker (once for all its loops) and retries the chunk.
  // A death counts against the chunk the worker was running (or against every waiting chunk
  // when it died in setup); a chunk that dies twice fails the run.
  const lane = async (): Promise<void> => {
    let worker = spawn();
    // A chunk of this lane waiting in `before`: a worker holds at most one such chunk, so the
    // chunks that wait for the same moment are shared out over the threads.
    let waiting: Promise<unknown> | null = null;
    const loop = async (): Promise<void> => {
      for (;;) {
        // Take a chunk only once the worker is ready: until then the chunks are better left to
        // this thread (runHere) or to ready workers. A setup that failed fails below, counted
        // against the chunk, as a death while running it would.
        await Promise.race([setUp(worker).catch(() => undefined), halted]);
        if (stopped || next >= chunks) return;
        if (waiting && opts.before?.(next)) {
          await waiting;
          continue;
        }
        const chunk = next++;
        let release = (): void => undefined;
        if (opts.before?.(chunk)) {
          waiting = new Promise<void>((resolve) => {
            release = () => {
              waiting = null;
              resolve();
            };
          });
        }
        try {
          if (!(await runChunk(chunk))) return;
        } finally {
          release();
        }
      }
    };
    // Runs one chunk, retrying it on a fresh worker after a death; false when the run stopped.
    const runChunk = async (chunk: number): Promise<boolean> => {
      await gate(chunk);
      if (stopped) return false;
      for (;;) {
        const attempt = (attempts.get(chunk) ?? 0) + 1;
        attempts.set(chunk, attempt);
        const exitCode = fault && fault.killChunk === chunk && attempt <= fault.times ? FAULT_EXIT_CODE : undefined;
        const w = worker;
        try {
          await setUp(w);
          const result = await w.call(chunk, (r) => opts.run(r, chunk, exitCode));
          if (stopped) return false;
          deliver(chunk, result);
          return true;
        } catch (err) {
          if (stopped) return false;
          if (!(err instanceof WorkerExitError)) {
            throw new Error(`${what(chunk)} failed: ${(err as Error).message}`, { cause: err });
          }
          if (w.runningAtExit !== chunk && w.runningAtExit !== SETUP) attempts.set(chunk, attempt - 1);
          else if (attempt >= 2) throw new Error(`${what(chunk)} failed twice: ${err.message}`, { cause: err });
          if (worker === w) {
            discard(w);
            worker = spawn();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: depth }, loop));
  };

  // This thread as one more worker: synchronous chunks, with a turn of the event loop between
  // them so the lanes hand out work and collect results.
  const here = async (): Promise<void> => {
    while (!stopped && next < chunks) {
      const chunk = next++;
      // After a wait, let the workers' waiting chunks be sent first: this thread's chunk runs
      // synchronously and would hold theirs back until it is done.
      if (await gate(chunk)) await new Promise((resolve) => setImmediate(resolve));
      if (stopped) return;
      let result: R;
      try {
        result = opts.runHere!(chunk);
      } catch (err) {
        throw new Error(`${what(chunk)} failed: ${(err as Error).message}`, { cause: err });
      }
      if (stopped) return;
      deliver(chunk, result);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const local = !!opts.runHere && !fault;
  const threads = Math.min(Math.min(opts.workers, threadsAtMost()) - (local ? 1 : 0), chunks - (local ? 1 : 0));
  const slots = Array.from({ length: Math.max(0, threads) }, () => lane());
  if (local) slots.push(here());
  let ranAll = false;
  try {
    // all() rejects on the first fatal slot without waiting for chunks still in flight; the
    // abort promise ends the wait as soon as the signal fires; `finished` once all are in.
    await Promise.race([Promise.all(slots), stoppedAll, finished]);
    ranAll = !aborted;
    return { aborted };
  } finally {
    stopped = true;
    halt();
    signal?.removeEventListener('abort', onAbort);
    if (ranAll && opts.keep) {
      // Every chunk is in, so no worker holds a call of this run (a setup still in flight is
      // answered later and dropped); the lanes stop at their next step.
      await Promise.allSettled(slots);
      keepAsSpares(opts.workerModule, live);
    } else {
      // With the spares started for this run that it did not need (fewer chunks than threads).
      await Promise.all([...[...live].map((w) => w.terminate()), dropSpareWorkers(opts.workerModule)]);
      // Every in-flight call has now been rejected by its worker's exit; let the loops see it.
      await Promise.allSettled(slots);
    }
  }
}

/** Run every chunk and return the results in chunk order. */
export async function collectChunks<Api, R>(opts: Omit<ChunkPoolOptions<Api, R>, 'onChunk' | 'signal'>): Promise<R[]> {
  const results: R[] = new Array(opts.chunks);
  await runChunkPool({ ...opts, onChunk: (i, r) => { results[i] = r; } });
  return results;
}
