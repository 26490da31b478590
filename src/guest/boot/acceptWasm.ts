// Thin wrapper around build/accept.wasm (assembly/accept.ts): validates a job, lays out scratch
// and output in the kernel's memory, and runs a batch of trials in one call.

import { WasmKernel, type KernelExports } from '../../kernels/loader.js';
import { validateAcceptJob, type AcceptJob } from './acceptJob.js';

interface AcceptExports extends KernelExports {
  runAccept(n: number, units: number, tPar: number, tSer: number, jitter: number, seed: number, firstTrial: number, count: number,
    samples: number, scratch: number, out: number): void;
}

export const acceptKernel = new WasmKernel<AcceptExports>('accept');

/** Same layout as acceptOracle: per trial (samples + 1) f64, the makespan first. */
export function acceptWasm(job: AcceptJob, firstTrial: number, count: number): Float64Array {
  validateAcceptJob(job);
  if (!Number.isInteger(firstTrial) || firstTrial < 0 || !Number.isInteger(count) || count < 0 || firstTrial + count > 0x7fffffff) {
    throw new RangeError(`accept trials ${firstTrial}+${count} out of range`);
  }
  const scratch = acceptKernel.heapBase();
  const out = scratch + job.vcpus * 12 + 8 - ((job.vcpus * 12) % 8);
  const words = count * (job.samples + 1);
  acceptKernel.ensureBytes(out + words * 8);
  return acceptKernel.call('runAccept', (e) => {
    e.runAccept(job.vcpus, job.units, job.parallelUs, job.serialUs, job.jitter, job.seed >>> 0, firstTrial, count, job.samples, scratch, out);
    return new Float64Array(e.memory.buffer, out, words).slice();
  });
}
