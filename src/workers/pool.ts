// Runs Monte Carlo trials on worker threads.
//
// Trials are cut into contiguous chunks that idle workers pull from a queue; each trial's
// random stream depends only on (seed, trial index), and the chunks are reassembled in trial
// order, so the result is byte-identical for any number of workers or chunks.
//
// A worker that dies (its thread exits, e.g. on a crash or out-of-memory abort) fails only the
// chunk it was running: that chunk is retried once on a fresh worker. A second death of the
// same chunk fails the whole run. Every worker is terminated before runTrials settles, so no
// thread outlives the call and nothing keeps the process alive.

import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { TrialProgram, TrialsResult } from '../model/trialProgram.js';
import { TRIALS_MAX, validateSeed, validateTrialProgram } from '../model/trialProgram.js';
import { invalidField } from '../platform/errors.js';
import { runTrialsWasm, summarize } from '../kernels/trials.js';
import type { TrialsWorkerApi } from './trialsWorker.js';

export const WORKERS_MAX = 256;
/** Chunks per worker by default: enough for the fast workers to take over a slow one's share. */
const CHUNKS_PER_WORKER = 4;

export interface FaultInjection {
  /** Index of the chunk whose worker is made to exit (code FAULT_EXIT_CODE) mid-chunk. */
  killChunk: number;
  /** How many attempts at that chunk die: 1 is survived by the retry, 2 fails the run. */
  times: number;
}

export const FAULT_EXIT_CODE = 86;

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

/** A worker thread died while it owed us a result. */
export class TrialsWorkerExitError extends Error {
  constructor(
    readonly workerId: number,
    readonly exitCode: number,
    cause?: Error,
  ) {
    super(`trials worker ${workerId} exited with code ${exitCode}${cause ? ` (${cause.message})` : ''}`);
    this.name = 'TrialsWorkerExitError';
  }
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

function newWorkerThread(): Worker {
  if (!fromSource) return new Worker(new URL('./trialsWorker.js', import.meta.url));
  const tsxApi = tsxEsmApiUrl();
  const worker = new URL('./trialsWorker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(boot, { eval: true });
}

let threadsAlive = 0;

/** Trials worker threads started and not yet exited, in this thread (tests check it is 0). */
export function liveTrialsWorkers(): number {
  return threadsAlive;
}

class TrialsWorker {
  private readonly thread: Worker;
  private readonly remote: Comlink.Remote<TrialsWorkerApi>;
  private reject: ((err: Error) => void) | null = null;
  private lastError: Error | undefined;
  private exit: TrialsWorkerExitError | null = null;

  constructor(readonly id: number) {
    this.thread = newWorkerThread();
    threadsAlive++;
    this.thread.on('error', (err: Error) => {
      this.lastError = err;
    });
    // Comlink knows nothing of thread exit: without this a dead worker's call never settles.
    this.thread.on('exit', (code: number) => {
      threadsAlive--;
      this.exit = new TrialsWorkerExitError(this.id, code, this.lastError);
      this.reject?.(this.exit);
      this.reject = null;
    });
    this.remote = Comlink.wrap<TrialsWorkerApi>(nodeEndpoint(this.thread));
  }

  run(program: TrialProgram, seed: number, firstTrial: number, count: number, exitCode?: number): Promise<Float64Array> {
    if (this.exit) return Promise.reject(this.exit);
    return new Promise<Float64Array>((resolve, reject) => {
      this.reject = reject;
      this.remote.run(program, seed, firstTrial, count, exitCode).then(
        (values) => {
          this.reject = null;
          resolve(values);
        },
        (err: unknown) => {
          this.reject = null;
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  async terminate(): Promise<void> {
    await this.thread.terminate();
  }
}

interface Chunk {
  index: number;
  firstTrial: number;
  count: number;
  attempts: number;
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
    chunks.push({ index: chunks.length, firstTrial: first, count: Math.min(chunkTrials, trials - first), attempts: 0 });
  }
  return chunks;
}

async function runOnThreads(
  program: TrialProgram,
  seed: number,
  chunks: Chunk[],
  workers: number,
  fault: FaultInjection | undefined,
): Promise<Float64Array[]> {
  const results: Float64Array[] = new Array(chunks.length);
  const queue = chunks.slice();
  const live = new Set<TrialsWorker>();
  let nextId = 1;
  let stopped = false;

  const spawn = (): TrialsWorker => {
    const w = new TrialsWorker(nextId++);
    live.add(w);
    return w;
  };

  // One loop per slot: pull a chunk, run it, on a worker death replace the worker and retry
  // the chunk once. Settles when the queue is empty; rejects on the first fatal failure.
  const slot = async (): Promise<void> => {
    let worker = spawn();
    for (let chunk = queue.shift(); chunk && !stopped; chunk = queue.shift()) {
      for (;;) {
        chunk.attempts++;
        const exitCode = fault && fault.killChunk === chunk.index && chunk.attempts <= fault.times ? FAULT_EXIT_CODE : undefined;
        try {
          results[chunk.index] = await worker.run(program, seed, chunk.firstTrial, chunk.count, exitCode);
          break;
        } catch (err) {
          if (stopped) return;
          const range = `trials ${chunk.firstTrial}..${chunk.firstTrial + chunk.count - 1}`;
          if (!(err instanceof TrialsWorkerExitError)) {
            throw new Error(`trials chunk ${chunk.index} (${range}) failed: ${(err as Error).message}`, { cause: err });
          }
          if (chunk.attempts >= 2) {
            throw new Error(`trials chunk ${chunk.index} (${range}) failed twice: ${err.message}`, { cause: err });
          }
          live.delete(worker);
          worker = spawn();
        }
      }
    }
  };

  const slots = Array.from({ length: Math.min(workers, chunks.length) }, () => slot());
  try {
    // all() rejects on the first fatal slot without waiting for chunks still in flight.
    await Promise.all(slots);
    return results;
  } finally {
    stopped = true;
    await Promise.all([...live].map((w) => w.terminate()));
    // Every in-flight call has now been rejected by its worker's exit; let the loops see it.
    await Promise.allSettled(slots);
  }
}

/**
 * Run `trials` Monte Carlo trials of `program` and summarize them. The result depends only on
 * (program, trials, seed): not on `workers`, chunking or retries.
 */
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
