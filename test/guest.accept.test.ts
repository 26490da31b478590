// The page-acceptance kernel (assembly/accept.ts) against its TypeScript oracle: bit for bit.
import { describe, it, expect } from 'vitest';
import { acceptOracle } from '../src/guest/boot/acceptOracle.js';
import { acceptWasm } from '../src/guest/boot/acceptWasm.js';
import { validateAcceptJob, type AcceptJob } from '../src/guest/boot/acceptJob.js';

const job = (o: Partial<AcceptJob>): AcceptJob => ({ vcpus: 4, units: 1000, parallelUs: 0.85, serialUs: 1.7, jitter: 0, seed: 1, samples: 8, ...o });

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

describe('accept kernel', () => {
  it('one vCPU accepts units back to back: makespan = units × (parallel + serial)', () => {
    const j = job({ vcpus: 1, units: 500, parallelUs: 1, serialUs: 2 });
    expect(acceptWasm(j, 0, 1)[0]).toBe(1500);
  });

  it('many vCPUs are capped by the serialized host part: makespan → units × serial', () => {
    const j = job({ vcpus: 64, units: 10_000, parallelUs: 1, serialUs: 2 });
    const m = acceptWasm(j, 0, 1)[0];
    expect(m).toBeGreaterThanOrEqual(20_000);
    expect(m).toBeLessThan(20_000 + 3);
  });

  it('samples form a non-decreasing curve ending at the makespan', () => {
    const out = acceptWasm(job({ jitter: 0.4, samples: 16 }), 0, 1);
    for (let i = 2; i <= 16; i++) expect(out[i]).toBeGreaterThanOrEqual(out[i - 1]);
    expect(out[16]).toBe(out[0]);
  });

  it('a trial depends only on (seed, trial index), not on the batch it runs in', () => {
    const j = job({ jitter: 0.3, seed: 99 });
    const all = acceptWasm(j, 0, 5);
    const w = j.samples + 1;
    expect(sameBits(acceptWasm(j, 3, 2), all.subarray(3 * w))).toBe(true);
  });

  it('equals the oracle bit for bit on fixed jobs', () => {
    for (const j of [job({}), job({ vcpus: 248, units: 50_000, jitter: 0.2, seed: 7 }), job({ vcpus: 1, units: 1, samples: 0 }), job({ units: 3, samples: 10 })]) {
      expect(sameBits(acceptWasm(j, 0, 3), acceptOracle(j, 0, 3))).toBe(true);
    }
  });

  it('equals the oracle bit for bit on 3000 random jobs', () => {
    let s = 12345;
    const r = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 3000; i++) {
      const j = job({
        vcpus: 1 + Math.floor(r() * 40), units: 1 + Math.floor(r() * 300), parallelUs: r() * 10, serialUs: r() * 5,
        jitter: r() < 0.3 ? 0 : r() * 0.99, seed: Math.floor(r() * 2 ** 32), samples: Math.floor(r() * 20),
      });
      const first = Math.floor(r() * 1000);
      const a = acceptWasm(j, first, 2);
      const b = acceptOracle(j, first, 2);
      if (!sameBits(a, b)) throw new Error(`job ${i} differs: ${JSON.stringify(j)}`);
    }
  });

  it('refuses a bad job in TypeScript, before WebAssembly', () => {
    expect(() => validateAcceptJob(job({ vcpus: 0 }))).toThrow(/accept.vcpus/);
    expect(() => validateAcceptJob(job({ units: 2 ** 22 }))).toThrow(/accept.units/);
    expect(() => validateAcceptJob(job({ jitter: 1 }))).toThrow(/accept.jitter/);
    expect(() => validateAcceptJob(job({ serialUs: Number.NaN }))).toThrow(/accept.serialUs/);
  });
});
