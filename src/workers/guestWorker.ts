// Worker thread for the guest pools: the boot's page-acceptance trials (guestAcceptRun.ts) and
// the quote-request trials (attestationRun.ts). One script for both, so that a guest run's two
// pools share their threads: the acceptance pool keeps its workers (chunkPool.ts, keep) and the
// quote pool that follows claims them instead of starting its own. Both kernels are
// instantiated at start-up, so neither pool's first chunk pays for it.

import type { AcceptJob } from '../guest/boot/acceptJob.js';
import { acceptKernel, acceptWasm } from '../guest/boot/acceptWasm.js';
import { loadAttestationKernel, runAttestationWasm } from '../guest/attestation/kernel.js';
import { serve, dieIfAsked, transferred } from './serve.js';

acceptKernel.exports();
loadAttestationKernel();

const api = {
  /** Per job, acceptance trials firstTrial..firstTrial+count-1 (layout of acceptWasm), moved to the parent. */
  accept(jobs: AcceptJob[], firstTrial: number, count: number, exitCode?: number): Float64Array[] {
    dieIfAsked(exitCode);
    return transferred(jobs.map((j) => acceptWasm(j, firstTrial, count)));
  },
  /** Trial-major words of quote-request trials firstTrial.., moved to the parent without a copy. */
  attestation(params: Float64Array, seed: number, firstTrial: number, count: number, exitCode?: number): Float64Array {
    dieIfAsked(exitCode);
    return transferred(runAttestationWasm(params, seed, firstTrial, count));
  },
};

export type GuestWorkerApi = typeof api;

serve('guestWorker.js', api);
