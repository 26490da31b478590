// One page-acceptance job: what the kernel (assembly/accept.ts) and its oracle take. Validated
// here, in TypeScript, before anything reaches WebAssembly.

import { InputError } from '../../platform/errors.js';

export interface AcceptJob {
  /** vCPUs accepting at once (firmware: BSP + APs; kernel: allocating processes). */
  vcpus: number;
  /** Units to accept: 4K pages, or groups of pagesPerUnit pages. */
  units: number;
  /** Per unit, the part every vCPU can do at once (µs). */
  parallelUs: number;
  /** Per unit, the part the host does one at a time for the TD (µs). */
  serialUs: number;
  /** Per-unit cost spread: uniform factor in [1 - jitter, 1 + jitter]; 0 = deterministic. */
  jitter: number;
  /** 32-bit seed; trial t draws from its own stream (seed, t). */
  seed: number;
  /** Points on the cumulative curve. */
  samples: number;
}

/** Largest unit count one job simulates; bigger ranges are grouped into more pages per unit. */
export const ACCEPT_UNITS_MAX = 1 << 21;
export const ACCEPT_VCPUS_MAX = 8192;
export const ACCEPT_SAMPLES_MAX = 4096;

export function validateAcceptJob(job: AcceptJob): void {
  const int = (name: keyof AcceptJob, min: number, max: number): void => {
    const v = job[name];
    if (!Number.isInteger(v) || v < min || v > max) throw new InputError(`accept.${name}`, `must be a whole number from ${min} to ${max}, got ${v}`);
  };
  int('vcpus', 1, ACCEPT_VCPUS_MAX);
  int('units', 1, ACCEPT_UNITS_MAX);
  int('samples', 0, ACCEPT_SAMPLES_MAX);
  int('seed', 0, 0xffffffff);
  for (const k of ['parallelUs', 'serialUs'] as const) {
    if (!Number.isFinite(job[k]) || job[k] < 0) throw new InputError(`accept.${k}`, `must be a finite number ≥ 0, got ${job[k]}`);
  }
  if (!Number.isFinite(job.jitter) || job.jitter < 0 || job.jitter >= 1) throw new InputError('accept.jitter', `must be ≥ 0 and < 1, got ${job.jitter}`);
}
