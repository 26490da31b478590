// Worker thread for guest sweeps: receives the plan once (init), then runs and formats chunks of
// rows on request (see workers/guestSweepRun.ts). Each row runs its boot and quote kernels in
// this thread alone.

import type { GuestSweepPlan } from '../guest/sweep.js';
import { acceptKernel } from '../guest/boot/acceptWasm.js';
import { loadAttestationKernel } from '../guest/attestation/kernel.js';
import { guestRowsText, type GuestRowRange } from './guestSweepRows.js';
import { serve, dieIfAsked } from './serve.js';

acceptKernel.exports();
loadAttestationKernel();

let job: { plan: GuestSweepPlan; format: 'csv' | 'jsonl' } | null = null;

const api = {
  init(plan: GuestSweepPlan, format: 'csv' | 'jsonl'): void {
    job = { plan, format };
  },
  /** The text of one chunk's rows; exitCode is the pool's fault-injection hook (serve.ts). */
  run(range: GuestRowRange, exitCode?: number): string {
    dieIfAsked(exitCode);
    if (!job) throw new Error('guest sweep worker used before init');
    return guestRowsText(job.plan, job.format, range);
  },
};

export type GuestSweepWorkerApi = typeof api;

serve('guestSweepWorker.js', api);
