// Fuzz: the sweep spec parser (src/model/sweep, being written concurrently). Its format is not
// settled, so the cases are format-agnostic: noise, mutated JSON, and YAML written to hurt
// (alias bombs, deep nesting, duplicate keys, language tags). A value or an InputError.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { InputError } from '../src/platform/errors.js';
import { caseRng, excerpt, FUZZ_SEED, mutatedDocText, mutateText, randomBytes, randomJsonish, seedDocs, tolerate } from './helpers/fuzz.js';

const SWEEP_DIR = fileURLToPath(new URL('../src/model/sweep/', import.meta.url));
const present = existsSync(SWEEP_DIR);

type Parser = (text: string, source: string) => unknown;

/**
 * The text-to-plan pipeline: parseSpecText then parseSweepSpec (base files refused, so the
 * fuzzer reads nothing from disk), or any single parse*Spec(text, source) if the API changes.
 */
async function findParsers(): Promise<[string, Parser][]> {
  const spec = path.join(SWEEP_DIR, 'spec.ts');
  if (existsSync(spec)) {
    const m = (await import(spec)) as Record<string, unknown>;
    if (typeof m.parseSpecText === 'function' && typeof m.parseSweepSpec === 'function') {
      const noFiles = { readFile: (p: string): string => { throw new InputError(p, 'fuzz: no files'); } };
      const text = m.parseSpecText as (t: string, s: string) => unknown;
      const plan = m.parseSweepSpec as (d: unknown, s: string, o: typeof noFiles) => unknown;
      return [['spec.ts:parseSpecText+parseSweepSpec', (t, s) => plan(text(t, s), s, noFiles)]];
    }
  }
  const found: [string, Parser][] = [];
  for (const f of readdirSync(SWEEP_DIR).filter((x) => x.endsWith('.ts') && !x.endsWith('.d.ts'))) {
    const mod = (await import(path.join(SWEEP_DIR, f))) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) {
      if (typeof v === 'function' && /^(?:parse|read|load)\w*Spec(?:Text)?$/i.test(name)) found.push([`${f}:${name}`, v as Parser]);
    }
  }
  return found;
}

const VALID_SPECS = [
  'base: preset:default\ngrid:\n  policy: [mainline]\n  module.maxTdmrs: [16, 32, 64]\n  costs.tdmrInitCallUs: [5, 9]\n',
  '{"base": "preset:default", "list": [{"name": "a", "set": {"kernel.holes": "cmr"}, "policy": "mainline"}, {"set": {"module.maxReservedPerTdmr": 8}}]}',
  'base: preset:default\ngrid:\n  sockets: [1, 2]\n  memoryPerSocket: ["64G", "256G"]\n  smt: [true, false]\n',
];

const HOSTILE_YAML = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`).join('\n'),
  '['.repeat(100_000),
  '- '.repeat(20_000) + 'x',
  'platforms: [a]\nplatforms: [b]\n',
  'x: !!js/function "function () { globalThis.pwned = 1 }"\n',
  '__proto__: {polluted: 1}\nconstructor: {prototype: {polluted: 1}}\n',
  'platforms:\n  - preset:default\npolicies: [mainline]\ngrid: {"costs.tdmrInitCallUs": [1e400, -1, "NaN"]}\n',
  '{"platforms": ["preset:default"], "policies": ["mainline"], "platforms": []}',
  '',
  '\ufeff',
  '\u0000',
];

describe.skipIf(!present)(`fuzz sweep spec parser (FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('a value or an InputError on hostile, mutated and random specs', async () => {
    const parsers = await findParsers();
    // The directory exists but exports no spec parser under a known name: point here.
    expect(parsers.map(([n]) => n), 'no parse*Spec/read*Spec/load*Spec export in src/model/sweep; update this test').not.toEqual([]);
    const seeds = seedDocs();
    const failures: string[] = [];
    for (const [name, parse] of parsers) {
      const cases: string[] = [...HOSTILE_YAML, ...VALID_SPECS];
      for (let i = 0; i < 400; i++) {
        const rng = caseRng(30, i);
        const base = rng.pick([...HOSTILE_YAML.slice(3, 8), ...VALID_SPECS, ...VALID_SPECS]);
        cases.push(i % 4 === 0 ? randomBytes(rng, rng.int(300)).toString('utf8') : i % 4 === 1 ? randomJsonish(rng, rng.int(300)) : i % 4 === 2 ? mutateText(base, rng) : mutatedDocText(seeds, rng));
      }
      for (const [i, text] of cases.entries()) {
        const f = await tolerate(`${name} case ${i}`, () => parse(text, 'fuzz-spec.yaml'), 3000);
        if (f) failures.push(`${f}\ninput: ${excerpt(text)}`);
        if (failures.length >= 5) break;
      }
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    expect(failures).toEqual([]);
  });
});
