// The one writer for every command's output: standard output, or --out FILE.
//
// - A regular file (or a new one) is written to a temporary file beside it and renamed into
//   place, so a failed or interrupted run never leaves a half-written report behind.
// - Anything else the path names (a character device such as /dev/null, a FIFO, /dev/stdout, a
//   symlink) is written through, as the shell's `>` would: renaming over it would replace a
//   device node, a pipe or the user's link with a regular file. A directory is refused.
// - A reader that goes away (EPIPE: `| head`) ends the run quietly with 128 + SIGPIPE, as a
//   killed writer would; any other write error (ENOSPC: `> /dev/full`) is one line, exit 2.
// - SIGINT, SIGTERM and SIGHUP remove every temporary file still open and exit 128 + the
//   signal number; a command that can wind down (sweep) registers onInterrupt for the first.
//   With neither, the signal's default action ends the process at once.

import { closeSync, constants as fsConstants, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { getSystemErrorMap } from 'node:util';
import { oneLine, usageError } from '../platform/errors.js';
import { textOf, type TextChunk } from '../util/byteText.js';

export interface Out {
  write(text: string): Promise<void>;
  /** UTF-8 text as bytes, when the target takes them as they are (else write() gets them decoded). */
  writeBytes?(bytes: Uint8Array): Promise<void>;
}

/** The reader of an output closed it (EPIPE). Not an error to report: the run just ends. */
export class OutputClosedError extends Error {
  constructor(target: string) {
    super(`${target}: the reader closed the pipe`);
    this.name = 'OutputClosedError';
  }
}

/** 128 + SIGPIPE: what a shell reports for a writer whose reader closed the pipe. */
export const EXIT_PIPE_CLOSED = 128 + osConstants.signals.SIGPIPE;

/** "ENOSPC (no space left on device)": the code scripts match, the words people read. */
function why(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (!err?.code) return err?.message ?? String(e);
  const text = typeof err.errno === 'number' ? getSystemErrorMap().get(err.errno)?.[1] : undefined;
  return text ? `${err.code} (${text})` : err.code;
}

function cannotWrite(target: string, e: unknown): Error {
  if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') return new OutputClosedError(target);
  return usageError(`cannot write ${target}: ${why(e)}`);
}

// ---- standard output ---------------------------------------------------------------------

let stdoutFailure: Error | null = null;
let stdoutGuarded = false;

function writeStdout(chunk: TextChunk): Promise<void> {
  if (stdoutFailure) return Promise.reject(stdoutFailure);
  // Without a listener a failed write is an uncaught 'error' event: a stack trace. The
  // callback below sees the same error and reports it.
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on('error', () => undefined);
  }
  return new Promise((resolve, reject) => {
    const fail = (err: unknown): void => reject((stdoutFailure ??= cannotWrite('standard output', err)));
    try {
      process.stdout.write(chunk, (err) => (err ? fail(err) : resolve()));
    } catch (err) {
      fail(err);
    }
  });
}

export const stdoutOut: Out = { write: writeStdout, writeBytes: writeStdout };

// ---- sinks: where a command's text goes --------------------------------------------------

export interface Sink {
  /** Writes in order; once one fails, it and every later write reject with that failure. */
  write(text: TextChunk): Promise<void>;
  /** Waits for the writes, then publishes the output (renames the temporary file into place). */
  finish(): Promise<void>;
  /** Drops what was written to a temporary file; the target is left as it was. */
  discard(): void;
}

/** Writes run one after another; the first failure sticks. */
function queued(doWrite: (text: TextChunk) => Promise<void> | void): { write(text: TextChunk): Promise<void>; done(): Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  return {
    write(text) {
      const p = last.then(() => doWrite(text));
      last = p;
      p.catch(() => undefined); // a caller may not await each write; done() reports it
      return p;
    },
    done: () => last,
  };
}

/** Temporary files not yet renamed into place, with their targets: signals remove them. */
const temporaries = new Map<string, string>();

function discardTemporaries(): string[] {
  const targets = [...temporaries.values()];
  for (const tmp of temporaries.keys()) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
  }
  temporaries.clear();
  armSignals();
  return targets;
}

/** NAME_MAX on Linux file systems (bytes, not characters). */
const NAME_MAX = 255;

/**
 * `.NAME.RANDOM.tmp` beside the target (RANDOM: randomTag()), NAME cut (on a character boundary)
 * so that the whole stays within NAME_MAX: a legal long target name must not fail for its
 * temporary's sake. The random part, with the exclusive open ('wx'), means nothing planted at a
 * predictable name (a symlink) is ever written through.
 */
export function temporaryName(file: string, random: string): string {
  const suffix = `.${random}.tmp`;
  let base = '';
  let bytes = 1 + suffix.length;
  for (const ch of path.basename(file)) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > NAME_MAX) break;
    base += ch;
    bytes += n;
  }
  return path.join(path.dirname(file), `.${base}${suffix}`);
}

/** A chunk's UTF-8 bytes (a string is encoded; bytes are written as they are). */
function bytesOf(text: TextChunk): Uint8Array {
  return typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
}

function writeAll(fd: number, text: TextChunk): void {
  const buf = bytesOf(text);
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
}

/** How a --out path is written: replaced atomically, or written through as it is. */
function targetKind(file: string): 'replace' | 'through' {
  let st;
  try {
    st = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'replace';
    throw cannotWrite(file, e);
  }
  if (st.isFile()) return 'replace';
  if (st.isSymbolicLink()) {
    try {
      st = statSync(file);
    } catch (e) {
      // A dangling link: opening it creates its target, as the shell's `>` does.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'through';
      throw cannotWrite(file, e);
    }
  }
  if (st.isDirectory()) throw usageError(`cannot write ${file}: EISDIR (is a directory)`);
  return 'through';
}

/**
 * Eight random hex digits. node:crypto is loaded here, by the first output that goes to a file,
 * not by every command at start-up (~7 ms: most runs write to standard output).
 */
export async function randomTag(): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  return randomBytes(4).toString('hex');
}

async function replacingSink(file: string): Promise<Sink> {
  const tmp = temporaryName(file, await randomTag());
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o666);
  } catch (e) {
    throw cannotWrite(file, e);
  }
  temporaries.set(tmp, file);
  armSignals();
  let open = true;
  const close = (): void => {
    if (open) { open = false; closeSync(fd); }
  };
  const discard = (): void => {
    try { close(); } catch { /* already failing */ }
    if (temporaries.delete(tmp)) {
      try { unlinkSync(tmp); } catch { /* never created */ }
      armSignals();
    }
  };
  const q = queued((text) => {
    try {
      writeAll(fd, text);
    } catch (e) {
      throw cannotWrite(file, e);
    }
  });
  return {
    write: q.write,
    async finish() {
      await q.done();
      try {
        close();
        renameSync(tmp, file);
        temporaries.delete(tmp);
        armSignals();
      } catch (e) {
        discard();
        throw cannotWrite(file, e);
      }
    },
    discard,
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens without blocking: a FIFO with no reader yet refuses (ENXIO) and is tried again, a full
 * pipe refuses a write (EAGAIN) and it is tried again, so the event loop stays free to act on a
 * signal. (A blocking open in libuv's thread pool would hold up even process.exit.)
 */
async function openThrough(file: string): Promise<number> {
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NONBLOCK } = fsConstants;
  for (;;) {
    try {
      return openSync(file, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, 0o666);
    } catch (e) {
      // ENXIO: a FIFO nobody reads yet (wait for the reader, as `>` does), or a socket.
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || !isFifo(file)) throw cannotWrite(file, e);
      await pause(20); // a FIFO nobody reads yet: wait for the reader, as `>` does
    }
  }
}

function isFifo(file: string): boolean {
  try {
    return statSync(file).isFIFO();
  } catch {
    return false;
  }
}

async function writeAllNonBlocking(fd: number, text: TextChunk): Promise<void> {
  const buf = bytesOf(text);
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      await pause(2);
    }
  }
}

async function throughSink(file: string): Promise<Sink> {
  const fd = await openThrough(file);
  let open = true;
  const close = (): void => {
    if (open) { open = false; try { closeSync(fd); } catch { /* nothing left to flush */ } }
  };
  const q = queued(async (text) => {
    try {
      await writeAllNonBlocking(fd, text);
    } catch (e) {
      throw cannotWrite(file, e);
    }
  });
  return {
    write: q.write,
    async finish() {
      try {
        await q.done();
      } finally {
        close();
      }
    },
    discard: close,
  };
}

function outSink(out: Out): Sink {
  const q = queued((text) => {
    if (text.length === 0) return undefined;
    if (typeof text === 'string') return out.write(text);
    return out.writeBytes ? out.writeBytes(text) : out.write(textOf(text));
  });
  return { write: q.write, finish: q.done, discard() {} };
}

/** Names of standard output itself: written as standard output (it may be a socket, which no path opens). */
const STDOUT_NAMES = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/** Where a command's output goes: `out` (standard output) for no file or "-", else the file. */
export async function openOutput(file: string | undefined, out: Out): Promise<Sink> {
  if (file === undefined || file === '-' || STDOUT_NAMES.has(path.resolve(file))) return outSink(out);
  return targetKind(file) === 'replace' ? replacingSink(file) : throughSink(file);
}

/** The whole output at once: complete, or (on failure) absent. */
export async function writeOutput(file: string | undefined, text: string, out: Out): Promise<void> {
  const sink = await openOutput(file, out);
  try {
    await sink.write(text);
    await sink.finish();
  } catch (e) {
    sink.discard();
    throw e;
  }
}

// ---- signals -----------------------------------------------------------------------------

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof SIGNALS)[number];

/** 128 + the signal number, as a shell reports a job the signal ended. */
export function signalExitCode(signal: StopSignal): number {
  return 128 + osConstants.signals[signal];
}

let windDown: ((signal: StopSignal) => void) | null = null;

/**
 * A command that can stop cleanly (sweep: publish the rows done so far) takes the first
 * signal itself; a second one, or a signal to any other command, ends the process at once.
 * Returns the function that unregisters it.
 */
export function onInterrupt(handler: (signal: StopSignal) => void): () => void {
  windDown = handler;
  armSignals();
  return () => {
    if (windDown === handler) windDown = null;
    armSignals();
  };
}

// The handlers are installed only while there is something to do on a signal: a temporary file
// to remove or a command to wind down. Otherwise the signal's default action ends the process
// at once (the shell reports the same 128 + N), even in the middle of a long synchronous step,
// where a JavaScript handler would have to wait for the step to finish.
let scoped = false;
let installed = false;
let received = 0;

function onSignal(signal: StopSignal): void {
  if (windDown && received++ === 0) {
    windDown(signal);
    return;
  }
  const targets = discardTemporaries();
  const lost = targets.length ? `; ${targets.map(oneLine).join(', ')} not written` : '';
  try { process.stderr.write(`tdxmodel: interrupted by ${signal}${lost}\n`); } catch { /* no terminal left (SIGHUP) */ }
  process.exit(signalExitCode(signal));
}

function armSignals(): void {
  const want = scoped && (temporaries.size > 0 || windDown !== null);
  if (want && !installed) {
    received = 0;
    for (const s of SIGNALS) process.on(s, onSignal);
  } else if (!want && installed) {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  installed = want;
}

/** Called by main() around one command; returns the function that ends the scope. */
export function exitOnSignals(): () => void {
  scoped = true;
  armSignals();
  return () => {
    scoped = false;
    armSignals();
  };
}
