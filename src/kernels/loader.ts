// One way to load a WebAssembly kernel and one trap policy for all of them.
//
// Each kernel is an AssemblyScript entry compiled to build/NAME.wasm (scripts/build-wasm.mjs
// lists them). A WasmKernel compiles its module once per thread, instantiates it lazily and
// synchronously (kernels are small; a synchronous first call keeps the wrappers ordinary
// functions that CLI commands and workers call alike), and hands out its exports.
//
// Trap policy: every call into a kernel goes through call(). If the kernel aborts or traps,
// the instance is dropped (its globals, arena cursor and stack pointer are whatever the
// failed call left, so it is never reused) and a KernelTrapError names the kernel, the
// export, and the kernel's own abort message with its source position when it gave one.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Every kernel exports its memory and the first byte above its static data. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

/** Thrown when a kernel aborted or trapped; the instance has already been discarded. */
export class KernelTrapError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'KernelTrapError';
  }
}

// From source (src/kernels/, tsx or vitest) the build directory is two levels up; from the
// compiled package (dist/src/kernels/, or the command line's bundle in dist/src/bundle/) three.
const BUILD_DIRS = ['../../build/', '../../../build/'];

function wasmPath(name: string): string {
  const tried: string[] = [];
  for (const dir of BUILD_DIRS) {
    const path = fileURLToPath(new URL(`${dir}${name}.wasm`, import.meta.url));
    if (existsSync(path)) return path;
    tried.push(path);
  }
  throw new Error(`tdxmodel: the ${name} kernel (build/${name}.wasm) is not built; run \`npm run build\` (looked in ${tried.join(', ')})`);
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

/** A seed below 2^53 as the two 32-bit halves a kernel export takes (JS numbers, not i64). */
export function seedHalves(seed: number): [lo: number, hi: number] {
  return [seed % 2 ** 32, Math.floor(seed / 2 ** 32)];
}

export class WasmKernel<E extends KernelExports> {
  private compiled: WebAssembly.Module | undefined;
  private live: E | undefined;
  private aborted: string | undefined;
  private made = 0;

  /** `name` is the file under build/ without `.wasm`. */
  constructor(readonly name: string) {}

  /** The live instance's exports, made on first use (and after a trap). */
  exports(): E {
    if (this.live) return this.live;
    this.compiled ??= new WebAssembly.Module(readFileSync(wasmPath(this.name)));
    let memory: WebAssembly.Memory | undefined;
    const instance = new WebAssembly.Instance(this.compiled, {
      env: {
        abort: (message: number, file: number, line: number, column: number): never => {
          const text = memory ? readString(memory, message) || 'abort' : 'abort';
          const where = memory && file ? ` (${readString(memory, file)}:${line}:${column})` : '';
          this.aborted = `${text}${where}`;
          throw new Error(this.aborted);
        },
      },
    });
    const exports = instance.exports as unknown as E;
    memory = exports.memory;
    this.made++;
    this.live = exports;
    return exports;
  }

  /** The instance's first free byte, rounded up to 8 (the start of every wrapper's region). */
  heapBase(): number {
    return (this.exports().heapBase() + 7) & ~7;
  }

  /**
   * Calls into the kernel under the trap policy: an abort or trap drops the instance and
   * comes back as a KernelTrapError. `what` names the export in the message.
   */
  call<T>(what: string, fn: (exports: E) => T): T {
    const exports = this.exports();
    this.aborted = undefined;
    try {
      return fn(exports);
    } catch (e) {
      if (this.live === exports) this.live = undefined;
      const how = this.aborted !== undefined ? `aborted: ${this.aborted}` : `trapped: ${(e as Error)?.message ?? String(e)}`;
      throw new KernelTrapError(`${this.name} kernel ${how} (in ${what}); the instance was reset`, e);
    }
  }

  /** Makes sure memory reaches byte `end`, growing it in whole 64 KiB pages. */
  ensureBytes(end: number): void {
    const memory = this.exports().memory;
    const have = memory.buffer.byteLength;
    if (end > have) memory.grow(Math.ceil((end - have) / 65536));
  }

  /**
   * Runs `count` items in calls of at most `perCall`, each writing n × `width` f64 at byte
   * `outPtr`, and gathers them into one array. Bounded calls keep memory bounded, and V8 tiers
   * a WebAssembly function up only between calls (no on-stack replacement), so a few
   * milliseconds per call let the optimized code take over early. Items are independent, so
   * the split changes no bits.
   */
  callInChunks(what: string, count: number, perCall: number, width: number, outPtr: number,
    run: (exports: E, done: number, n: number) => void): Float64Array {
    const result = new Float64Array(count * width);
    for (let done = 0; done < count;) {
      const n = Math.min(perCall, count - done);
      const memory = this.call(what, (e) => {
        run(e, done, n);
        return e.memory;
      });
      // memory.buffer is re-read after every call: growth detaches the old ArrayBuffer.
      result.set(new Float64Array(memory.buffer, outPtr, n * width), done * width);
      done += n;
    }
    return result;
  }

  /** Drops the instance: the next call makes a fresh one from the compiled module. */
  reset(): void {
    this.live = undefined;
  }

  /** Instances made so far in this thread (tests check that a trap really replaced one). */
  get generation(): number {
    return this.made;
  }
}
