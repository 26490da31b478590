// The boot and memory model's rules, one behaviour per test.
import { describe, it, expect } from 'vitest';
import { validateTd } from '../src/guest/document.js';
import { GUEST_COST_PARAMETERS } from '../src/guest/costs.js';
import { planBoot, quoteBufferBytes, swiotlbAreas, swiotlbBytes, stormFaultUs, GiB, MiB, KiB } from '../src/guest/boot/model.js';
import { runBoot } from '../src/workers/guestRun.js';

const defaults = (): Record<string, number> => Object.fromEntries(GUEST_COST_PARAMETERS.map((p) => [p.name, p.default]));
const td = (doc: Record<string, unknown>) => validateTd({ vcpus: 8, memoryGiB: 32, ...doc }).td;
const boot = async (doc: Record<string, unknown>, c = defaults()) => (await runBoot(td(doc), c, { trials: 0, seed: 1, workers: 1 })).boot;
const phase = (b: Awaited<ReturnType<typeof boot>>, id: string) => b.phases.find((p) => p.id === id);

describe('memory costs', () => {
  it('SWIOTLB is 6 % of RAM clamped to [64 MiB, 1 GiB]', () => {
    expect(swiotlbBytes(0.5 * GiB, null)).toBe(64 * MiB);
    expect(swiotlbBytes(8 * GiB, null)).toBe(Math.ceil((8 * GiB * 0.06) / (256 * KiB)) * 256 * KiB);
    expect(swiotlbBytes(64 * GiB, null)).toBe(GiB);
    expect(swiotlbBytes(64 * GiB, 128)).toBe(128 * MiB);
  });

  it('SWIOTLB areas: vCPUs rounded up to a power of two, no more than one 128-slot segment each allows', () => {
    expect(swiotlbAreas(6, GiB)).toBe(8);
    expect(swiotlbAreas(248, GiB)).toBe(256);
    expect(swiotlbAreas(4096, 64 * MiB)).toBe(256);
  });

  it('quote buffer: none before 6.7, 8 KiB to 6.19, 128 KiB from 7.0', () => {
    expect(quoteBufferBytes('6.6')).toBe(0);
    expect(quoteBufferBytes('6.8')).toBe(8 * KiB);
    expect(quoteBufferBytes('6.19')).toBe(8 * KiB);
    expect(quoteBufferBytes('7.0')).toBe(128 * KiB);
  });

  it('unaccepted bitmap: one bit per 2 MiB, only when memory is handed over unaccepted', () => {
    expect(planBoot(td({ memoryGiB: 64 }), defaults(), 1).memory.unacceptedBitmapBytes).toBe(4096);
    expect(planBoot(td({ memoryGiB: 64, firmware: { accept: 'eager' } }), defaults(), 1).memory.unacceptedBitmapBytes).toBe(0);
  });

  it('shared memory = SWIOTLB pool + quote buffer', () => {
    const m = planBoot(td({ kernel: { version: '7.0' } }), defaults(), 1).memory;
    expect(m.sharedBytes).toBe(m.swiotlbBytes + 128 * KiB);
  });
});

describe('boot rules', () => {
  it('lazy firmware accepts lazyAcceptMiB (512 by default); 0 means everything', () => {
    expect(planBoot(td({}), defaults(), 1).firmwareAcceptBytes).toBe(512 * MiB);
    expect(planBoot(td({ firmware: { lazyAcceptMiB: 2048 } }), defaults(), 1).firmwareAcceptBytes).toBe(2 * GiB);
    const all = planBoot(td({ firmware: { lazyAcceptMiB: 0 } }), defaults(), 1);
    expect(all.firmwareAcceptBytes).toBe(32 * GiB);
    expect(all.notes.join(' ')).toMatch(/accepts all memory/);
  });

  it('a kernel before 6.5 cannot take unaccepted memory: the firmware accepts all of it', () => {
    const p = planBoot(td({ kernel: { version: '6.2' } }), defaults(), 1);
    expect(p.firmwareAcceptBytes).toBe(32 * GiB);
    expect(p.stormS).toBe(0);
  });

  it('the accept storm needs a lazy kernel and more than one vCPU', async () => {
    expect((await boot({ vcpus: 1 })).stormSeconds).toBe(0);
    expect((await boot({ kernel: { acceptMemory: 'eager' } })).stormSeconds).toBe(0);
    expect((await boot({})).stormSeconds).toBeGreaterThan(0);
  });

  it('storm faults cost acceptFaultUs with one vCPU up and acceptFaultLateUs with 247 up', () => {
    const c = defaults();
    expect(stormFaultUs(c, 1, 1000)).toBe(8);
    expect(stormFaultUs(c, 247, 1000)).toBeCloseTo(153, 9);
    // Fewer ticks, less contention.
    expect(stormFaultUs(c, 247, 100)).toBeLessThan(stormFaultUs(c, 247, 1000));
  });

  it('boot time grows faster than linearly with vCPUs (serial bring-up + storm)', async () => {
    const t = async (v: number) => (await boot({ vcpus: v })).toInitSeconds;
    const [a, b, c] = [await t(32), await t(64), await t(128)];
    expect(c - b).toBeGreaterThan(2 * (b - a));
  });

  it('eager kernel accept happens before init; an idle lazy TD never accepts the rest', async () => {
    const eager = await boot({ kernel: { acceptMemory: 'eager' } });
    expect(eager.acceptedAtInitBytes).toBe(32 * GiB);
    expect(eager.fullyAcceptedSeconds).not.toBeNull();
    expect(eager.fullyAcceptedSeconds!).toBeLessThanOrEqual(eager.toInitSeconds);
    const idle = await boot({});
    expect(idle.fullyAcceptedSeconds).toBeNull();
    expect(idle.unacceptedAtInitBytes).toBeGreaterThan(0);
  });

  it('allocating processes accept the rest after init, faster with more of them up to the host cap', async () => {
    const one = (await boot({ workload: { allocators: 1 } })).fullyAcceptedSeconds!;
    const four = (await boot({ workload: { allocators: 4 } })).fullyAcceptedSeconds!;
    const eight = (await boot({ workload: { allocators: 8 } })).fullyAcceptedSeconds!;
    const sixteen = (await boot({ vcpus: 16, workload: { allocators: 16 } })).fullyAcceptedSeconds!;
    const eightOf16 = (await boot({ vcpus: 16, workload: { allocators: 8 } })).fullyAcceptedSeconds!;
    expect(four).toBeLessThan(one);
    expect(eight).toBeLessThan(four);
    // Past acceptFaultUs / acceptSerialUs ≈ 4.7 allocators the host's serialized part is the limit.
    expect(sixteen).toBeCloseTo(eightOf16, 1);
  });

  it('2M host mappings cut accept exits by 512 and shorten the storm', async () => {
    const p4 = planBoot(td({ vcpus: 64 }), defaults(), 1);
    const p2 = planBoot(td({ vcpus: 64, host: { privatePageSize: '2M' } }), defaults(), 1);
    expect(p4.host.acceptExits / p2.host.acceptExits).toBeGreaterThan(400);
    expect(p2.stormS).toBeLessThan(p4.stormS / 5);
  });

  it('the quote buffer conversion kicks every vCPU per removed page', () => {
    const a = planBoot(td({ vcpus: 8, kernel: { version: '7.0' } }), defaults(), 1).host;
    const b = planBoot(td({ vcpus: 64, kernel: { version: '7.0' } }), defaults(), 1).host;
    // 32 pages × 56 more vCPUs; the SWIOTLB pool was converted with one vCPU running.
    expect(b.vcpuKicks - a.vcpuKicks).toBe(32 * 56);
  });

  it('an eager firmware TD is fully accepted when the firmware is done', async () => {
    const b = await boot({ firmware: { accept: 'eager' } });
    expect(b.fullyAcceptedSeconds).toBe(b.firmwareSeconds);
  });

  it('the accepted-memory curve is non-decreasing and ends at what was accepted', async () => {
    const b = await boot({ workload: { allocators: 2 } });
    const { seconds, bytes } = b.acceptedCurve;
    for (let i = 1; i < seconds.length; i++) {
      expect(seconds[i]).toBeGreaterThanOrEqual(seconds[i - 1]);
      expect(bytes[i]).toBeGreaterThanOrEqual(bytes[i - 1]);
    }
    expect(bytes[bytes.length - 1]).toBe(32 * GiB);
  });

  it('trials with jitter spread, and are the same whatever the number of workers', async () => {
    const c = { ...defaults(), acceptJitter: 0.3 };
    const t = td({ workload: { allocators: 2 }, memoryGiB: 8 });
    const one = await runBoot(t, c, { trials: 8, seed: 5, workers: 1 });
    const many = await runBoot(t, c, { trials: 8, seed: 5, workers: 3 });
    expect(JSON.stringify(many.perTrial)).toBe(JSON.stringify(one.perTrial));
    expect(new Set(one.perTrial.map((b) => b.fullyAcceptedSeconds)).size).toBeGreaterThan(1);
    // Trial 0 by makespan alone gives the same times as the run that drew its curve.
    expect(one.perTrial[0].toInitSeconds).toBe(one.boot.toInitSeconds);
    expect(one.perTrial[0].fullyAcceptedSeconds).toBe(one.boot.fullyAcceptedSeconds);
  });
});
