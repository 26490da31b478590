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

let kernel: ConstructKernel | undefined;

function wasmPath(): string {
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(
    'tdxmodel: build/release.wasm not found; run `npm run asbuild:release` to build the construct kernel',
  );
}

/** An AssemblyScript string: UTF-16 code units, byte length in the word before it. */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

export function loadKernel(): ConstructKernel {
  if (kernel !== undefined) return kernel;
  const module = new WebAssembly.Module(readFileSync(wasmPath()));
  let memory: WebAssembly.Memory | undefined;
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        const text = memory ? readString(memory, message) : 'abort';
        const where = memory && file ? ` (${readString(memory, file)}:${line}:${column})` : '';
        throw new Error(`${text}${where}`);
      },
    },
  });
  const exports = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    heapBase(): number;
    constructBatch(table: number, count: number, scratch: number, scratchBytes: number): void;
  };
  memory = exports.memory;
  kernel = {
    memory: exports.memory,
    heapBase: exports.heapBase() >>> 0,
    constructBatch: exports.constructBatch,
  };
  return kernel;
}
