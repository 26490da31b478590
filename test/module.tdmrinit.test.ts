import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, hexStatus, isError, type TdmrInfo } from '../src/model/module/index.js';
import { GiB, MiB, baseConfig, readyModule, tdmr, validTdmrs, expectOk } from './module.fixture.js';

/** The kernel's loop: call until RDX reaches the TDMR's end; stop at the first error. */
function kernelLoop(m: TdxModule, lp: number, t: TdmrInfo, start: number, dur = 1) {
  let now = start;
  let calls = 0;
  const rdxs: bigint[] = [];
  let next = t.base;
  while (next < t.base + t.size) {
    const r = m.call(LEAF.SYS_TDMR_INIT, lp, { rcx: t.base }, now, now + dur);
    now += dur;
    calls++;
    if (r.status !== STATUS.TDX_SUCCESS) return { calls, rdxs, status: r.status, now };
    next = r.rdx!;
    rdxs.push(next);
  }
  return { calls, rdxs, status: STATUS.TDX_SUCCESS, now };
}

describe('TDH.SYS.TDMR.INIT', () => {
  it('4 MiB per call, RDX = progress rounded down to 1 GiB; the last call returns the end', () => {
    const ts = validTdmrs();
    const { m, c } = readyModule(baseConfig(), ts);
    expect(m.chunkBytes()).toBe(4n * MiB);
    const r = kernelLoop(m, 0, ts[0]!, c.t);
    expect(r.status).toBe(STATUS.TDX_SUCCESS);
    expect(r.calls).toBe(512); // 2 GiB / 4 MiB: 256 calls per GiB
    expect(r.rdxs[0]).toBe(0n);
    expect(r.rdxs[254]).toBe(0n);
    expect(r.rdxs[255]).toBe(GiB);
    expect(r.rdxs[511]).toBe(2n * GiB);
    expect(m.tdmrProgress()[0]).toEqual({ base: 0n, size: 2n * GiB, initialized: 2n * GiB, ready: 2n * GiB });
  });

  it('holes and reserved areas are initialized too: calls scale with TDMR size', () => {
    const ts = validTdmrs();
    const { m, c } = readyModule(baseConfig(), ts);
    expect(kernelLoop(m, 0, ts[1]!, c.t).calls).toBe(8 * 256);
  });

  it('after completion: TDX_TDMR_ALREADY_INITIALIZED (no error bit) with RDX 0', () => {
    const ts = validTdmrs();
    const { m, c } = readyModule(baseConfig(), ts);
    const r = kernelLoop(m, 0, ts[0]!, c.t);
    const again = m.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 0n }, r.now, r.now + 1);
    expect(hexStatus(again.status)).toBe('0x00000a0300000000');
    expect(isError(again.status)).toBe(false);
    expect(again.rdx).toBe(0n);
  });

  it('RCX must be a configured TDMR base → TDX_OPERAND_INVALID(RCX)', () => {
    const { c } = readyModule();
    for (const rcx of [GiB, 2n * MiB, 1n << 52n, 1n << 46n, 4n * GiB + GiB]) {
      const r = c.call(LEAF.SYS_TDMR_INIT, 0, { rcx });
      expect(hexStatus(r.status), rcx.toString(16)).toBe('0xc000010000000001');
      expect(r.rdx).toBe(0n);
    }
    expectOk(c.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 4n * GiB }));
  });

  it('needs SYS_READY → TDX_SYS_NOT_READY', () => {
    const m = new TdxModule(baseConfig());
    expect(m.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 0n }, 0, 1).status).toBe(STATUS.TDX_SYS_NOT_READY);
  });

  it('with Dynamic PAMT requested at CONFIG: 16 MiB per call, 64 calls per GiB', () => {
    const cfg = baseConfig({ features0: (1n << 18n) | (1n << 36n) });
    const ts = validTdmrs(true);
    const { m, c } = readyModule(cfg, ts, 32n | (1n << 16n));
    expect(m.chunkBytes()).toBe(16n * MiB);
    const r = kernelLoop(m, 0, ts[0]!, c.t);
    expect(r.calls).toBe(128);
    expect(r.rdxs.at(-1)).toBe(2n * GiB);
    // Supported but not requested: 4 MiB.
    expect(readyModule(cfg, validTdmrs()).m.chunkBytes()).toBe(4n * MiB);
  });
});

describe('tdmrInitBulk', () => {
  it('matches one-by-one calls: same calls, status, RDX and progress', () => {
    const ts = validTdmrs();
    const a = readyModule(baseConfig(), ts);
    const b = readyModule(baseConfig(), ts);
    const one = kernelLoop(a.m, 0, ts[1]!, a.c.t, 2);
    const bulk = b.m.tdmrInitBulk(0, ts[1]!.base, Infinity, b.c.t, 2);
    expect(bulk).toEqual({ calls: one.calls, status: one.status, name: 'TDX_SUCCESS', done: true, rdx: one.rdxs.at(-1), t1: one.now });
    expect(b.m.tdmrProgress()).toEqual(a.m.tdmrProgress());
  });

  it('stops at maxCalls and resumes where it stopped', () => {
    const ts = validTdmrs();
    const { m, c } = readyModule(baseConfig(), ts);
    const r1 = m.tdmrInitBulk(1, 0n, 300, c.t, 1);
    expect(r1).toMatchObject({ calls: 300, done: false, rdx: GiB, status: STATUS.TDX_SUCCESS });
    expect(m.tdmrProgress()[0]!.initialized).toBe(300n * 4n * MiB);
    const r2 = m.tdmrInitBulk(1, 0n, 1000, r1.t1, 1);
    expect(r2).toMatchObject({ calls: 212, done: true, rdx: 2n * GiB });
    const r3 = m.tdmrInitBulk(1, 0n, 1000, r2.t1, 1);
    expect(r3).toMatchObject({ calls: 1, done: true, rdx: 0n, name: 'TDX_TDMR_ALREADY_INITIALIZED' });
  });

  it('holds the TDMR mutex and the LP for the whole run', () => {
    const ts = validTdmrs();
    const { m, c } = readyModule(baseConfig(), ts);
    const t = c.t;
    const r = m.tdmrInitBulk(0, 0n, Infinity, t, 1);
    expect(r.t1).toBe(t + 512);
    // Another LP on the same TDMR in the middle of the run: busy; on another TDMR: fine.
    expect(hexStatus(m.call(LEAF.SYS_TDMR_INIT, 1, { rcx: 0n }, t + 100, t + 101).status)).toBe('0x8000020000000001');
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 2, { rcx: 4n * GiB }, t + 100, t + 101));
    // SYS.SHUTDOWN sees LP 0 still inside SEAM.
    expect(m.call(LEAF.SYS_SHUTDOWN, 3, {}, t + 200, t + 201).status).toBe(STATUS.TDX_SYS_BUSY);
    // LP 0 itself cannot start another call before the run ends.
    expect(() => m.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 4n * GiB }, t + 300, t + 301)).toThrow(/LP 0/);
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 4n * GiB }, t + 512, t + 513));
  });

  it('a failing first call is reported as one call', () => {
    const { m, c } = readyModule();
    expect(m.tdmrInitBulk(0, GiB, 100, c.t, 1)).toMatchObject({ calls: 1, done: false, rdx: 0n, name: 'TDX_OPERAND_INVALID' });
    const fresh = new TdxModule(baseConfig());
    expect(fresh.tdmrInitBulk(0, 0n, 100, 0, 1)).toMatchObject({ calls: 1, name: 'TDX_SYS_NOT_READY' });
  });

  it('models a 64 TiB platform’s 16M calls without 16M JS calls', () => {
    const size = 64n * 1024n * GiB;
    const t = tdmr(0n, size, size - 512n * GiB, [{ offset: size - 512n * GiB, size: 512n * GiB }]);
    const cfg = baseConfig({ cmrs: [{ start: 0n, end: size }] });
    const { m, c } = readyModule(cfg, [t]);
    const started = performance.now();
    const r = m.tdmrInitBulk(0, 0n, Infinity, c.t, 3);
    expect(performance.now() - started).toBeLessThan(50);
    expect(r.calls).toBe(16 * 1024 * 1024);
    expect(r.done).toBe(true);
    expect(r.rdx).toBe(size);
  });
});
