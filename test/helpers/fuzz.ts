// A seeded mutation engine for the fuzz tests. No dependency: every case is reproducible from
// (seed, case index), which a failure message prints, so a finding can be replayed exactly.

import { InputError } from '../../src/platform/errors.js';

/** xorshift128+ on two 32-bit halves would do; mulberry32 is enough and tiny. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** The base seed; FUZZ_SEED replays another run. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20251121);

export function caseRng(stream: number, index: number): Rng {
  // Mix so neighbouring cases do not share a prefix of draws.
  return new Rng((FUZZ_SEED ^ Math.imul(stream + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

export function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  return b;
}

/** Printable-ish noise biased towards JSON punctuation, so it gets past the first byte. */
export function randomJsonish(rng: Rng, n: number): string {
  const alphabet = '{}[]:,"0123456789-+.eExX abcdefnulltrue\\/\t\r\nGKMT_';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

const HOSTILE_NUMBERS: unknown[] = [
  0, -1, -4096, 0.5, 4096.5, 1e-300, 1e300, 2 ** 53, 2 ** 53 + 2, 2 ** 64, -(2 ** 63), 2 ** 52, 2 ** 52 + 4096,
  Number.MAX_SAFE_INTEGER, 4095, 4097, 0x100000, 1023, 1024, 65535, 65536, 0x7fffffff, 0xffffffff,
  '0x0', '0xffffffffffffffff', '0x10000000000000000', '0x10000000000000', '0xFFFFFFFFFFFFF000',
  '18446744073709551615', '18446744073709551616', '-0x1000', '-1', '1.5T', '64G', '4K', '0.5K', '1.0000001G',
  '99999999999E', '1e3', ' 0x1000 ', '0x', '', 'NaN', 'Infinity', '0x1000\u0000', '４０９６',
];

function hostileValue(rng: Rng, like: unknown): unknown {
  switch (rng.int(8)) {
    case 0: return rng.pick(HOSTILE_NUMBERS);
    case 1: return null;
    case 2: return rng.chance(0.5);
    case 3: return [];
    case 4: return {};
    case 5: return typeof like === 'string' ? Number(like) || like.length : String(like);
    case 6: return 'x'.repeat(rng.chance(0.1) ? 100_000 : rng.int(50));
    default: {
      if (typeof like === 'number') {
        return rng.pick([like + 1, like - 1, like * 2, -like, like / 3, like * 2 ** 20, like + 0.25, like + 4096]);
      }
      if (typeof like === 'string' && /^0x[0-9a-f]+$/i.test(like)) {
        const v = BigInt(like);
        const d = rng.pick([1n, 4096n, 1n << 20n, 1n << 30n, 1n << 52n, 1n << 64n]);
        const w = rng.chance(0.5) ? v + d : v - d;
        return w < 0n ? `-0x${(-w).toString(16)}` : `0x${w.toString(16)}`;
      }
      return rng.pick(HOSTILE_NUMBERS);
    }
  }
}

type Container = Record<string, unknown> | unknown[];

/** Every container in the tree with the path to it. */
function containers(doc: unknown): Container[] {
  const out: Container[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 32 || typeof v !== 'object' || v === null) return;
    out.push(v as Container);
    for (const c of Array.isArray(v) ? v : Object.values(v)) walk(c, depth + 1);
  };
  walk(doc, 0);
  return out;
}

/** One structural mutation, in place (the caller passes a clone). */
export function mutateDoc(doc: unknown, rng: Rng): unknown {
  const cs = containers(doc);
  if (cs.length === 0) return hostileValue(rng, doc);
  const c = rng.pick(cs);
  if (Array.isArray(c)) {
    const i = c.length ? rng.int(c.length) : 0;
    switch (rng.int(6)) {
      case 0: c.splice(i, 1); break;
      case 1: if (c.length) c.splice(i, 0, structuredClone(c[i])); break;
      case 2: c.reverse(); break;
      case 3: c[i] = hostileValue(rng, c[i]); break;
      case 4: if (c.length) c.push(...Array.from({ length: rng.int(4) + 1 }, () => structuredClone(c[rng.int(c.length)]))); break;
      default: c.length = rng.int(c.length + 1); break;
    }
    return doc;
  }
  const keys = Object.keys(c);
  const k = keys.length ? rng.pick(keys) : 'x';
  switch (rng.int(6)) {
    case 0: delete c[k]; break;
    case 1: c[rng.pick(['bogus', '__proto__', 'constructor', 'toString', k + '_'])] = hostileValue(rng, c[k]); break;
    case 2: c[k] = hostileValue(rng, c[k]); break;
    case 3: c[k] = Array.isArray(c[k]) ? { ...(c[k] as unknown[]) } : [c[k]]; break;
    default: c[k] = hostileValue(rng, c[k]); break;
  }
  return doc;
}

/** JSON text, sometimes with one object's key written twice (JSON.stringify cannot). */
export function serialize(doc: unknown, rng: Rng): string {
  const text = JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  if (text === undefined) return 'null';
  if (!rng.chance(0.15)) return text;
  const m = [...text.matchAll(/"([A-Za-z0-9_]+)":("[^"]*"|-?[0-9.eE+]+|true|false|null)/g)];
  if (!m.length) return text;
  const hit = rng.pick(m);
  return text.slice(0, hit.index!) + `${hit[0]},` + text.slice(hit.index!);
}

/** One byte-level mutation of a text. */
export function mutateText(text: string, rng: Rng): string {
  const b = Buffer.from(text, 'utf8');
  const at = b.length ? rng.int(b.length) : 0;
  switch (rng.int(9)) {
    case 0: { // bit flip
      if (b.length) b[at] ^= 1 << rng.int(8);
      return b.toString('utf8');
    }
    case 1: return b.subarray(0, at).toString('utf8'); // truncation
    case 2: return Buffer.concat([b.subarray(0, at), randomBytes(rng, rng.int(8) + 1), b.subarray(at)]).toString('latin1');
    case 3: { // delete a run
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + rng.int(40) + 1))]).toString('utf8');
    }
    case 4: { // duplicate a run
      const run = b.subarray(at, Math.min(b.length, at + rng.int(60) + 1));
      return Buffer.concat([b.subarray(0, at), run, run, b.subarray(at)]).toString('utf8');
    }
    case 5: return text.replace(/-?[0-9]+(?:\.[0-9]+)?/g, (n) => (rng.chance(0.05) ? String(rng.pick(HOSTILE_NUMBERS)) : n));
    case 6: return text.replace(/\n/g, '\r\n');
    case 7: return '\ufeff' + text;
    default: { // swap one punctuation mark for another
      const punct = [...text.matchAll(/[{}[\]:,"]/g)];
      if (!punct.length) return text;
      const p = rng.pick(punct).index!;
      return text.slice(0, p) + rng.pick(['{', '}', '[', ']', ':', ',', '"', '']) + text.slice(p + 1);
    }
  }
}

/**
 * Run fn; a result or an InputError is a pass, anything else comes back as a failure
 * description. Also fails a call slower than `ms` (a parser must never hang).
 */
export async function tolerate(label: string, fn: () => unknown, ms = 2000): Promise<string | undefined> {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof InputError)) {
      return `${label}: ${(e as Error)?.constructor?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack?.split('\n').slice(1, 4).join('\n') ?? ''}`;
    }
    if (e.message.includes('\n')) return `${label}: InputError message spans lines: ${JSON.stringify(e.message.slice(0, 200))}`;
  }
  const dt = performance.now() - t0;
  if (dt > ms) return `${label}: took ${Math.round(dt)} ms`;
  return undefined;
}

export function excerpt(s: string | Buffer, n = 300): string {
  const t = typeof s === 'string' ? s : s.toString('latin1');
  return JSON.stringify(t.length > n ? t.slice(0, n) + `…(${t.length} chars)` : t);
}

// ---- seed corpus -------------------------------------------------------------------------

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nodePath from 'node:path';
import { listPresets } from '../../src/platform/presets.js';

const DATA = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '../data');

/** Valid platform documents: every preset and every kernel vector's input. */
export function seedDocs(): unknown[] {
  const vectors = readFileSync(nodePath.join(DATA, 'vectors/kernel-tdmr.jsonl'), 'utf8')
    .trim().split('\n').map((l) => (JSON.parse(l) as { input: unknown }).input);
  return [...listPresets().map((p) => p.doc), ...vectors];
}

/** Real kernel logs as posted (real-logs/case-*.txt). */
export function seedLogs(): string[] {
  const dir = nodePath.join(DATA, 'real-logs');
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(nodePath.join(dir, f), 'utf8'));
}

/** A mutated platform document as text: 1-3 structural mutations, sometimes a byte mutation. */
export function mutatedDocText(seeds: unknown[], rng: Rng): string {
  let doc = structuredClone(rng.pick(seeds));
  for (let n = rng.int(3) + 1; n > 0; n--) doc = mutateDoc(doc, rng);
  let text = serialize(doc, rng);
  if (rng.chance(0.3)) text = mutateText(text, rng);
  return text;
}

/**
 * Gentle, mostly validity-preserving perturbation for the engine fuzzers: addresses move by
 * page-aligned steps, small integers by ±1 or ×2, array entries vanish or repeat. Heavier
 * mutations would be refused by validation and never reach the kernel.
 */
export function perturbDoc(doc: unknown, rng: Rng, rate = 0.08): unknown {
  const steps = [0x1000n, 0x200000n, 0x40000000n, 0x1000000000n];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) && rng.chance(rate)) {
      const w = BigInt(v) + (rng.chance(0.5) ? 1n : -1n) * rng.pick(steps) * BigInt(rng.int(4) + 1);
      return `0x${(w < 0n ? 0n : w).toString(16)}`;
    }
    if (typeof v === 'number' && Number.isInteger(v) && rng.chance(rate)) {
      return Math.max(0, rng.pick([v + 1, v - 1, v * 2, Math.floor(v / 2), 1, 0]));
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) {
        if (rng.chance(rate / 2)) continue;
        out.push(walk(x));
        if (rng.chance(rate / 4)) out.push(walk(structuredClone(x)));
      }
      return out;
    }
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(doc);
}

/** For the engines: a perturbed seed, sometimes with one harsh mutation on top. */
export function engineDocText(seeds: unknown[], rng: Rng): string {
  let doc = perturbDoc(structuredClone(rng.pick(seeds)), rng, rng.pick([0.005, 0.02, 0.08]));
  if (rng.chance(0.7)) repairMemory(doc);
  if (rng.chance(0.2)) doc = mutateDoc(doc, rng);
  return serialize(doc, rng);
}

/** Put memory back in ascending, non-overlapping order, so perturbed layouts reach the kernel. */
function repairMemory(doc: unknown): void {
  const mem = (doc as { memory?: unknown }).memory;
  if (!Array.isArray(mem)) return;
  const val = (x: unknown): bigint | undefined => {
    if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) return BigInt(x);
    if (typeof x === 'string' && /^0x[0-9a-f]+$/i.test(x)) return BigInt(x);
    return undefined;
  };
  const rows = mem.map((m) => ({ m, s: val((m as { start?: unknown })?.start), e: val((m as { end?: unknown })?.end) }));
  if (rows.some((r) => r.s === undefined || r.e === undefined)) return;
  rows.sort((a, b) => (a.s! < b.s! ? -1 : a.s! > b.s! ? 1 : 0));
  const out: unknown[] = [];
  let prevEnd = -1n;
  for (const r of rows) {
    if (r.e! <= r.s! || r.s! < prevEnd) continue;
    out.push(r.m);
    prevEnd = r.e!;
  }
  (doc as { memory: unknown[] }).memory = out;
}

// ---- command-line assertions -------------------------------------------------------------

import { expect } from 'vitest';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The contract for bad input: exit 2, nothing on standard output, exactly one line on standard
 * error that names the file and the field path or line and states the rule, and no stack trace.
 */
export function expectInputError(r: CliOutcome, parts: { file?: string; where?: RegExp | string; rule?: RegExp | string } = {}): void {
  const ctx = `stderr: ${JSON.stringify(r.stderr.slice(0, 500))}`;
  expect(r.code, ctx).toBe(2);
  expect(r.stdout, ctx).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines.length, ctx).toBe(1);
  const line = lines[0]!;
  expect(line.startsWith('tdxmodel: '), ctx).toBe(true);
  expect(line, ctx).not.toMatch(/\n\s+at |internal error|\.ts:\d+:\d+\)/);
  if (parts.file) expect(line, ctx).toContain(parts.file);
  for (const p of [parts.where, parts.rule]) {
    if (p === undefined) continue;
    if (typeof p === 'string') expect(line, ctx).toContain(p);
    else expect(line, ctx).toMatch(p);
  }
}

// ---- the CLI, compiled once, for many child processes --------------------------------------

import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, statSync as statFile } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import ts from 'typescript';

const ROOT = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * src/ transpiled (TypeScript's own transpileModule, as tsc would emit it) into a temporary
 * tree shaped like the package (out/src/..., ../build, node_modules), so a child process starts
 * in ~0.1 s instead of ~0.5 s under tsx: a few hundred real CLI runs fit in the time budget.
 * Returns the path of a bin script equivalent to bin/tdxmodel.js.
 */
export function compileCli(): { bin: string; root: string } {
  const root = mkdtempSync(nodePath.join(tmpdir(), 'tdx-fuzz-cli-'));
  const out = nodePath.join(root, 'out');
  const walk = (rel: string): void => {
    for (const f of readdirSync(nodePath.join(ROOT, rel))) {
      const r = nodePath.join(rel, f);
      if (statFile(nodePath.join(ROOT, r)).isDirectory()) walk(r);
      else if (f.endsWith('.ts') && !f.endsWith('.d.ts')) {
        const js = ts.transpileModule(readFileSync(nodePath.join(ROOT, r), 'utf8'), {
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: false },
          fileName: r,
        }).outputText;
        mkdirSync(nodePath.join(out, nodePath.dirname(r)), { recursive: true });
        writeFileSync(nodePath.join(out, r.replace(/\.ts$/, '.js')), js);
      }
    }
  };
  walk('src');
  writeFileSync(nodePath.join(out, 'package.json'), '{"type":"module"}');
  writeFileSync(nodePath.join(root, 'package.json'), readFileSync(nodePath.join(ROOT, 'package.json')));
  symlinkSync(nodePath.join(ROOT, 'build'), nodePath.join(root, 'build'));
  symlinkSync(nodePath.join(ROOT, 'node_modules'), nodePath.join(root, 'node_modules'));
  const bin = nodePath.join(out, 'bin.js');
  writeFileSync(bin, readFileSync(nodePath.join(ROOT, 'bin/tdxmodel.js'), 'utf8').replace(/^#!.*\n/, '').replaceAll('../dist/src/', './src/'));
  return { bin, root };
}

export interface TimedOutcome extends CliOutcome {
  ms: number;
  signal: string | null;
}

export function runBin(bin: string, args: string[], input: string | Buffer | undefined, timeoutMs: number): Promise<TimedOutcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr, ms: performance.now() - t0 });
    });
    p.stdin.on('error', () => { /* the CLI may exit before reading it all */ });
    p.stdin.end(input);
  });
}
