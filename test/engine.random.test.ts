import { describe, expect, it } from 'vitest';
import { constructReference } from '../src/reference/construct.js';
import { constructWasm, constructWasmBatch } from '../src/kernels/construct.js';
import { fragmentedPlatform, randomPlatform } from './helpers/randomPlatform.js';
import { canonical } from './helpers/engineVectors.js';

const CASES = 5000;

describe('WASM engine vs the TypeScript oracle on random platforms', () => {
  const inputs = Array.from({ length: CASES }, (_, i) => randomPlatform(0x5eed + i));
  const expected = inputs.map((x) => canonical(constructReference(x)));

  it('agrees one platform at a time', () => {
    for (let i = 0; i < CASES; i++) {
      const got = canonical(constructWasm(inputs[i]!));
      if (got !== expected[i]) expect({ seed: 0x5eed + i, got }).toEqual({ seed: 0x5eed + i, got: expected[i] });
    }
  });

  it('agrees as one batch', () => {
    expect(constructWasmBatch(inputs).map(canonical)).toEqual(expected);
  });

  it('covers every outcome', () => {
    const outcomes = new Set(expected.map((e) => (JSON.parse(e) as { error?: string }).error ?? 'OK'));
    expect([...outcomes].sort()).toEqual(['OK', 'PAMT_ALLOC_FAILED', 'RESERVED_AREAS_EXHAUSTED', 'TDMRS_EXHAUSTED']);
  });

  it('includes PAMTs inside holes, where only the exact heapsort gives the kernel order', () => {
    const overlapping = inputs.filter((x) => {
      const r = constructReference(x);
      return r.ok && r.tdmrs.some((t) => t.reserved.some((a, k) => k > 0 && t.reserved[k - 1]!.offset + t.reserved[k - 1]!.size > a.offset));
    });
    expect(overlapping.length).toBeGreaterThan(10);
  });
});

describe('WASM engine vs the TypeScript oracle on fragmented platforms', () => {
  it('agrees on 1000 platforms of many small, misaligned free runs', () => {
    for (let i = 0; i < 1000; i++) {
      const x = fragmentedPlatform(0xf4a9 + i);
      const want = canonical(constructReference(x));
      const got = canonical(constructWasm(x));
      if (got !== want) expect({ seed: 0xf4a9 + i, got }).toEqual({ seed: 0xf4a9 + i, got: want });
    }
  });
});
