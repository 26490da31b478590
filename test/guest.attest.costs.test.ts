// ATTESTATION_COST_PARAMETERS: the host's COST_PARAMETERS shape, every value labelled and
// sourced, and overrides checked like any other input.
import { describe, it, expect } from 'vitest';
import { ATTESTATION_COST_PARAMETERS, attestationCostDefaults } from '../src/guest/attestation/costs.js';
import { runAttestation } from '../src/workers/attestationRun.js';
import { InputError } from '../src/platform/errors.js';
import type { AttestationConfig } from '../src/guest/attestation/types.js';

const CFG: AttestationConfig = {
  path: 'configfs', pollMs: 1000, qgs: 'ok', qgsThreads: 4, requests: 2, concurrency: 1, tds: 1,
  kernelVersion: '6.8', bufferStrategy: 'preallocate',
};

describe('attestation cost parameters', () => {
  it('every parameter has a unique name, a default within its minimum, a unit, a label and a source', () => {
    const names = new Set<string>();
    for (const p of ATTESTATION_COST_PARAMETERS) {
      expect(names.has(p.name), p.name).toBe(false);
      names.add(p.name);
      expect(['measured', 'derived', 'assumed', 'source']).toContain(p.label);
      expect(p.unit.length, p.name).toBeGreaterThan(0);
      expect(p.source.length, p.name).toBeGreaterThan(10);
      if (p.min) expect(p.min.exclusive ? p.default > p.min.value : p.default >= p.min.value, p.name).toBe(true);
    }
  });

  it('names are prefixed att so they never collide with the boot or host tables', () => {
    for (const p of ATTESTATION_COST_PARAMETERS) expect(p.name.startsWith('att')).toBe(true);
  });

  it('the code constants are labelled source: 30 polls, 30 s timers, 16 in flight, 10 s client sleep', () => {
    const d = attestationCostDefaults();
    expect(d).toMatchObject({ attPollLimit: 30, attVmmTimeoutS: 30, attQgsTimeoutS: 30, attQemuMaxInFlight: 16, attClientRetryWaitS: 10 });
    for (const n of ['attPollLimit', 'attVmmTimeoutS', 'attQgsTimeoutS', 'attQemuMaxInFlight', 'attClientRetryWaitS']) {
      expect(ATTESTATION_COST_PARAMETERS.find((p) => p.name === n)?.label).toBe('source');
    }
  });

  it('an override changes the result', async () => {
    const base = await runAttestation({ ...CFG, path: 'vsock' }, {}, { trials: 5, seed: 1, workers: 1 });
    const slow = await runAttestation({ ...CFG, path: 'vsock' }, { attQgsServiceMs: 30 }, { trials: 5, seed: 1, workers: 1 });
    expect(slow.latencySeconds.p50).toBeGreaterThan(base.latencySeconds.p50);
  });

  it('a negative cost, a non-integer count and a bad run option are InputErrors naming the field', async () => {
    await expect(runAttestation(CFG, { attQgsServiceMs: -1 }, { trials: 1, seed: 1, workers: 1 })).rejects.toThrow(/costs\.attQgsServiceMs/);
    await expect(runAttestation(CFG, { attPollLimit: 2.5 }, { trials: 1, seed: 1, workers: 1 })).rejects.toThrow(/costs\.attPollLimit/);
    await expect(runAttestation(CFG, {}, { trials: 0, seed: 1, workers: 1 })).rejects.toThrow(InputError);
    await expect(runAttestation(CFG, {}, { trials: 1, seed: -1, workers: 1 })).rejects.toThrow(InputError);
  });

  it('a run too large to hold is refused before it starts', async () => {
    await expect(runAttestation({ ...CFG, tds: 1000, requests: 1000 }, {}, { trials: 100, seed: 1, workers: 1 })).rejects.toThrow(/at most/);
  });
});

describe('latency summary', () => {
  it('percentiles are nearest-rank order statistics of all requests, the histogram counts every one', async () => {
    const r = await runAttestation({ ...CFG, path: 'vsock', requests: 37, tds: 3 }, {}, { trials: 9, seed: 4, workers: 1 });
    const n = 37 * 3 * 9;
    expect(r.latencyHistogram.counts.reduce((a, b) => a + b, 0)).toBe(n);
    const { p50, p95, p99, max, mean } = r.latencySeconds;
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(r.latencyHistogram.edgesSeconds[0]).toBeLessThanOrEqual(mean);
    expect(r.latencyHistogram.edgesSeconds[40]).toBeCloseTo(max, 12);
  });
});

describe('latencyStats (quickselect) = nearest rank on the sorted values', () => {
  it('on 300 random arrays with ties', async () => {
    const { latencyStats } = await import('../src/guest/attestation/model.js');
    let x = 12345;
    const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 300; n++) {
      const len = 1 + Math.floor(rnd() * 500);
      const v = Float64Array.from({ length: len }, () => Math.floor(rnd() * (n % 3 === 0 ? 5 : 1000)) / 7);
      const sorted = v.slice().sort();
      const rank = (p: number) => sorted[Math.max(0, Math.floor((p * len + 99) / 100) - 1)];
      const s = latencyStats(v.slice());
      expect([s.p50, s.p95, s.p99, s.max, s.min]).toEqual([rank(50), rank(95), rank(99), sorted[len - 1], sorted[0]]);
    }
  });
});
