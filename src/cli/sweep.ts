// tdxmodel sweep SPEC [--format csv|jsonl] [--out FILE] [--workers N] [--shard K/N] [--engine wasm|ts]
// tdxmodel sweep --merge FILE... [--out FILE]
//
// Rows stream out as soon as every row before them is done, to standard output or to a
// temporary file beside --out that is renamed into place at the end, so a reader never sees a
// half-written file. Ctrl-C stops the sweep between chunks: the rows done so far (a prefix in
// index order, every row whole) are written as if the sweep had been that long, the workers are
// terminated, and the exit code is 130 (128 + SIGINT), as a shell reports a killed job.

import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs, choiceFlag, intFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { InputError, usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { WORKERS_MAX } from '../workers/chunkPool.js';
import { readSweepSpec } from '../model/sweep/spec.js';
import { runSweep, type Shard } from '../workers/sweepRun.js';
import { mergeShards, type SweepFormat } from '../model/sweep/output.js';

const USAGE = 'usage: tdxmodel sweep SPEC [--format csv|jsonl] [--out FILE] [--workers N] [--shard K/N] [--engine wasm|ts], or tdxmodel sweep --merge FILE... [--out FILE]';
export const EXIT_INTERRUPTED = 130;
/** 128 + SIGPIPE, what a shell reports for a writer whose reader closed the pipe. */
const EXIT_PIPE_CLOSED = 141;

export function parseShard(s: string): Shard {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(s);
  if (!m) throw usageError(`--shard takes K/N (shard K of N, K from 1), got "${s}"`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 1_000_000 || k < 1 || k > n) throw usageError(`--shard ${s}: need 1 ≤ K ≤ N ≤ 1000000`);
  return { k, n };
}

/** Where rows go: standard output as they come, or a temporary file renamed at the end. */
interface Sink {
  write(text: string): void;
  /** Flush and publish what was written. */
  finish(): Promise<void>;
  /** Drop everything (the run failed). */
  discard(): void;
}

function fileSink(file: string): Sink {
  // As writeFileAtomic: a random name opened exclusively, so nothing planted at a predictable
  // temporary name (a symlink) is ever written through.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fail = (e: unknown): never => {
    throw usageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  };
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (e) {
    return fail(e);
  }
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(text) {
      try {
        writeSync(fd, text);
      } catch (e) {
        this.discard();
        fail(e);
      }
    },
    async finish() {
      try {
        close();
        renameSync(tmp, file);
      } catch (e) {
        this.discard();
        fail(e);
      }
    },
    discard() {
      try { close(); } catch { /* already failing */ }
      try { unlinkSync(tmp); } catch { /* never created or already renamed */ }
    },
  };
}

function outSink(out: Out): Sink {
  // Writes are queued in order; finish() waits for the last one to be accepted.
  let last: Promise<void> = Promise.resolve();
  return {
    write(text) {
      if (!text) return;
      last = last.then(() => out.write(text));
      // Marked handled here; finish() still sees the failure (a closed pipe, say).
      last.catch(() => undefined);
    },
    finish: () => last,
    discard() {},
  };
}

/** A one-line progress bar on standard error, redrawn at most ten times a second. */
export function progressBar(stream: { write(s: string): unknown }, env: NodeJS.ProcessEnv = process.env): { update(done: number, total: number): void; end(): void } {
  // no-color.org: any non-empty NO_COLOR turns colour off.
  const color = !env.NO_COLOR;
  const started = performance.now();
  let lastDraw = 0;
  let shown = false;
  const draw = (done: number, total: number): void => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : NaN;
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const text = `sweep [${color ? `\x1b[32m${bar}\x1b[0m` : bar}] ${done}/${total} ${pct}% ${Math.round(rate)} rows/s ETA ${clock(eta)}`;
    stream.write(`\r${text}\x1b[K`);
    shown = true;
  };
  return {
    update(done, total) {
      const now = performance.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      draw(done, total);
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

function clock(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export async function sweepCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'out', 'workers', 'shard', 'engine'], bools: ['merge'] });
  const file = args.flags.get('out');
  if (args.bools.has('merge')) {
    for (const f of ['format', 'workers', 'shard', 'engine']) if (args.flags.has(f)) throw usageError(`--merge takes no --${f} (the files say their format)`);
    if (args.positional.length === 0) throw usageError(USAGE);
    const files = args.positional.map((f) => ({ name: f, text: readText(f).text }));
    await writeOutput(file, mergeShards(files), out);
    return 0;
  }
  if (args.positional.length !== 1) throw usageError(USAGE);
  const format = choiceFlag(args, 'format', ['csv', 'jsonl'] as const, 'csv') as SweepFormat;
  const engine = choiceFlag(args, 'engine', ['wasm', 'ts'] as const, 'wasm');
  // Absent: runSweep chooses from the row count (workers/chunkPool.ts, sweepWorkers).
  const workers = args.flags.has('workers') ? intFlag(args, 'workers', 1, 1, WORKERS_MAX) : undefined;
  const shardFlag = args.flags.get('shard');
  const shard = shardFlag === undefined ? undefined : parseShard(shardFlag);

  const specArg = args.positional[0];
  const { text, source } = readText(specArg);
  // A base named by path is relative to the spec file (stdin: to the working directory).
  const dir = specArg === '-' ? process.cwd() : path.dirname(path.resolve(specArg));
  const plan = readSweepSpec(text, source, {
    readFile: (p) => readText(path.resolve(dir, p)).text,
  });

  const toStdout = file === undefined || file === '-';
  const sink = toStdout ? outSink(out) : fileSink(file);
  const bar = process.stderr.isTTY ? progressBar(process.stderr) : null;
  const ac = new AbortController();
  const onSigint = (): void => {
    // A second Ctrl-C means "now": the first one is already winding down.
    if (ac.signal.aborted) process.exit(EXIT_INTERRUPTED);
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  // A reader that goes away (`| head`) ends the sweep the way SIGPIPE ends other tools.
  let pipeClosed = false;
  const onStdoutError = (e: NodeJS.ErrnoException): void => {
    if (e.code !== 'EPIPE') return;
    pipeClosed = true;
    ac.abort();
  };
  if (toStdout) process.stdout.on('error', onStdoutError);
  let result;
  try {
    result = await runSweep(plan, {
      format, workers, engine, shard, signal: ac.signal,
      write: (t) => sink.write(t),
      onProgress: bar ? (d, t) => bar.update(d, t) : undefined,
    });
    await sink.finish();
  } catch (e) {
    sink.discard();
    if (pipeClosed) return EXIT_PIPE_CLOSED;
    if (e instanceof InputError) throw e;
    const what = file === undefined || file === '-' ? 'the rows above are complete, the rest is missing' : `${file} not written`;
    throw new Error(`sweep failed (${what}): ${(e as Error).message}`, { cause: e });
  } finally {
    bar?.end();
    process.off('SIGINT', onSigint);
    if (toStdout) process.stdout.off('error', onStdoutError);
  }
  if (pipeClosed) return EXIT_PIPE_CLOSED;
  if (result.aborted) {
    process.stderr.write(`tdxmodel: sweep interrupted: ${result.rows} of ${result.total} rows written\n`);
    return EXIT_INTERRUPTED;
  }
  return 0;
}
