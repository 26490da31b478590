// The plain TypeScript oracle of assembly/accept.ts: the same per-unit rule written the obvious
// way (the free vCPU is found by a linear scan rather than a heap). Same floating-point
// operations in the same order, so the two agree bit for bit; see the kernel for the model.

import type { AcceptJob } from './acceptJob.js';

function seedOf(seed: number, trial: number): number {
  let s = (seed ^ Math.imul(trial + 1, 0x9e3779b9)) >>> 0;
  if (s === 0) s = 0x6d2b79f5;
  return s;
}

/** Per trial (samples + 1) numbers: the makespan (µs), then the cumulative samples (µs). */
export function acceptOracle(job: AcceptJob, firstTrial: number, count: number): Float64Array {
  const { vcpus: n, units, parallelUs: tPar, serialUs: tSer, jitter, samples } = job;
  const out = new Float64Array(count * (samples + 1));
  for (let t = 0; t < count; t++) {
    let rng = seedOf(job.seed, firstTrial + t);
    const next = (): number => {
      let x = rng;
      x = (x ^ (x << 13)) >>> 0;
      x = (x ^ (x >>> 17)) >>> 0;
      x = (x ^ (x << 5)) >>> 0;
      rng = x;
      return x / 4294967296.0;
    };
    const free = new Array<number>(n).fill(0);
    const base = t * (samples + 1);
    let lockFree = 0;
    let j = 0;
    let threshold = samples > 0 ? Math.floor(units / samples) : 0;
    for (let i = 0; i < units; i++) {
      let v = 0;
      for (let k = 1; k < n; k++) if (free[k] < free[v]) v = k;
      const f = jitter > 0 ? 1.0 + jitter * (2.0 * next() - 1.0) : 1.0;
      const parallelEnd = free[v] + tPar * f;
      const start = parallelEnd > lockFree ? parallelEnd : lockFree;
      lockFree = start + tSer * f;
      free[v] = lockFree;
      while (j < samples && i + 1 >= threshold) {
        out[base + 1 + j] = lockFree;
        j++;
        threshold = Math.floor(((j + 1) * units) / samples);
      }
    }
    out[base] = lockFree;
  }
  return out;
}
