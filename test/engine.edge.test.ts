import { describe, expect, it } from 'vitest';
import type { ConstructInput, NodeRange } from '../src/construct/types.js';
import { constructReference } from '../src/reference/construct.js';
import { constructWasm, constructWasmBatch } from '../src/kernels/construct.js';
import { canonical } from './helpers/engineVectors.js';
import { randomPlatform } from './helpers/randomPlatform.js';
import { stressPlatform } from './helpers/stressPlatform.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function platform(memory: NodeRange[], over: Partial<ConstructInput> = {}): ConstructInput {
  const nodes = memory.reduce((n, m) => Math.max(n, m.node + 1), 0);
  return {
    memory,
    reserved: [],
    cmrs: [],
    holes: 'memblock',
    nodeDistance: Array.from({ length: nodes }, (_, i) => Array.from({ length: nodes }, (_, j) => (i === j ? 10 : 20))),
    maxTdmrs: 64,
    maxReservedPerTdmr: 16,
    pamtEntrySize: [16, 16, 16],
    ...over,
  };
}

const sameAsOracle = (x: ConstructInput): void => {
  expect(canonical(constructWasm(x))).toBe(canonical(constructReference(x)));
};

describe('WASM engine: edge cases against the oracle', () => {
  it('empty memory: one [0, 0) TDMR, node-0 fallback, zero-page allocation fails', () => {
    const x = platform([]);
    sameAsOracle(x);
    expect(constructWasm(x)).toEqual({
      ok: false,
      error: 'PAMT_ALLOC_FAILED',
      warnings: ['TDMR [0x0, 0x0): unable to find local NUMA node for PAMT allocation, fallback to use node 0.'],
    });
  });

  it('memory only below 1 MiB behaves like no memory, after the reaching-limit warning', () => {
    const x = platform([{ start: 0, end: 0x9f000, node: 0 }], { maxTdmrs: 2 });
    sameAsOracle(x);
    expect(constructWasm(x).warnings[0]).toBe('consumed TDMRs reaching limit: 1 used out of 2');
  });

  it('TDMR exhaustion prints only its own line', () => {
    const x = platform(
      [
        { start: MiB, end: GiB, node: 0 },
        { start: 2 * GiB, end: 3 * GiB, node: 0 },
      ],
      { maxTdmrs: 1 },
    );
    sameAsOracle(x);
    expect(constructWasm(x)).toEqual({
      ok: false,
      error: 'TDMRS_EXHAUSTED',
      warnings: ['initialization failed: TDMRs exhausted.'],
    });
  });

  it('a zero TDMR limit still fills TDMR 0, like the kernel', () => {
    sameAsOracle(platform([{ start: MiB, end: 8 * GiB, node: 0 }], { maxTdmrs: 0 }));
  });

  it('no reserved areas allowed: exhaustion names the TDMR', () => {
    const x = platform([{ start: MiB, end: 8 * GiB, node: 0 }], { maxReservedPerTdmr: 0 });
    sameAsOracle(x);
    const r = constructWasm(x);
    expect(r.ok ? null : r.tdmr).toEqual({ base: 0, size: 8 * GiB });
    expect(Object.keys(r)).toEqual(['ok', 'error', 'tdmr', 'warnings']);
  });

  it('sparse node ids and a memoryless node in the matrix', () => {
    const dist = [
      [10, 20, 30, 40],
      [20, 10, 20, 30],
      [30, 20, 10, 20],
      [40, 30, 20, 10],
    ];
    sameAsOracle(
      platform(
        [
          { start: 0, end: 0x9f000, node: 0 },
          { start: MiB, end: 3 * GiB, node: 0 },
          { start: 4 * GiB, end: 40 * GiB, node: 3 },
          { start: 40 * GiB, end: 41 * GiB, node: 1 },
        ],
        { nodeDistance: dist, reserved: [{ start: 4 * GiB, end: 40 * GiB }] },
      ),
    );
  });

  it('falls back through DMA32 and DMA zones', () => {
    const dma32 = platform([{ start: MiB, end: 3 * GiB, node: 0 }]);
    sameAsOracle(dma32);
    const dma = platform([{ start: MiB, end: 12 * MiB, node: 0 }]);
    sameAsOracle(dma);
    const r = constructWasm(dma);
    expect(r.ok && r.tdmrs[0]!.pamt4k.base < 16 * MiB).toBe(true);
  });

  it('refuses inputs outside the ConstructInput contract', () => {
    expect(() => constructWasm(platform([{ start: MiB, end: GiB, node: 2 }], { nodeDistance: [[10]] }))).toThrow(
      /distance matrix/,
    );
    expect(() =>
      constructWasm(platform([{ start: MiB, end: GiB, node: 0 }], { nodeDistance: [[10, 20], [20]] })),
    ).toThrow(/square/);
  });
});

describe('WASM engine: memory handling', () => {
  it('reuses its memory: large, small, large give the same answers', () => {
    const big = stressPlatform(5000, 3);
    const small = randomPlatform(42);
    const first = canonical(constructWasm(big));
    const smallFirst = canonical(constructWasm(small));
    expect(canonical(constructWasm(big))).toBe(first);
    expect(canonical(constructWasm(small))).toBe(smallFirst);
  });

  it('splits a batch over several calls when it exceeds the budget, with the same answers', () => {
    const inputs = Array.from({ length: 300 }, (_, i) => randomPlatform(1000 + i));
    const whole = constructWasmBatch(inputs).map(canonical);
    expect(constructWasmBatch(inputs, { chunkBytes: 1 }).map(canonical)).toEqual(whole);
    expect(constructWasmBatch(inputs, { chunkBytes: 64 * 1024 }).map(canonical)).toEqual(whole);
  });

  it('handles an empty batch', () => {
    expect(constructWasmBatch([])).toEqual([]);
  });
});
