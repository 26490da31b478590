// Fuzz: the strict JSON reader and platform validation on mutated valid documents and on
// noise. Either a value or an InputError; never another exception, never a slow call.
import { describe, it, expect } from 'vitest';
import { parseJsonStrict } from '../src/platform/json.js';
import { validatePlatform } from '../src/platform/validate.js';
import { caseRng, excerpt, FUZZ_SEED, mutatedDocText, mutateDoc, randomBytes, randomJsonish, seedDocs, tolerate } from './helpers/fuzz.js';

const seeds = seedDocs();

describe(`fuzz parsers (FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('parseJsonStrict + validatePlatform on 4000 mutated documents', async () => {
    const failures: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 4000 && failures.length < 5; i++) {
      const rng = caseRng(1, i);
      const text = mutatedDocText(seeds, rng);
      const f = await tolerate(`case ${i}`, () => {
        const doc = parseJsonStrict(text, 'fuzz.json');
        validatePlatform(doc);
        accepted++;
      });
      if (f) failures.push(`${f}\ninput: ${excerpt(text)}`);
    }
    expect(failures).toEqual([]);
    // The mutations must leave some documents valid, or the fuzzer only tests the first check.
    expect(accepted).toBeGreaterThan(200);
  });

  it('validatePlatform on 2000 mutated document trees (no text round trip)', async () => {
    const failures: string[] = [];
    for (let i = 0; i < 2000 && failures.length < 5; i++) {
      const rng = caseRng(2, i);
      let doc = structuredClone(rng.pick(seeds));
      for (let n = rng.int(4) + 1; n > 0; n--) doc = mutateDoc(doc, rng);
      const f = await tolerate(`case ${i}`, () => validatePlatform(doc));
      if (f) failures.push(`${f}\ninput: ${excerpt(JSON.stringify(doc) ?? String(doc))}`);
    }
    expect(failures).toEqual([]);
  });

  it('parseJsonStrict on 1500 random byte strings and JSON-ish noise', async () => {
    const failures: string[] = [];
    for (let i = 0; i < 1500 && failures.length < 5; i++) {
      const rng = caseRng(3, i);
      const text = i % 2 ? randomBytes(rng, rng.int(400)).toString('utf8') : randomJsonish(rng, rng.int(400));
      const f = await tolerate(`case ${i}`, () => validatePlatform(parseJsonStrict(text, 'noise.json')));
      if (f) failures.push(`${f}\ninput: ${excerpt(text)}`);
    }
    expect(failures).toEqual([]);
  });
});
