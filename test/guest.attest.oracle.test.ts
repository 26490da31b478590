// The attestation kernel (assembly/attestation.ts) and its TypeScript oracle must agree bit for
// bit on any valid configuration, seed and trial range, and the pool must give the same bytes
// for any number of workers.
import { describe, it, expect } from 'vitest';
import { resolveConfig, buildParams } from '../src/guest/attestation/model.js';
import { runAttestationReference } from '../src/guest/attestation/oracle.js';
import { runAttestationWasm } from '../src/guest/attestation/kernel.js';
import { runAttestation } from '../src/workers/attestationRun.js';
import { attestationCostDefaults } from '../src/guest/attestation/costs.js';
import type { AttestationConfig } from '../src/guest/attestation/types.js';
import { rng as mulberry32 } from './helpers/randomPlatform.js';

const BASE: AttestationConfig = {
  path: 'configfs', pollMs: 1000, qgs: 'ok', qgsThreads: 4, requests: 8, concurrency: 2, tds: 3,
  kernelVersion: '6.8', bufferStrategy: 'preallocate',
};

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function randomCase(rnd: () => number): { cfg: AttestationConfig; costs: Record<string, number> } {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const cfg: AttestationConfig = {
    path: pick(['configfs', 'vsock'] as const),
    pollMs: pick([1, 10, 100, 1000, 2500]),
    qgs: pick(['ok', 'ok', 'ok', 'absent', 'silent'] as const),
    qgsThreads: int(1, 6),
    requests: int(1, 24),
    concurrency: int(1, 20),
    tds: int(1, 5),
    kernelVersion: pick(['6.7', '6.10', '7.0']),
    bufferStrategy: pick(['preallocate', 'per-request', 'swiotlb'] as const),
    hz: pick([100, 250, 300, 1000]),
    vcpus: int(1, 256),
    clientAttempts: int(1, 4),
    rereads: pick([0, 0, 1, 3]),
  };
  const d = attestationCostDefaults();
  const costs: Record<string, number> = {
    ...d,
    attQgsServiceMs: pick([0.5, 3, 40, 900, 20_000]),
    attQgsColdStartMs: pick([0, 500, 5000]),
    attQemuMaxInFlight: int(1, 16),
    attVmmTimeoutS: pick([0.05, 30, 1e6]),
    attQgsTimeoutS: pick([0.05, 30]),
    attClientRetryWaitS: pick([0, 10]),
    attPollLimit: int(1, 31),
  };
  return { cfg, costs };
}

describe('attestation kernel = TypeScript oracle, bit for bit', () => {
  it('on a fixed configuration, trials 0..19', () => {
    const P = buildParams(resolveConfig(BASE), attestationCostDefaults());
    expect(sameBits(runAttestationWasm(P, 42, 0, 20), runAttestationReference(P, 42, 0, 20))).toBe(true);
  });

  it('on 2000 random configurations, cost tables, seeds and trial ranges', () => {
    const rnd = mulberry32(20261206);
    for (let n = 0; n < 2000; n++) {
      const { cfg, costs } = randomCase(rnd);
      const P = buildParams(resolveConfig(cfg), costs);
      const seed = Math.floor(rnd() * 2 ** 53);
      const first = rnd() < 0.2 ? Math.floor(rnd() * 2 ** 40) : Math.floor(rnd() * 1000);
      const count = 1 + Math.floor(rnd() * 3);
      const a = runAttestationWasm(P, seed, first, count);
      const b = runAttestationReference(P, seed, first, count);
      if (!sameBits(a, b)) throw new Error(`case ${n} differs: ${JSON.stringify({ cfg, costs, seed, first, count })}`);
    }
  });

  it('a trial does not depend on the batch that runs it', () => {
    const P = buildParams(resolveConfig(BASE), attestationCostDefaults());
    const whole = runAttestationWasm(P, 9, 0, 12);
    const words = whole.length / 12;
    const part = runAttestationWasm(P, 9, 5, 3);
    expect(sameBits(part, whole.subarray(5 * words, 8 * words))).toBe(true);
  });
});

describe('runAttestation is byte-identical for any number of workers', () => {
  it('workers 1, 2 and 3 give the same JSON', async () => {
    const cfg: AttestationConfig = { ...BASE, tds: 6, requests: 20, concurrency: 3 };
    const opts = { trials: 40, seed: 5 };
    const one = JSON.stringify(await runAttestation(cfg, {}, { ...opts, workers: 1 }));
    const two = JSON.stringify(await runAttestation(cfg, {}, { ...opts, workers: 2 }));
    const three = JSON.stringify(await runAttestation(cfg, {}, { ...opts, workers: 3, chunkTrials: 7 }));
    expect(two).toBe(one);
    expect(three).toBe(one);
  });

  it('a worker that dies mid-chunk is replaced and the result is unchanged', async () => {
    const cfg: AttestationConfig = { ...BASE, requests: 4 };
    const opts = { trials: 16, seed: 3 };
    const clean = JSON.stringify(await runAttestation(cfg, {}, { ...opts, workers: 1 }));
    const faulted = JSON.stringify(await runAttestation(cfg, {}, { ...opts, workers: 2, chunkTrials: 4, faultInjection: { killChunk: 1, times: 1 } }));
    expect(faulted).toBe(clean);
  });
});
