// The guest side's default worker count: chosen from the estimated work of each pool (accept
// trials, attestation trials, guest sweep rows), this thread always one of the workers, and the
// output the same for any count.
import { describe, expect, it } from 'vitest';
import { liveWorkers, workersStarted } from '../src/workers/chunkPool.js';
import { acceptWorkers, runAcceptTrials, ACCEPT_LEVELS_PER_MS, ACCEPT_MS_PER_WORKER } from '../src/workers/guestAcceptRun.js';
import { attestationWorkers, runAttestation, ATTESTATION_REQUESTS_PER_MS, ATTESTATION_MS_PER_WORKER } from '../src/workers/attestationRun.js';
import { resolveConfig, buildParams, ATTESTATION_DEFAULTS } from '../src/guest/attestation/model.js';
import type { AttestationConfig } from '../src/guest/attestation/types.js';
import type { AcceptJob } from '../src/guest/boot/acceptJob.js';
import { runGuest } from '../src/workers/guestRun.js';
import { runGuestSweep, guestSweepWorkers, guestRowMs, GUEST_SWEEP_MS_PER_WORKER, GUEST_ROW_FIXED_MS, type GuestSweepOptions } from '../src/workers/guestSweepRun.js';
import { readSweepSpec } from '../src/model/sweep/spec.js';

const job = (vcpus: number, units: number): AcceptJob => ({ vcpus, units, parallelUs: 8, serialUs: 0.5, jitter: 0.3, seed: 7, samples: 0 });
const BASE: AttestationConfig = { path: 'configfs', pollMs: 1000, qgs: 'ok', qgsThreads: 1, requests: 1, concurrency: 1, tds: 1, kernelVersion: '6.8', bufferStrategy: 'preallocate' };
const params = (cfg: Partial<AttestationConfig>): Float64Array => buildParams(resolveConfig({ ...BASE, tds: ATTESTATION_DEFAULTS.tds, ...cfg }), {});

describe('acceptWorkers', () => {
  it('keeps 100 trials of a 4-vCPU, 16 GiB TD in one thread (the default was two threads, 2× slower)', () => {
    expect(acceptWorkers([job(4, 131_072)], 100, 2)).toBe(1);
  });
  it('uses two threads for 300 trials of the 248-vCPU dstack TD on two cores', () => {
    expect(acceptWorkers([job(248, 131_072)], 300, 2)).toBe(2);
  });
  it('follows units × log2(vCPUs) × trials exactly at the threshold', () => {
    // 256 vCPUs: 8 heap levels a unit.
    const trials = Math.ceil((2 * ACCEPT_MS_PER_WORKER * ACCEPT_LEVELS_PER_MS) / (8 * 131_072));
    expect(acceptWorkers([job(256, 131_072)], trials, 8)).toBe(2);
    expect(acceptWorkers([job(256, 131_072)], trials - 1, 8)).toBe(1);
  });
});

describe('attestationWorkers', () => {
  it('keeps the one quote request of a default TD in one thread at the most trials the guest command runs', () => {
    expect(attestationWorkers(params({}), 10_000, 2)).toBe(1);
  });
  it('uses two threads for 10,000 trials of 8 TDs × 32 requests on two cores', () => {
    expect(attestationWorkers(params({ tds: 8, requests: 32 }), 10_000, 2)).toBe(2);
  });
  it('counts a trial as its requests plus two requests of set-up', () => {
    const trials = Math.ceil((2 * ATTESTATION_MS_PER_WORKER * ATTESTATION_REQUESTS_PER_MS) / (62 + 2));
    expect(attestationWorkers(params({ requests: 62 }), trials, 8)).toBe(2);
    expect(attestationWorkers(params({ requests: 62 }), trials - 10, 8)).toBe(1);
  });
});

describe('guest pools start no thread for short work, whatever the count', () => {
  it('attestation: 100 trials on 2 workers run in this thread', async () => {
    const run = runAttestation(BASE, {}, { trials: 100, seed: 1, workers: 2 });
    expect(liveWorkers('attestation')).toBe(0);
    await run;
  });
  it('attestation: the probe sees a thread when the chunks are forced small', async () => {
    const run = runAttestation(BASE, {}, { trials: 100, seed: 1, workers: 2, chunkTrials: 10 });
    expect(liveWorkers('attestation')).toBe(1);
    await run;
    expect(liveWorkers('attestation')).toBe(0);
  });
  it('accept: 4 trials of a small TD on 2 workers run in this thread', async () => {
    const run = runAcceptTrials([job(4, 4096)], 4, 2);
    expect(liveWorkers('guest accept')).toBe(0);
    await run;
  });
});

describe('a guest run shares its threads between its two pools', () => {
  it('the quote trials run on the thread the acceptance trials started, which is gone afterwards', async () => {
    const sets = ['attestation.tds=8', 'attestation.requests=64', 'attestation.concurrency=8'];
    const req = { input: 'preset:td-dstack-248', sets, trials: 200, seed: 1 };
    const before = workersStarted();
    const two = await runGuest({ ...req, workers: 2 });
    expect(workersStarted() - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(liveWorkers()).toBe(0);
    expect(JSON.stringify(two)).toBe(JSON.stringify(await runGuest({ ...req, workers: 1 })));
  });
});

describe('the default worker count gives the same numbers as one worker', () => {
  it('accept trials', async () => {
    const jobs = [job(64, 65_536), job(8, 8192)];
    const one = await runAcceptTrials(jobs, 40, 1);
    const dflt = await runAcceptTrials(jobs, 40);
    const two = await runAcceptTrials(jobs, 40, 2);
    expect(dflt.map((a) => [...a])).toEqual(one.map((a) => [...a]));
    expect(two.map((a) => [...a])).toEqual(one.map((a) => [...a]));
  });
  it('attestation trials', async () => {
    const cfg = { ...BASE, tds: 4, requests: 16, concurrency: 4 };
    const one = JSON.stringify(await runAttestation(cfg, {}, { trials: 300, seed: 9, workers: 1 }));
    expect(JSON.stringify(await runAttestation(cfg, {}, { trials: 300, seed: 9 }))).toBe(one);
  });
  it('a whole guest report', async () => {
    const req = { input: 'preset:td-small', sets: ['attestation.requests=8', 'costs.acceptJitter=0.2'], trials: 20, seed: 3 };
    const one = JSON.stringify(await runGuest({ ...req, workers: 1 }));
    expect(JSON.stringify(await runGuest(req))).toBe(one);
  });
});

describe('guest sweep rows on the worker pool', () => {
  const SPEC = 'kind: guest\nbase: preset:td-small\ntrials: 3\ngrid:\n  vcpus: [2, 8, 32]\n  memoryGiB: [4, 8]\n  attestation.requests: [1, 6]\n';
  const text = async (opts: Partial<GuestSweepOptions>, format: 'csv' | 'jsonl' = 'csv'): Promise<string> => {
    let out = '';
    await runGuestSweep(readSweepSpec(SPEC, 'spec.yaml').guest!, { format, ...opts, write: (t) => { out += t; } });
    return out;
  };

  it('gives the same bytes on 1, 2 and the default workers, in chunks of any size', async () => {
    const one = await text({ workers: 1 });
    expect(one.trim().split('\n')).toHaveLength(13);
    expect(await text({ workers: 2, chunkRows: 1 })).toBe(one);
    expect(await text({ workers: 3, chunkRows: 5 })).toBe(one);
    expect(await text({})).toBe(one);
    expect(liveWorkers('guest sweep')).toBe(0);
  });
  it('survives a worker that dies mid-chunk with the same bytes', async () => {
    const one = await text({ workers: 1 }, 'jsonl');
    expect(await text({ workers: 2, chunkRows: 2, faultInjection: { killChunk: 1, times: 1 } }, 'jsonl')).toBe(one);
  });
  it('counts the rows it wrote (the count was 0 without a progress callback)', async () => {
    const plan = readSweepSpec(SPEC, 'spec.yaml').guest!;
    const r = await runGuestSweep(plan, { format: 'csv', workers: 1, shard: { k: 2, n: 5 }, write: () => undefined });
    expect(r).toEqual({ rows: 3, total: 3, aborted: false, failed: 0, invalid: 0 });
  });
  it('stops between chunks on the signal, having written a whole prefix of the rows', async () => {
    const ac = new AbortController();
    const lines: string[] = [];
    const plan = readSweepSpec(SPEC, 'spec.yaml').guest!;
    const r = await runGuestSweep(plan, { format: 'jsonl', workers: 1, chunkRows: 2, signal: ac.signal, write: (t) => { lines.push(...t.trim().split('\n')); ac.abort(); } });
    expect(r.aborted).toBe(true);
    expect(r.rows).toBe(2);
    expect(lines.map((l) => JSON.parse(l).index)).toEqual([0, 1]);
  });
});

describe('guestSweepWorkers', () => {
  it('keeps a sweep of a few hundred milliseconds in one thread', () => {
    expect(guestSweepWorkers(120, 2, 2)).toBe(1);
  });
  it('needs GUEST_SWEEP_MS_PER_WORKER of estimated work per worker', () => {
    expect(guestSweepWorkers(2 * GUEST_SWEEP_MS_PER_WORKER, 1, 8)).toBe(2);
    expect(guestSweepWorkers(2 * GUEST_SWEEP_MS_PER_WORKER - 1, 1, 8)).toBe(1);
  });
  it('estimates a row from its kernels work: more vCPUs, eager acceptance, trials and quote requests cost more', () => {
    const plan = (trials: number) => readSweepSpec(`kind: guest\nbase: preset:td-small\ntrials: ${trials}\ngrid:\n  vcpus: [4, 64]\n  kernel.acceptMemory: [lazy, eager]\n  attestation.requests: [1, 500]\n`, 'spec.yaml').guest!;
    const p = plan(0);
    expect(guestRowMs(p, 0)).toBeGreaterThan(GUEST_ROW_FIXED_MS);
    expect(guestRowMs(p, 4)).toBeGreaterThan(guestRowMs(p, 0));
    expect(guestRowMs(p, 2)).toBeGreaterThan(guestRowMs(p, 0));
    expect(guestRowMs(p, 1)).toBeGreaterThan(guestRowMs(p, 0));
    expect(guestRowMs(plan(50), 0)).toBeGreaterThan(20 * guestRowMs(p, 0));
  });
});
