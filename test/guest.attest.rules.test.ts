// The attestation model's rules, one behaviour per test: the driver's polling loop (its end
// included), -EBUSY while the VMM owns the buffer, client retries, QEMU's in-flight cap, the QGS
// thread pool (cold starts, FIFO, 30 s timer), the vsock bypass, buffer strategies, validation.
import { describe, it, expect } from 'vitest';
import { runAttestation } from '../src/workers/attestationRun.js';
import { msleepJiffies, wheelGranularity, kernelRules, resolveConfig } from '../src/guest/attestation/model.js';
import { InputError } from '../src/platform/errors.js';
import type { AttestationConfig } from '../src/guest/attestation/types.js';

const STOCK: AttestationConfig = {
  path: 'configfs', pollMs: 1000, qgs: 'ok', qgsThreads: 4, requests: 1, concurrency: 1, tds: 1,
  kernelVersion: '6.10', bufferStrategy: 'preallocate',
};
const run = (cfg: Partial<AttestationConfig>, costs: Record<string, number> = {}, trials = 20) =>
  runAttestation({ ...STOCK, ...cfg }, costs, { trials, seed: 2, workers: 1 });
/** A VMM that never answers: no QEMU transaction timer, no QGS timer. */
const NEVER = { attVmmTimeoutS: 1e7, attQgsTimeoutS: 1e7 };

describe('the driver polling loop (wait_for_quote_completion)', () => {
  it('msleep_interruptible(1000) is 1001 jiffies, rounded to a 64-jiffy wheel slot at HZ=1000', () => {
    expect(msleepJiffies(1000, 1000)).toBe(1001);
    expect(wheelGranularity(1001)).toBe(64);
    expect(msleepJiffies(10, 1000)).toBe(11);
    expect(wheelGranularity(11)).toBe(1);
    expect(msleepJiffies(1000, 250)).toBe(251);
    expect(wheelGranularity(251)).toBe(8);
  });

  it('a quote still in flight after the 30th sleep leaves the loop with the counter at 31: no -ETIMEDOUT, the status check fails it with -EIO', async () => {
    const r = await run({ qgs: 'silent', clientAttempts: 1 }, NEVER);
    expect(r.outcomes).toEqual({ ok: 0, ebusy: 0, eio: 20, timeout: 0 });
    expect(r.events?.loopRunOuts).toBe(20);
    // 30 sleeps: the first 1.001–1.065 s, the next 29 phase-locked to the wheel at 1.024 s.
    expect(r.latencySeconds.p50).toBeGreaterThan(30.69);
    expect(r.latencySeconds.p50).toBeLessThan(30.77);
  });

  it('a quote that completes during the 30th sleep is reported -ETIMEDOUT anyway (counter = 30)', async () => {
    const r = await run({ clientAttempts: 1 }, { ...NEVER, attQgsServiceMs: 30_200, attQgsServiceSpread: 0, attQgsColdStartMs: 0 });
    expect(r.outcomes.timeout).toBe(20);
    expect(r.events?.spuriousTimeouts).toBe(20);
  });

  it('a quote that completes during an earlier sleep is returned', async () => {
    const r = await run({ clientAttempts: 1 }, { ...NEVER, attQgsServiceMs: 5_000, attQgsServiceSpread: 0, attQgsColdStartMs: 0 });
    expect(r.outcomes.ok).toBe(20);
    expect(r.latencySeconds.max).toBeLessThan(6.2);
  });

  it('10 ms polling keeps the 30-poll limit: a quote slower than ~0.35 s (a QGS cold start) runs the loop out', async () => {
    const r = await run({ pollMs: 10 }, { attQgsColdStartMs: 500 });
    expect(r.outcomes.eio).toBe(20);
    expect(r.events?.loopRunOuts).toBe(20);
    expect(r.latencySeconds.max).toBeLessThan(0.4);
  });
});

describe('the notes say what the loop did at its end', () => {
  it('a run-out: counter 31, returned 0, failed by the status check', async () => {
    const r = await run({ qgs: 'silent', clientAttempts: 1 }, NEVER, 2);
    expect(r.notes.join('\n')).toMatch(/counter ended at 31, wait_for_quote_completion\(\) returned 0/);
  });

  it("QEMU's timer during the 30th sleep: -ETIMEDOUT", async () => {
    const r = await run({ qgs: 'silent', clientAttempts: 1 }, {}, 2);
    expect(r.notes.join('\n')).toMatch(/-ETIMEDOUT \(counter = 30\)/);
  });
});

describe('the buffer the VMM still owns', () => {
  it('after a loop run-out the next request gets -EBUSY; libtdx_attest sleeps 10 s after each of its 3 reads', async () => {
    const r = await run({ qgs: 'silent', requests: 2, clientAttempts: 3 }, NEVER, 5);
    expect(r.outcomes.eio).toBe(5);
    expect(r.outcomes.ebusy).toBe(5);
    expect(r.events?.ebusyAttempts).toBe(15);
    expect(r.latencyHistogram.edgesSeconds[0]).toBeGreaterThan(29.9);
  });

  it('-ETIMEDOUT is retried at once by libtdx_attest: three 30.7 s attempts', async () => {
    const r = await run({ qgs: 'silent', clientAttempts: 3 });
    expect(r.outcomes.timeout).toBe(20);
    expect(r.latencySeconds.p50).toBeGreaterThan(3 * 30.69);
    expect(r.latencySeconds.p50).toBeLessThan(3 * 30.77);
  });
});

describe('cached re-reads (configfs-tsm report cache, by generation)', () => {
  it('a re-read with an unchanged generation costs no new quote', async () => {
    const once = await run({ path: 'vsock' }, { attQgsColdStartMs: 0 });
    const r = await run({ rereads: 3 }, { attQgsColdStartMs: 0 });
    expect(r.outcomes.ok).toBe(20);
    expect(r.events?.coldStarts).toBe(once.events?.coldStarts);
    expect(r.latencySeconds.max).toBeLessThan(1.07);
  });

  it("a re-read waits for the lock behind another requester's fresh quote", async () => {
    const r = await run({ requests: 2, concurrency: 2, rereads: 1 }, { attQgsColdStartMs: 0 });
    // The first requester's quote is done at ~1 s, but its re-read queues behind the second
    // requester's quote (tsm_rwsem), so both finish after ~2 s.
    expect(r.latencyHistogram.edgesSeconds[0]).toBeGreaterThan(2.0);
  });
});

describe('QEMU and the quote service', () => {
  it("QEMU's in-flight cap (16 per TD) answers RETRY, which the driver returns as -EIO (reachable only with per-request buffers)", async () => {
    const r = await run({ bufferStrategy: 'per-request', requests: 20, concurrency: 20 }, {}, 5);
    expect(r.events?.qemuRetries).toBe(5 * 4);
    expect(r.outcomes.eio).toBe(5 * 4);
    expect(r.outcomes.ok).toBe(5 * 16);
  });

  it('the upstream buffer never reaches the cap: one quote in flight per TD', async () => {
    const r = await run({ requests: 20, concurrency: 20 }, {}, 2);
    expect(r.events?.qemuRetries).toBe(0);
    expect(r.outcomes.ok).toBe(40);
  });

  it('each QGS worker thread pays one cold start; the longest-idle worker takes the next job', async () => {
    const r = await run({ path: 'vsock', requests: 6, qgsThreads: 4 }, {}, 10);
    expect(r.events?.coldStarts).toBe(40);
  });

  it('jobs queue FIFO for the worker pool: the queue trace reaches tds − threads', async () => {
    const r = await run({ path: 'vsock', tds: 8, qgsThreads: 1 }, { attQgsServiceMs: 100, attQgsServiceSpread: 0, attQgsColdStartMs: 0 }, 1);
    expect(Math.max(...r.queueLength.length)).toBe(7);
    expect(r.latencySeconds.max).toBeGreaterThan(0.8);
    expect(r.latencySeconds.max).toBeLessThan(0.81);
  });

  it("a job still waiting when QGS's 30 s timer fires loses its connection (vsock: -EIO at 30 s)", async () => {
    const r = await run({ path: 'vsock', tds: 3, qgsThreads: 1 }, { attQgsServiceMs: 20_000, attQgsServiceSpread: 0, attQgsColdStartMs: 0 }, 1);
    expect(r.outcomes.ok).toBe(1);
    expect(r.outcomes.eio).toBe(2);
    expect(r.events?.qgsTimeouts).toBe(2);
  });

  it('the vsock path bypasses the per-TD lock: concurrent readers all finish in milliseconds', async () => {
    const r = await run({ path: 'vsock', requests: 4, concurrency: 4 }, { attQgsColdStartMs: 0 });
    expect(r.outcomes.ok).toBe(80);
    expect(r.latencySeconds.max).toBeLessThan(0.01);
  });
});

describe('buffer strategies (what-if)', () => {
  it('upstream preallocates once: 2 pages (8 KiB) before 7.0, 32 pages (128 KiB) from 7.0, one MapGPA call', async () => {
    const old = await run({});
    expect(old.conversions.pages).toBe(2);
    expect(old.conversions.mapGpaCalls).toBe(1);
    const v7 = await run({ kernelVersion: '7.0' });
    expect(v7.conversions.pages).toBe(32);
  });

  it('per-request converts every request both ways, and the host kick cost grows with vCPUs', async () => {
    const small = await run({ bufferStrategy: 'per-request', requests: 10, vcpus: 1 });
    const big = await run({ bufferStrategy: 'per-request', requests: 10, vcpus: 248 });
    expect(small.conversions.pages).toBe(10 * 2 * 2);
    expect(small.conversions.mapGpaCalls).toBe(10 * 2);
    expect(big.conversions.seconds).toBeGreaterThan(small.conversions.seconds);
  });

  it('swiotlb takes pre-shared memory: no conversion at all', async () => {
    const r = await run({ bufferStrategy: 'swiotlb' });
    expect(r.conversions).toEqual({ pages: 0, mapGpaCalls: 0, seconds: 0 });
  });
});

describe('validation', () => {
  it('a bad field is one InputError naming it', () => {
    expect(() => resolveConfig({ ...STOCK, qgsThreads: 0 })).toThrow(InputError);
    expect(() => resolveConfig({ ...STOCK, qgsThreads: 0 })).toThrow(/attestation\.qgsThreads/);
    expect(() => resolveConfig({ ...STOCK, path: 'ioctl' as never })).toThrow(/attestation\.path/);
  });

  it('a trial that could make more than 3,000,000 GetQuote attempts is refused (kernel memory stays bounded)', () => {
    expect(() => resolveConfig({ ...STOCK, tds: 10, requests: 100_000, clientAttempts: 4 })).toThrow(/attestation\.clientAttempts/);
  });

  it('configfs quotes need 6.7 or later', () => {
    expect(() => resolveConfig({ ...STOCK, kernelVersion: '6.6' })).toThrow(/6\.7/);
  });

  it('kernel versions select the buffer size and the payload check', () => {
    expect(kernelRules('6.9')).toMatchObject({ quoteBufBytes: 8192, payloadStatusCheck: false });
    expect(kernelRules('6.10')).toMatchObject({ quoteBufBytes: 8192, payloadStatusCheck: true });
    expect(kernelRules('7.0-rc2')).toMatchObject({ quoteBufBytes: 131072, payloadStatusCheck: true });
  });
});
