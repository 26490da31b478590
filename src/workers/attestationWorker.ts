// Worker thread for the attestation Monte Carlo (src/workers/attestationRun.ts): instantiates
// the attestation kernel once and runs contiguous chunks of trials on request.

import { loadAttestationKernel, runAttestationWasm } from '../guest/attestation/kernel.js';
import { serve, dieIfAsked, transferred } from './serve.js';

loadAttestationKernel();

const api = {
  /** Trial-major words of trials firstTrial.., moved to the parent without a copy. */
  run(params: Float64Array, seed: number, firstTrial: number, count: number, exitCode?: number): Float64Array {
    dieIfAsked(exitCode);
    const out = runAttestationWasm(params, seed, firstTrial, count);
    return transferred(out);
  },
};

export type AttestationWorkerApi = typeof api;

serve('attestationWorker.js', api);
