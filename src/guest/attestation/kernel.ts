// Thin wrapper around build/attestation.wasm (assembly/attestation.ts): copies validated
// parameters into WASM memory, runs a batch of trials in calls of bounded size, and returns the
// trial-major words. Bit-identical to runAttestationReference (oracle.ts).

import { WasmKernel, seedHalves, type KernelExports } from '../../kernels/loader.js';
import { PARAM_WORDS, STATS_WORDS } from './kernelAbi.js';
import { trialWords } from './oracle.js';

interface AttestationExports extends KernelExports {
  scratchBytes(params: number): number;
  runAttestation(params: number, scratch: number, firstTrial: number, count: number, seedLo: number, seedHi: number, out: number): void;
}

// One call writes at most this many f64 (16 MiB) and simulates about this many requests: the
// reasons are at WasmKernel.callInChunks.
const OUT_WORDS_PER_CALL = 1 << 21;
const REQUESTS_PER_CALL = 1 << 13;

export const attestationKernel = new WasmKernel<AttestationExports>('attestation');

export function loadAttestationKernel(): AttestationExports {
  return attestationKernel.exports();
}

export function runAttestationWasm(params: Float64Array, seed: number, firstTrial: number, count: number): Float64Array {
  if (params.length !== PARAM_WORDS) throw new RangeError(`attestation params: expected ${PARAM_WORDS} words, got ${params.length}`);
  const words = trialWords(params);
  const perCall = Math.max(1, Math.min(Math.floor(OUT_WORDS_PER_CALL / words), Math.floor(REQUESTS_PER_CALL / (words - STATS_WORDS))));
  const paramsPtr = attestationKernel.heapBase();
  attestationKernel.ensureBytes(paramsPtr + PARAM_WORDS * 8);
  new Float64Array(attestationKernel.exports().memory.buffer, paramsPtr, PARAM_WORDS).set(params);
  const scratchPtr = paramsPtr + PARAM_WORDS * 8;
  const scratch = attestationKernel.call('scratchBytes', (k) => k.scratchBytes(paramsPtr));
  const outPtr = scratchPtr + ((scratch + 7) & ~7);
  attestationKernel.ensureBytes(outPtr + Math.min(count, perCall) * words * 8);
  const [seedLo, seedHi] = seedHalves(seed);
  return attestationKernel.callInChunks('runAttestation', count, perCall, words, outPtr,
    (k, done, n) => k.runAttestation(paramsPtr, scratchPtr, firstTrial + done, n, seedLo, seedHi, outPtr));
}
