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

const SHARED = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '../../../shared');

/** Valid platform documents: every preset and every kernel vector's input. */
export function seedDocs(): unknown[] {
  const vectors = readFileSync(nodePath.join(SHARED, 'vectors/kernel-tdmr.jsonl'), 'utf8')
    .trim().split('\n').map((l) => (JSON.parse(l) as { input: unknown }).input);
  return [...listPresets().map((p) => p.doc), ...vectors];
}

/** Real kernel logs as posted (real-logs/case-*.txt). */
export function seedLogs(): string[] {
  const dir = nodePath.join(SHARED, 'real-logs');
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
