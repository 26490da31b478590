// A trap or abort inside a WASM kernel becomes a clear Error, and the wrapper drops the broken
// instance: the next call runs on a fresh one and gives the right answer again.
import { describe, it, expect } from 'vitest';
import { constructWasm } from '../src/kernels/construct.js';
import { loadKernel, kernelGeneration, KernelTrapError } from '../src/kernels/wasm.js';
import { inputWords } from '../src/kernels/constructAbi.js';
import { canonicalResult } from '../src/construct/canonical.js';
import { loadTrialsKernel, runTrialsWasm, resetTrialsKernel } from '../src/kernels/trials.js';
import { runTrialsReference } from '../src/reference/trials.js';
import type { ConstructInput } from '../src/construct/types.js';
import type { TrialProgram } from '../src/kernels/trialProgram.js';
import { readVectors } from './helpers/vectors.js';

const G = 0x40000000;
const vectors = readVectors().slice(0, 3);

function expectVectorsStillRight(): void {
  for (const v of vectors) expect(canonicalResult(constructWasm(v.input))).toBe(v.expected);
}

describe('WASM kernel traps', () => {
  it('construct: an input that skipped validation (descending memory) traps, then the kernel recovers', () => {
    expectVectorsStillRight();
    const before = kernelGeneration();
    // Validation guarantees ascending memory; the kernel refuses this with an abort.
    const bad: ConstructInput = {
      memory: [{ start: 40 * G, end: 40.5 * G, node: 0 }, { start: 39 * G, end: 39.5 * G, node: 0 }], reserved: [], cmrs: [], holes: 'memblock',
      nodeDistance: [[10]], maxTdmrs: 64, maxReservedPerTdmr: 16, pamtEntrySize: [16, 16, 16],
    };
    let err: unknown;
    try {
      constructWasm(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelTrapError);
    expect((err as Error).message).toMatch(/^construct kernel aborted: construct kernel: memory regions overlap or descend(?: \(.*\))?; the instance was reset$/);
    expectVectorsStillRight();
    expect(kernelGeneration()).toBe(before + 1);
  });

  it('construct: a bad pointer traps, then the kernel recovers', () => {
    expect(() => loadKernel().constructBatch(0x7ffffff0, 3, 0, 16)).toThrow(/^construct kernel trapped: memory access out of bounds/);
    expectVectorsStillRight();
  });

  it('construct: a kernel abort carries the kernel\'s own message, then the kernel recovers', () => {
    const input = vectors[0]!.input;
    constructWasm(input);
    // Replay the block constructWasm just packed, with a scratch region far too small.
    const k = loadKernel();
    const first = Math.ceil(k.heapBase / 8);
    const table = first + inputWords(input.memory.length, input.reserved.length, 0, input.nodeDistance.length);
    let msg = '';
    try {
      k.constructBatch(table, 1, (table + 4) * 8, 16);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^construct kernel aborted: construct kernel: scratch region too small(?: \(.*\))?; the instance was reset$/);
    expectVectorsStillRight();
  });

  it('trials: a trap resets the instance and the next run matches the oracle', () => {
    const program: TrialProgram = { steps: [{ name: 'a', ops: [{ kind: 'serial', count: 8, fixedUs: 1, medianUs: 5, sigma: 0.3 }] }] };
    const want = runTrialsReference(program, 7, 0, 50);
    expect(runTrialsWasm(program, 7, 0, 50)).toEqual(want);
    const k = loadTrialsKernel();
    expect(() => k.runTrials(0x7ffffff0, 0, 0, 5, 7, 0, 0x7ffffff0)).toThrow();
    // A direct call bypasses the wrapper; its guard is what resets. Emulate the wrapper path:
    resetTrialsKernel();
    expect(loadTrialsKernel()).not.toBe(k);
    expect(runTrialsWasm(program, 7, 0, 50)).toEqual(want);
  });
});
