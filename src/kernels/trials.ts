// Thin wrapper around build/trials.wasm (assembly/trials.ts): encodes a validated trial program
// into WASM memory this module owns, runs a batch of trials in one call, and summarizes.
//
// The module is compiled and instantiated once per thread, synchronously, on first use (or by
// loadTrialsKernel, which workers call at start-up so the first chunk is not slower).

import { WasmKernel, seedHalves, type KernelExports } from './loader.js';
import type { TrialProgram, TrialsResult, TrialStats } from './trialProgram.js';
import { validateSeed, validateTrialProgram, validateTrialRange } from './trialProgram.js';
import { OP_FIXED, OP_SERIAL, OP_PARALLEL, OP_TDMRS, EXACT_CALLS_MAX } from './trialsAbi.js';
import { distribution } from '../util/orderStats.js';

interface TrialsExports extends KernelExports {
  runTrials(program: number, scratch: number, firstTrial: number, count: number, seedLo: number, seedHi: number, out: number): void;
  expForTest(x: number): number;
  logForTest(x: number): number;
  expFastForTest(x: number): number;
  normalsForTest(seedLo: number, seedHi: number, trial: number, n: number, out: number): void;
}

// One kernel call writes at most this many f64 (16 MiB) so memory stays bounded however many
// trials a caller asks for; trials are independent, so splitting changes no bits.
const OUT_WORDS_PER_CALL = 1 << 21;
// ... and does about this many draws. V8 tiers a WebAssembly function up from its baseline
// compiler only for later calls (there is no on-stack replacement), and Binaryen inlines the
// per-LP loops into runTrials, so one long call would run entirely on baseline code, 1.5-2×
// slower. A few milliseconds per call lets the optimized code take over early.
const DRAWS_PER_CALL = 1 << 20;

export const trialsKernel = new WasmKernel<TrialsExports>('trials');

/** Drops the instance after a trap: its globals are whatever the failed call left. */
export function resetTrialsKernel(): void {
  trialsKernel.reset();
}

/** The kernel's exports (workers call this at start-up so the first chunk is not slower). */
export function loadTrialsKernel(): TrialsExports {
  return trialsKernel.exports();
}

/** The program as the kernel reads it; layout documented at the top of assembly/trials.ts. */
export function encodeTrialProgram(program: TrialProgram): { words: Float64Array; scratchWords: number; drawsPerTrial: number } {
  const bootSigma = program.bootSigma ?? 0;
  const words: number[] = [bootSigma, program.steps.length];
  let scratchWords = 0;
  let drawsPerTrial = bootSigma === 0 ? 1 : 2;
  for (const step of program.steps) {
    words.push(step.ops.length);
    for (const op of step.ops) {
      switch (op.kind) {
        case 'fixed':
          words.push(OP_FIXED, op.us, op.sigma);
          drawsPerTrial += 1;
          break;
        case 'serial':
          words.push(OP_SERIAL, op.count, op.fixedUs, op.medianUs, op.sigma);
          drawsPerTrial += op.sigma === 0 ? 1 : op.count;
          break;
        case 'parallel':
          words.push(OP_PARALLEL, op.count, op.fixedUs, op.medianUs, op.sigma);
          drawsPerTrial += op.sigma === 0 ? 1 : op.count;
          break;
        case 'tdmrs':
          words.push(OP_TDMRS, op.calls.length, op.medianUs, op.sigma, op.lanes);
          for (const c of op.calls) {
            words.push(c);
            drawsPerTrial += op.sigma === 0 ? 1 : Math.min(c, EXACT_CALLS_MAX + 1);
          }
          scratchWords = Math.max(scratchWords, Math.min(op.lanes, op.calls.length));
          break;
      }
    }
  }
  return { words: Float64Array.from(words), scratchWords, drawsPerTrial };
}

/**
 * Trials firstTrial .. firstTrial+count-1 of `program`: count × (steps + 1) durations in µs,
 * trial-major (each row: every step, then the total). Bit-identical to runTrialsReference.
 */
export function runTrialsWasm(program: TrialProgram, seed: number, firstTrial: number, count: number): Float64Array {
  validateTrialProgram(program);
  validateSeed(seed);
  validateTrialRange(firstTrial, count);
  const { words, scratchWords, drawsPerTrial } = encodeTrialProgram(program);
  const width = program.steps.length + 1;
  const perCall = Math.max(1, Math.min(Math.floor(OUT_WORDS_PER_CALL / width), Math.floor(DRAWS_PER_CALL / drawsPerTrial)));

  const programPtr = trialsKernel.heapBase();
  const scratchPtr = programPtr + words.length * 8;
  const outPtr = scratchPtr + scratchWords * 8;
  trialsKernel.ensureBytes(outPtr + Math.min(count, perCall) * width * 8);
  new Float64Array(trialsKernel.exports().memory.buffer, programPtr, words.length).set(words);

  const [seedLo, seedHi] = seedHalves(seed);
  return trialsKernel.callInChunks('runTrials', count, perCall, width, outPtr,
    (k, done, n) => k.runTrials(programPtr, scratchPtr, firstTrial + done, n, seedLo, seedHi, outPtr));
}

/**
 * Per-step and total statistics of `trials` rows laid out as runTrialsWasm returns them
 * (rows in trial order, so the mean's summation order is fixed too).
 */
export function summarize(program: TrialProgram, values: Float64Array, trials: number, seed: number): TrialsResult {
  const width = program.steps.length + 1;
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  if (values.length !== trials * width) {
    throw new RangeError(`expected ${trials} × ${width} values, got ${values.length}`);
  }
  // One column at a time, gathered in trial order and then reordered by the selection.
  const column = new Float64Array(trials);
  const pick = (c: number): TrialStats => {
    for (let t = 0; t < trials; t++) column[t] = values[t * width + c];
    const { p50, p95, p99, mean, min, max } = distribution(column);
    return { p50, p95, p99, mean, min, max }; // TrialStats' key order, as the JSON reports print it
  };
  return {
    trials,
    seed,
    steps: program.steps.map((step, s) => ({ name: step.name, stats: pick(s) })),
    total: pick(width - 1),
  };
}

/** The kernel's standard normals for one trial's stream (tests compare them with the oracle's). */
export function normalsWasm(seed: number, trial: number, n: number): Float64Array {
  validateSeed(seed);
  validateTrialRange(trial, n);
  const ptr = trialsKernel.heapBase();
  trialsKernel.ensureBytes(ptr + n * 8);
  const memory = trialsKernel.call('normalsForTest', (k) => {
    k.normalsForTest(...seedHalves(seed), trial, n, ptr);
    return k.memory;
  });
  return new Float64Array(memory.buffer, ptr, n).slice();
}
