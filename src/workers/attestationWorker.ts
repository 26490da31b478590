// Worker thread for the attestation Monte Carlo (src/workers/attestationRun.ts): instantiates
// the attestation kernel once and runs contiguous chunks of trials on request.

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { loadAttestationKernel, runAttestationWasm } from '../guest/attestation/kernel.js';

if (!parentPort) throw new Error('attestationWorker.js must run as a worker thread');

loadAttestationKernel();

const api = {
  /** Trial-major words of trials firstTrial.., moved to the parent without a copy. */
  run(params: Float64Array, seed: number, firstTrial: number, count: number, exitCode?: number): Float64Array {
    if (exitCode !== undefined) process.exit(exitCode);
    const out = runAttestationWasm(params, seed, firstTrial, count);
    return Comlink.transfer(out, [out.buffer]);
  },
};

export type AttestationWorkerApi = typeof api;

Comlink.expose(api, nodeEndpoint(parentPort));
