// Fuzz: validated platforms from mutated documents go through TDMR construction (the WASM
// kernel, checked against the TypeScript oracle, so a mutation cannot make the kernel lie)
// and through the whole simulation. A result or an InputError; nothing else.
import { describe, it, expect } from 'vitest';
import { parseJsonStrict } from '../src/platform/json.js';
import { validatePlatform } from '../src/platform/validate.js';
import { toConstructInput } from '../src/construct/input.js';
import { constructWasm } from '../src/kernels/construct.js';
import { constructReference } from '../src/reference/construct.js';
import { canonicalResult } from '../src/construct/canonical.js';
import { simulatePlatform } from '../src/workers/simulateRun.js';
import type { Platform } from '../src/platform/types.js';
import { caseRng, excerpt, FUZZ_SEED, engineDocText, seedDocs, tolerate } from './helpers/fuzz.js';

const seeds = seedDocs();

/** A platform from a mutated document, or undefined when validation refused it. */
function platformOf(text: string): Platform | undefined {
  try {
    return validatePlatform(parseJsonStrict(text, 'fuzz.json'));
  } catch {
    return undefined;
  }
}

describe(`fuzz engine (FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('construct: WASM kernel equals the oracle on 2500 mutated platforms', async () => {
    const failures: string[] = [];
    let built = 0;
    for (let i = 0; i < 2500 && failures.length < 5; i++) {
      const text = engineDocText(seeds, caseRng(10, i));
      const p = platformOf(text);
      if (!p) continue;
      const input = toConstructInput(p);
      let wasm = '';
      const f = await tolerate(`case ${i}`, () => {
        wasm = canonicalResult(constructWasm(input));
        built++;
      }, 5000);
      if (f) failures.push(`${f}\ninput: ${excerpt(text)}`);
      else if (wasm && wasm !== canonicalResult(constructReference(input))) failures.push(`case ${i}: WASM and oracle differ\ninput: ${excerpt(text)}`);
    }
    expect(failures).toEqual([]);
    expect(built).toBeGreaterThan(100);
  });

  it('simulate in-process on 1000 mutated platforms', async () => {
    const failures: string[] = [];
    let ran = 0;
    for (let i = 0; i < 1000 && failures.length < 5; i++) {
      const rng = caseRng(11, i);
      const text = engineDocText(seeds, rng);
      const p = platformOf(text);
      if (!p) continue;
      const f = await tolerate(`case ${i}`, async () => {
        await simulatePlatform(p, { engine: rng.chance(0.5) ? 'wasm' : 'ts', trials: rng.chance(0.2) ? 20 : 0, seed: i, workers: 1 });
        ran++;
      }, 10_000);
      if (f) failures.push(`${f}\ninput: ${excerpt(text)}`);
    }
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThan(50);
  });
});
