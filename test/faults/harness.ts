// The fault-injection suite's harness: the CLI compiled once (test/helpers/fuzz.ts compileCli,
// the same bin script as bin/tdxmodel.js), run in child processes with the faults a user's
// environment can inject: a closed or full standard output, a signal mid-run, another user.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { compileCli } from '../helpers/fuzz.js';

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  input?: string | Buffer;
  /** Standard output: a pipe read whole (default), a file descriptor, or a pipe closed early. */
  stdout?: 'pipe' | number | 'closed' | 'close-after-first-read';
  /** Standard error closed before the command writes to it. */
  stderrClosed?: boolean;
  env?: Record<string, string>;
  /** Run as this user and group (as root: a real permission error). */
  user?: number;
  /** Send `signal` once `ready()` holds (polled every 25 ms). */
  signal?: { name: NodeJS.Signals; ready: (o: { stdout: string; ms: number; pid: number }) => boolean };
  timeoutMs?: number;
  /** Keep standard input open (not ended) until the run is over. */
  holdStdin?: boolean;
}

let compiled: { bin: string; root: string } | null = null;

/** The compiled CLI, readable by any user (the run-as-nobody cases need it). */
export function cli(): string {
  if (!compiled) {
    compiled = compileCli();
    chmodSync(compiled.root, 0o755);
  }
  return compiled.bin;
}

export function cleanupCli(): void {
  if (compiled) rmSync(compiled.root, { recursive: true, force: true });
}

export function run(args: string[], opts: RunOptions = {}): Promise<Outcome> {
  const bin = cli();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const out = opts.stdout ?? 'pipe';
    const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
      stdio: ['pipe', typeof out === 'number' ? out : 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      ...(opts.user !== undefined ? { uid: opts.user, gid: opts.user } : {}),
    });
    let stdout = '';
    let stderr = '';
    if (child.stdout) {
      if (out === 'closed') child.stdout.destroy();
      else {
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          if (out === 'close-after-first-read') child.stdout!.destroy();
        });
      }
    }
    if (opts.stderrClosed) child.stderr!.destroy();
    else child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let sent = false;
    const poll = opts.signal
      ? setInterval(() => {
        if (!sent && opts.signal!.ready({ stdout, ms: performance.now() - t0, pid: child.pid! })) {
          sent = true;
          child.kill(opts.signal!.name);
        }
      }, 25)
      : null;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
    child.stdin!.on('error', () => { /* the CLI may exit before reading it all */ });
    if (opts.input !== undefined) child.stdin!.write(opts.input);
    if (!opts.holdStdin) child.stdin!.end();
    else child.on('close', () => child.stdin!.destroy());
  });
}

/** A descriptor on a file such as /dev/full, for a child's standard output. */
export function withFd<T>(file: string, flags: string, f: (fd: number) => Promise<T>): Promise<T> {
  const fd = openSync(file, flags);
  return f(fd).finally(() => closeSync(fd));
}

const STACK = /\n\s+at |node:internal|internal error|Unhandled|\.(ts|js):\d+:\d+/;

/** Exit `code`, nothing on standard output, one line on standard error, no stack trace. */
export function expectOneLine(r: Outcome, code: number, rule?: string | RegExp): void {
  const ctx = `exit ${r.code} (${r.signal}), stderr: ${JSON.stringify(r.stderr.slice(0, 600))}`;
  expect(r.code, ctx).toBe(code);
  expect(r.stderr, ctx).not.toMatch(STACK);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, ctx).toHaveLength(1);
  expect(lines[0]!.startsWith('tdxmodel: '), ctx).toBe(true);
  if (typeof rule === 'string') expect(lines[0], ctx).toContain(rule);
  else if (rule) expect(lines[0], ctx).toMatch(rule);
}

/** A closed pipe: the conventional 141 (128 + SIGPIPE), nothing said. */
export function expectPipeClosed(r: Outcome): void {
  expect(r.code, `stderr: ${r.stderr.slice(0, 600)}`).toBe(141);
  expect(r.stderr).toBe('');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `tdx-fault-${prefix}-`));
}

/** Temporary output files (".NAME.XXXXXXXX.tmp") left in a directory. */
export function temporaries(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

/** One platform line for construct --jsonl; n of them are about n × 0.3 KB of output. */
export const JSONL_LINE = '{"memory":[{"start":"0x100000","end":"0x80000000"}]}';
export const PLATFORM = '{"name":"fault","memory":[{"start":"0x100000","end":"0x80000000"}]}\n';

export const ROOT = process.getuid?.() === 0;
export const NOBODY = 65534;
