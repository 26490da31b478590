import { describe, it, expect } from 'vitest';
import { readVectors } from './helpers/vectors.js';
import { constructReference } from '../src/reference/construct.js';
import { canonicalResult } from '../src/construct/canonical.js';

describe('kernel golden vectors: TypeScript oracle', () => {
  const vectors = readVectors();
  it('has the 200 vectors', () => expect(vectors.length).toBe(200));
  for (const v of vectors) {
    it(v.name, () => {
      expect(canonicalResult(constructReference(v.input))).toBe(v.expected);
    });
  }
});
