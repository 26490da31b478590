import { readFileSync } from 'node:fs';
import { validatePlatform } from '../../src/platform/validate.js';
import { toConstructInput } from '../../src/construct/input.js';
import type { ConstructInput } from '../../src/construct/types.js';

// One path to the golden vectors for every test that reads them.
import { VECTOR_FILE as VECTORS_PATH } from './engineVectors.js';

export { VECTORS_PATH };

export interface Vector {
  name: string;
  input: ConstructInput;
  /** The expected RESULT, re-serialized compactly in the file's own key order. */
  expected: string;
}

export function readVectors(): Vector[] {
  return readFileSync(VECTORS_PATH, 'utf8').trim().split('\n').map((line) => {
    const o = JSON.parse(line);
    return { name: o.input.name, input: toConstructInput(validatePlatform(o.input)), expected: JSON.stringify(o.expected) };
  });
}
