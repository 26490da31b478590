// The construct kernel (assembly/index.ts → build/construct.wasm), loaded and called through
// the one loader (./loader.ts) with its trap policy. Its memory contract is ./constructAbi.ts.

import { WasmKernel, type KernelExports } from './loader.js';

export { KernelTrapError } from './loader.js';

interface ConstructExports extends KernelExports {
  /** See src/kernels/constructAbi.ts: table word, count, scratch byte offset, scratch bytes. */
  constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void;
}

export const constructKernel = new WasmKernel<ConstructExports>('construct');

export interface ConstructKernel {
  readonly memory: WebAssembly.Memory;
  /** First byte the wrapper may use; below it is the module's static data. */
  readonly heapBase: number;
  /** A Float64Array over the whole memory, remade only when memory grew (or was replaced). */
  view(): Float64Array;
  constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void;
}

// One accessor per live instance: the batch path asks for it on every call.
let current: { exports: ConstructExports; kernel: ConstructKernel } | undefined;

/** The construct kernel's memory and its one export, called under the trap policy. */
export function loadKernel(): ConstructKernel {
  const exports = constructKernel.exports();
  if (current?.exports === exports) return current.kernel;
  let view = new Float64Array(exports.memory.buffer);
  const kernel: ConstructKernel = {
    memory: exports.memory,
    heapBase: exports.heapBase() >>> 0,
    view(): Float64Array {
      if (view.buffer !== exports.memory.buffer) view = new Float64Array(exports.memory.buffer);
      return view;
    },
    constructBatch(table, count, scratch, scratchBytes): void {
      constructKernel.call('constructBatch', (e) => e.constructBatch(table, count, scratch, scratchBytes));
    },
  };
  current = { exports, kernel };
  return kernel;
}

/** Drops the instance after a batch whose memory can no longer be trusted. */
export function resetKernel(): void {
  constructKernel.reset();
}

export function kernelGeneration(): number {
  return constructKernel.generation;
}
