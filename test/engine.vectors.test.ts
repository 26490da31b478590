import { describe, expect, it } from 'vitest';
import { constructWasm, constructWasmBatch } from '../src/kernels/construct.js';
import { canonical, engineVectors } from './helpers/engineVectors.js';

describe('WASM engine: kernel golden vectors', () => {
  const vectors = engineVectors();

  it('reads all 200 vectors', () => expect(vectors.length).toBe(200));

  for (const v of vectors) {
    it(v.name, () => expect(canonical(constructWasm(v.input))).toBe(v.expected));
  }

  it('gives the same results for the whole set as one batch', () => {
    const results = constructWasmBatch(vectors.map((v) => v.input));
    expect(results.map(canonical)).toEqual(vectors.map((v) => v.expected));
  });

  it('gives the same results when the batch is run twice (scratch is reset)', () => {
    const inputs = vectors.map((v) => v.input);
    const first = constructWasmBatch(inputs).map(canonical);
    const second = constructWasmBatch([...inputs].reverse()).map(canonical).reverse();
    expect(second).toEqual(first);
  });
});
