// The construct kernel's exports. Everything it reads and writes lives in linear memory the
// TypeScript wrapper owns (src/kernels/construct.ts); src/kernels/constructAbi.ts is the contract.

import { constructOne } from './construct';
import { getF64 } from './mem';

/** First byte the wrapper may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Constructs `count` platforms. At word `table`: count input-block word offsets, then count
 * output-block word offsets. `scratch`/`scratchBytes`: the kernel's working region in bytes,
 * at least scratchBytes() of the largest platform.
 */
export function constructBatch(table: u32, count: u32, scratch: usize, scratchBytes: usize): void {
  const t = <usize>table << 3;
  for (let i: u32 = 0; i < count; i++) {
    const inWord = <usize>getF64(t, i);
    const outWord = <usize>getF64(t, <usize>count + i);
    constructOne(inWord << 3, outWord << 3, scratch, scratchBytes);
  }
}

/** One platform: the input block at word `input`, the output block at word `output`. */
export function construct(input: u32, output: u32, scratch: usize, scratchBytes: usize): void {
  constructOne(<usize>input << 3, <usize>output << 3, scratch, scratchBytes);
}
