// Worker thread for the guest page-acceptance trials (src/workers/guestAcceptRun.ts): instantiates
// the accept kernel once and runs contiguous chunks of trials of every job on request.

import type { AcceptJob } from '../guest/boot/acceptJob.js';
import { acceptKernel, acceptWasm } from '../guest/boot/acceptWasm.js';
import { serve, dieIfAsked, transferred } from './serve.js';

acceptKernel.exports();

const api = {
  /** Per job, trials firstTrial..firstTrial+count-1 (layout of acceptWasm). */
  run(jobs: AcceptJob[], firstTrial: number, count: number, exitCode?: number): Float64Array[] {
    dieIfAsked(exitCode);
    const out = jobs.map((j) => acceptWasm(j, firstTrial, count));
    return transferred(out);
  },
};

export type GuestAcceptWorkerApi = typeof api;

serve('guestAcceptWorker.js', api);
