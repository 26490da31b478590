// Worker thread for the guest page-acceptance trials (src/workers/guestAcceptRun.ts): instantiates
// the accept kernel once and runs contiguous chunks of trials of every job on request.

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { AcceptJob } from '../guest/boot/acceptJob.js';
import { acceptKernel, acceptWasm } from '../guest/boot/acceptWasm.js';

if (!parentPort) throw new Error('guestAcceptWorker.js must run as a worker thread');

acceptKernel.exports();

const api = {
  /** Per job, trials firstTrial..firstTrial+count-1 (layout of acceptWasm). */
  run(jobs: AcceptJob[], firstTrial: number, count: number, exitCode?: number): Float64Array[] {
    if (exitCode !== undefined) process.exit(exitCode);
    const out = jobs.map((j) => acceptWasm(j, firstTrial, count));
    return Comlink.transfer(out, out.map((a) => a.buffer as ArrayBuffer));
  },
};

export type GuestAcceptWorkerApi = typeof api;

Comlink.expose(api, nodeEndpoint(parentPort));
