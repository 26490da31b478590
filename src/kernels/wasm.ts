// Loads the construct kernel (build/release.wasm) once per process or worker thread.
// Synchronous on purpose: the module is small, and a synchronous first call keeps
// constructWasm an ordinary function that CLI commands and workers can call alike.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ConstructKernel {
  readonly memory: WebAssembly.Memory;
  /** First byte the wrapper may use; below it is the module's static data. */
  readonly heapBase: number;
  /** See src/kernels/layout.ts: table word, count, scratch byte offset, scratch bytes. */
  constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void;
}

// From source (src/kernels/, tsx or vitest) the build directory is two levels up; from the
// compiled package (dist/src/kernels/) it is three.
const CANDIDATES = ['../../build/release.wasm', '../../../build/release.wasm'];

let compiled: WebAssembly.Module | undefined;
let kernel: ConstructKernel | undefined;
/** Instances made so far in this thread: tests check that a trap really replaced the instance. */
let generation = 0;

function wasmPath(): string {
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(
    'tdxmodel: build/release.wasm not found; run `npm run asbuild:release` to build the construct kernel',
  );
}

/**
 * An AssemblyScript string: UTF-16 code units, byte length in the word before it. The pointer
 * comes from a kernel that is failing, so it is bounds-checked and the text cut short.
 */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  const buf = memory.buffer;
  if (ptr < 4 || ptr % 2 !== 0 || ptr > buf.byteLength) return '';
  const bytes = new DataView(buf).getUint32(ptr - 4, true);
  const units = Math.min(bytes >>> 1, 500, (buf.byteLength - ptr) >>> 1);
  return new TextDecoder('utf-16le').decode(new Uint8Array(buf, ptr, units * 2));
}

/**
 * Drops the instance: the next loadKernel() makes a fresh one from the compiled module. After
 * a trap the instance's globals (arena cursor, warning count, stack pointer) are whatever the
 * failed call left, so it is never reused.
 */
export function resetKernel(): void {
  kernel = undefined;
}

export function kernelGeneration(): number {
  return generation;
}

/** Thrown when the kernel aborted or trapped; the instance has already been discarded. */
export class KernelTrapError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'KernelTrapError';
  }
}

export function loadKernel(): ConstructKernel {
  if (kernel !== undefined) return kernel;
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath()));
  let memory: WebAssembly.Memory | undefined;
  let aborted: string | undefined;
  const instance = new WebAssembly.Instance(compiled, {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        const text = memory ? readString(memory, message) || 'abort' : 'abort';
        const where = memory && file ? ` (${readString(memory, file)}:${line}:${column})` : '';
        aborted = `${text}${where}`;
        throw new Error(aborted);
      },
    },
  });
  const exports = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    heapBase(): number;
    constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void;
  };
  memory = exports.memory;
  generation++;
  const self: ConstructKernel = {
    memory: exports.memory,
    heapBase: exports.heapBase() >>> 0,
    constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void {
      aborted = undefined;
      try {
        exports.constructBatch(table, count, scratch, scratchBytes);
      } catch (e) {
        if (kernel === self) kernel = undefined;
        const what = aborted !== undefined ? `aborted: ${aborted}` : `trapped: ${(e as Error)?.message ?? String(e)}`;
        throw new KernelTrapError(`construct kernel ${what}; the instance was reset`, e);
      }
    },
  };
  kernel = self;
  return kernel;
}
