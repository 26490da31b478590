import { describe, expect, it } from 'vitest';
import { LEAF, MutexLock, STATUS, SharexLock, TdxModule, hexStatus } from '../src/model/module/index.js';
import { GiB, baseConfig, expectOk, readyModule, tdmr, validTdmrs, MiB } from './module.fixture.js';

describe('interval try-locks', () => {
  it('shared holders coexist; exclusive excludes everything open at its start', () => {
    const l = new SharexLock();
    expect(l.tryShared(0, 10)).toBe(true);
    expect(l.tryShared(1, 5)).toBe(true);
    expect(l.tryExclusive(9, 12)).toBe(false);
    expect(l.tryExclusive(10, 12)).toBe(true); // [0,10) is closed at 10: half-open intervals
    expect(l.tryShared(11, 13)).toBe(false);
    expect(l.tryShared(12, 13)).toBe(true);
  });

  it('a mutex is held for its interval only', () => {
    const l = new MutexLock();
    expect(l.tryAcquire(0, 4)).toBe(true);
    expect(l.tryAcquire(3, 5)).toBe(false);
    expect(l.tryAcquire(4, 5)).toBe(true);
    l.holdUntil(9);
    expect(l.tryAcquire(8, 10)).toBe(false);
    expect(l.heldUntil()).toBe(9);
  });
});

describe('module locking (init-flow.md §1.2)', () => {
  it('LP.INIT takes the global lock shared: all LPs may run it at once', () => {
    const m = new TdxModule(baseConfig());
    expectOk(m.call(LEAF.SYS_INIT, 0, {}, 0, 10));
    for (const lp of [0, 1, 2, 3]) expectOk(m.call(LEAF.SYS_LP_INIT, lp, {}, 10, 20));
    expect(m.initLps).toBe(4);
  });

  it('exclusive leaves contend with anything open: TDX_SYS_BUSY, recoverable, no state change', () => {
    const m = new TdxModule(baseConfig());
    expectOk(m.call(LEAF.SYS_INIT, 0, {}, 0, 10));
    expect(m.call(LEAF.SYS_LP_INIT, 1, {}, 5, 6).status).toBe(STATUS.TDX_SYS_BUSY); // during SYS.INIT
    expectOk(m.call(LEAF.SYS_LP_INIT, 0, {}, 10, 20));
    expectOk(m.call(LEAF.SYS_LP_INIT, 1, {}, 10, 20));
    expectOk(m.call(LEAF.SYS_LP_INIT, 2, {}, 10, 20));
    expectOk(m.call(LEAF.SYS_LP_INIT, 3, {}, 15, 30));
    // CONFIG starting while LP 3's LP.INIT is still open.
    const busy = m.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }, 25, 40);
    expect(hexStatus(busy.status)).toBe('0x8000020200000000');
    expect(m.state).toBe('SYSINIT_DONE');
    expect(m.reservedKeyIds).toEqual([]); // refused before any check ran
    expectOk(m.call(LEAF.SYS_CONFIG, 1, { tdmrs: validTdmrs() }, 30, 40));
    // KEY.CONFIG on two packages at once: the second gets TDX_SYS_BUSY and must be retried.
    expectOk(m.call(LEAF.SYS_KEY_CONFIG, 0, {}, 40, 50));
    expect(m.call(LEAF.SYS_KEY_CONFIG, 2, {}, 45, 55).status).toBe(STATUS.TDX_SYS_BUSY);
    expect(m.state).toBe('SYSCONFIG_DONE');
    expectOk(m.call(LEAF.SYS_KEY_CONFIG, 2, {}, 55, 60));
    expect(m.state).toBe('SYS_READY');
  });

  it('one mutex per TDMR: same TDMR on two LPs → TDX_OPERAND_BUSY(RCX); different TDMRs in parallel', () => {
    const { m, c } = readyModule();
    const t = c.t;
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 0n }, t, t + 10));
    const busy = m.call(LEAF.SYS_TDMR_INIT, 1, { rcx: 0n }, t + 5, t + 6);
    expect(hexStatus(busy.status)).toBe('0x8000020000000001');
    expect(busy.rdx).toBe(0n);
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 2, { rcx: 4n * GiB }, t + 5, t + 15));
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 1, { rcx: 0n }, t + 10, t + 20));
    expect(m.tdmrProgress().map((p) => p.initialized)).toEqual([8n * MiB, 4n * MiB]);
  });

  it('SYS.INFO and SYS.RD take no lock', () => {
    const m = new TdxModule(baseConfig());
    expectOk(m.call(LEAF.SYS_INIT, 0, {}, 0, 1));
    for (const lp of [0, 1, 2, 3]) expectOk(m.call(LEAF.SYS_LP_INIT, lp, {}, 1, 2));
    expectOk(m.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }, 2, 100));
    expectOk(m.call(LEAF.SYS_RD, 1, { field: 0x9100000100000008n }, 50, 51));
    expectOk(m.call(LEAF.SYS_INFO, 2, {}, 50, 51));
  });

  it('rejects calls out of t0 order and overlapping calls on one LP (caller bugs)', () => {
    const m = new TdxModule(baseConfig());
    expectOk(m.call(LEAF.SYS_INIT, 0, {}, 10, 20));
    expect(() => m.call(LEAF.SYS_LP_INIT, 1, {}, 5, 6)).toThrow(/nondecreasing/);
    expect(() => m.call(LEAF.SYS_LP_INIT, 0, {}, 15, 16)).toThrow(/LP 0/);
    expect(() => m.call(LEAF.SYS_LP_INIT, 9, {}, 30, 31)).toThrow(/MCHECK/);
    expect(() => m.call(LEAF.SYS_LP_INIT, 1, {}, 30, 29)).toThrow(/reversed/);
  });

  it('a zero-length call holds nothing', () => {
    const { m, c } = readyModule(baseConfig(), [tdmr(0n, 2n * GiB, 2n * GiB - 16n * MiB, [{ offset: 2n * GiB - 16n * MiB, size: 16n * MiB }])]);
    const t = c.t;
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 0n }, t, t));
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 1, { rcx: 0n }, t, t + 1));
  });
});
