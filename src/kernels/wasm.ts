// The construct kernel (assembly/index.ts → build/construct.wasm), loaded and called through
// the one loader (./loader.ts) with its trap policy. Its memory contract is ./layout.ts.

import { WasmKernel, type KernelExports } from './loader.js';

export { KernelTrapError } from './loader.js';

interface ConstructExports extends KernelExports {
  /** See src/kernels/layout.ts: table word, count, scratch byte offset, scratch bytes. */
  constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void;
}

export const constructKernel = new WasmKernel<ConstructExports>('construct');

export interface ConstructKernel {
  readonly memory: WebAssembly.Memory;
  /** First byte the wrapper may use; below it is the module's static data. */
  readonly heapBase: number;
  constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void;
}

/** The construct kernel's memory and its one export, called under the trap policy. */
export function loadKernel(): ConstructKernel {
  const exports = constructKernel.exports();
  return {
    memory: exports.memory,
    heapBase: exports.heapBase() >>> 0,
    constructBatch(table, count, scratch, scratchBytes): void {
      constructKernel.call('constructBatch', (e) => e.constructBatch(table, count, scratch, scratchBytes));
    },
  };
}

/** Drops the instance after a batch whose memory can no longer be trusted. */
export function resetKernel(): void {
  constructKernel.reset();
}

export function kernelGeneration(): number {
  return constructKernel.generation;
}
