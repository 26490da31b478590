// Running the acceptance jobs of a boot plan for one or many trials: in this thread, or spread
// over the worker pool in contiguous chunks of trials. A trial's numbers depend only on
// (seed, trial index), so the output is the same for any number of workers.

import { collectChunks } from './chunkPool.js';
import type { AcceptJob } from '../guest/boot/acceptJob.js';
import { acceptWasm } from '../guest/boot/acceptWasm.js';
import type { GuestAcceptWorkerApi } from './guestAcceptWorker.js';

/** Below this much simulated work (units × trials) a pool costs more than it saves. */
const POOL_MIN_WORK = 4_000_000;

/** Per job, `count` trials' outputs (samples + 1 words each), trial-major. */
export async function runAcceptTrials(jobs: AcceptJob[], count: number, workers: number): Promise<Float64Array[]> {
  const work = jobs.reduce((a, j) => a + j.units, 0) * count;
  if (workers <= 1 || count <= 1 || work < POOL_MIN_WORK) return jobs.map((j) => acceptWasm(j, 0, count));
  const chunks = Math.min(count, workers * 4);
  const bounds = (c: number): [number, number] => {
    const a = Math.floor((c * count) / chunks);
    return [a, Math.floor(((c + 1) * count) / chunks) - a];
  };
  const parts = await collectChunks<GuestAcceptWorkerApi, Float64Array[]>({
    label: 'guest accept',
    workerModule: 'guestAcceptWorker',
    workers: Math.min(workers, chunks),
    chunks,
    run: (remote, c, exitCode) => {
      const [first, n] = bounds(c);
      return remote.run(jobs, first, n, exitCode) as Promise<Float64Array[]>;
    },
    describe: (c) => {
      const [first, n] = bounds(c);
      return `trials ${first}..${first + n - 1}`;
    },
  });
  return jobs.map((j, ji) => {
    const out = new Float64Array(count * (j.samples + 1));
    let at = 0;
    for (const p of parts) {
      out.set(p[ji], at);
      at += p[ji].length;
    }
    return out;
  });
}
