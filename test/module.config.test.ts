// TDH.SYS.CONFIG, every check of config-checks.md in order, with the exact status and index
// bytes. TDMRs are built so that exactly one check fails, usually on TDMR 1 or 2 so the index
// bytes are visible.

import { describe, expect, it } from 'vitest';
import {
  LEAF,
  STATUS,
  TdxModule,
  configChecks,
  hexStatus,
  type ModuleConfig,
  type SeamcallArgs,
  type TdmrInfo,
} from '../src/model/module/index.js';
import { Clock, GiB, MiB, baseConfig, configPendingModule, expectOk, tdmr, validTdmrs } from './module.fixture.js';

const CMRS3 = [
  { start: 0n, end: 2n * GiB },
  { start: 4n * GiB, end: 12n * GiB },
  { start: 16n * GiB, end: 20n * GiB },
];

/** Three valid TDMRs over CMRS3, each PAMT in a reserved area at its TDMR's end. */
function three(): TdmrInfo[] {
  const [t0, t1] = validTdmrs();
  const p2 = 20n * GiB - 32n * MiB;
  return [t0!, t1!, tdmr(16n * GiB, 4n * GiB, p2, [{ offset: 4n * GiB - 32n * MiB, size: 32n * MiB }])];
}

function cfg3(over: Partial<ModuleConfig> = {}): ModuleConfig {
  return baseConfig({ cmrs: CMRS3, ...over });
}

/** CONFIG on a module with every LP initialized; returns the status as hex. */
function config(args: SeamcallArgs, cfg = cfg3()): { hex: string; m: TdxModule; c: Clock } {
  const { m, c } = configPendingModule(cfg);
  const r = c.call(LEAF.SYS_CONFIG, 0, args);
  return { hex: hexStatus(r.status), m, c };
}

function hexOf(tdmrs: TdmrInfo[], cfg = cfg3(), extra: Omit<SeamcallArgs, 'tdmrs'> = {}): string {
  return config({ tdmrs, ...extra }, cfg).hex;
}

const with1 = (f: (t: TdmrInfo) => TdmrInfo): TdmrInfo[] => {
  const ts = three();
  ts[1] = f(ts[1]!);
  return ts;
};

describe('TDH.SYS.CONFIG — A. before any TDMR', () => {
  it('the fixtures are valid', () => {
    expect(hexOf(three())).toBe('0x0000000000000000');
    expect(hexOf(validTdmrs(), baseConfig())).toBe('0x0000000000000000');
  });

  it('A1: the global lock is exclusive → TDX_SYS_BUSY', () => {
    const { m } = configPendingModule(cfg3());
    // KEY.CONFIG takes the lock before it finds the state wrong, and holds it for its interval.
    expect(m.call(LEAF.SYS_KEY_CONFIG, 1, {}, 100, 110).status).toBe(STATUS.TDX_SYS_KEY_CONFIG_NOT_PENDING);
    expect(hexStatus(m.call(LEAF.SYS_CONFIG, 0, { tdmrs: three() }, 105, 120).status)).toBe('0x8000020200000000');
    expect(m.reservedKeyIds).toEqual([]);
  });

  it('A2: state must be SYSINIT_DONE → TDX_SYS_CONFIG_NOT_PENDING', () => {
    const m = new TdxModule(cfg3());
    const c = new Clock(m);
    expect(hexStatus(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: three() }).status)).toBe('0xc000050c00000000');
    const ok = config({ tdmrs: three() });
    expect(ok.hex).toBe('0x0000000000000000');
    expect(hexStatus(ok.c.call(LEAF.SYS_CONFIG, 0, { tdmrs: three() }).status)).toBe('0xc000050c00000000');
  });

  it('A3: initLps < totalLps → TDX_SYS_CONFIG_NOT_PENDING, and nothing is reserved', () => {
    const m = new TdxModule(cfg3());
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    for (const lp of [0, 1, 2]) expectOk(c.call(LEAF.SYS_LP_INIT, lp));
    expect(hexStatus(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: three() }).status)).toBe('0xc000050c00000000');
    expect(m.reservedKeyIds).toEqual([]);
    expect(m.state).toBe('SYSINIT_DONE');
  });

  it('A4: the address array must be 512-aligned, below 2^52, with a shared KeyID → +RCX', () => {
    expect(hexOf(three(), cfg3(), { rcx: 0x1_0000_0100n })).toBe('0xc000010000000001');
    expect(hexOf(three(), cfg3(), { rcx: 1n << 52n })).toBe('0xc000010000000001');
    // KeyID bits are 51:46 here; KeyID 32 is a TDX private one, KeyID 5 an MKTME (shared) one.
    expect(hexOf(three(), cfg3(), { rcx: (32n << 46n) | 0x1000n })).toBe('0xc000010000000001');
    expect(hexOf(three(), cfg3(), { rcx: (5n << 46n) | 0x1000n })).toBe('0x0000000000000000');
  });

  it('A5: 1 <= RDX <= maxTdmrs → +RDX', () => {
    expect(hexOf(three(), cfg3(), { rdx: 0n })).toBe('0xc000010000000002');
    expect(hexOf(three(), cfg3(), { rdx: 65n })).toBe('0xc000010000000002');
    expect(hexOf(three(), cfg3({ maxTdmrs: 2 }))).toBe('0xc000010000000002');
    // Fewer than given: the module reads only RDX entries.
    expect(hexOf(three(), cfg3(), { rdx: 1n })).toBe('0x0000000000000000');
  });

  it('A6: global KeyID in the private range and R8[63:16] clear → +R8; nothing reserved', () => {
    for (const r8 of [31n, 64n, 0n, 32n | (1n << 20n), 32n | (1n << 16n)]) {
      const { hex, m } = config({ tdmrs: three(), r8 });
      expect(hex, `r8=${r8.toString(16)}`).toBe('0xc000010000000008');
      expect(m.reservedKeyIds).toEqual([]);
    }
    expect(hexOf(three(), cfg3(), { r8: 63n })).toBe('0x0000000000000000');
  });

  it('A6: with Dynamic PAMT support, R8 bit 16 is an option, not reserved', () => {
    const cfg = cfg3({ features0: (1n << 18n) | (1n << 36n) });
    const { hex, m } = config({ tdmrs: three(), r8: 32n | (1n << 16n) }, cfg);
    expect(hex).toBe('0x0000000000000000');
    expect(m.dynamicPamt).toBe(true);
    expect(m.chunkBytes()).toBe(16n * MiB);
    expect(hexOf(three(), cfg, { r8: 32n | (1n << 17n) })).toBe('0xc000010000000008');
  });

  it('A7: the global KeyID is marked reserved before the TDMRs are checked, and stays so', () => {
    const bad = with1((t) => ({ ...t, base: t.base + 4096n }));
    const { hex, m, c } = config({ tdmrs: bad, r8: 40n });
    expect(hex).toBe('0xc0000a0000000001');
    expect(m.reservedKeyIds).toEqual([40]);
    expect(m.globalKeyId).toBe(40);
    expect(m.state).toBe('SYSINIT_DONE');
    // Failure leaves SYSINIT_DONE: a retry is accepted (Linux never retries).
    expectOk(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: three(), r8: 32n }));
    expect(m.reservedKeyIds).toEqual([32, 40]);
    expect(m.state).toBe('SYSCONFIG_DONE');
  });

  it('A7: Dynamic PAMT needs the KeyID bits to start at or below bit 48 (+R8, KeyID still reserved)', () => {
    // 7 KeyIDs → 3 KeyID bits → they start at bit 49.
    const cfg = cfg3({ features0: 1n << 36n, keyids: { mktme: 3, tdx: 4 } });
    const { hex, m } = config({ tdmrs: three(), r8: 4n | (1n << 16n) }, cfg);
    expect(hex).toBe('0xc000010000000008');
    expect(m.reservedKeyIds).toEqual([4]);
    expect(hexOf(three(), cfg, { r8: 4n })).toBe('0x0000000000000000');
  });
});

describe('TDH.SYS.CONFIG — B. each TDMR in array order', () => {
  it('B8: each TDMR_INFO address passes the same check as RCX → +RCX', () => {
    const pas = [0x2000_0000n, 0x2000_0100n, 0x2000_0400n];
    expect(hexOf(three(), cfg3(), { tdmrPas: pas })).toBe('0xc000010000000001');
    expect(hexOf(three(), cfg3(), { tdmrPas: [0x2000_0000n, 0x2000_0200n, 0x2000_0400n] })).toBe('0x0000000000000000');
  });

  it('B9: base + size must not overflow → TDX_INVALID_TDMR(i)', () => {
    expect(hexOf(with1((t) => ({ ...t, base: (1n << 64n) - GiB, size: 2n * GiB })))).toBe('0xc0000a0000000001');
  });

  it('B10: bases ascending → TDX_NON_ORDERED_TDMR(i)', () => {
    const ts = three();
    expect(hexOf([ts[0]!, ts[2]!, ts[1]!])).toBe('0xc0000a0100000002');
  });

  it('B11: no overlap with the previous TDMR (touching allowed) → TDX_NON_ORDERED_TDMR(i)', () => {
    expect(hexOf(with1((t) => ({ ...t, base: GiB, size: 11n * GiB })))).toBe('0xc0000a0100000001');
    // Touching: TDMR 1 = [2G, 4G), entirely reserved (a legal, if useless, TDMR) with its PAMT
    // next to TDMR 0's in TDMR 0's (grown) reserved area.
    const ts = three();
    const r0 = { offset: 2n * GiB - 32n * MiB, size: 32n * MiB };
    const first = tdmr(0n, 2n * GiB, 2n * GiB - 32n * MiB, [r0]);
    const mid = tdmr(2n * GiB, 2n * GiB, 2n * GiB - 16n * MiB, [{ offset: 0n, size: 2n * GiB }]);
    expect(pamtEnd(first)).toBeLessThanOrEqual(mid.pamt4kBase);
    expect(hexOf([first, mid, ts[1]!, ts[2]!])).toBe('0x0000000000000000');
  });

  it('B12: base 1 GiB aligned, size a non-zero multiple of 1 GiB → TDX_INVALID_TDMR(i)', () => {
    expect(hexOf(with1((t) => ({ ...t, base: t.base + 2n * MiB })))).toBe('0xc0000a0000000001');
    expect(hexOf(with1((t) => ({ ...t, size: t.size - 2n * MiB })))).toBe('0xc0000a0000000001');
    expect(hexOf(with1((t) => ({ ...t, size: 0n })))).toBe('0xc0000a0000000001');
  });

  it('B13: base and last byte below 2^52 without KeyID bits → TDX_INVALID_TDMR(i)', () => {
    const ts = three();
    const far = (base: bigint) => [...ts, { ...ts[2]!, base, reserved: [] }];
    expect(hexOf(far(1n << 52n))).toBe('0xc0000a0000000003');
    expect(hexOf(far(1n << 46n))).toBe('0xc0000a0000000003'); // KeyID 1 in bits 51:46
    expect(hexOf([...ts, { ...ts[2]!, base: (1n << 46n) - GiB, size: 2n * GiB, reserved: [] }])).toBe('0xc0000a0000000003');
  });

  describe('B14: reserved areas', () => {
    const area = (offset: bigint, size: bigint) => ({ offset, size });
    const pamtArea = area(8n * GiB - 64n * MiB, 64n * MiB);
    const rsv = (...rs: { offset: bigint; size: bigint }[]) => hexOf(with1((t) => ({ ...t, reserved: rs })));

    it('empty slots form a tail → TDX_NON_ORDERED_RESERVED_IN_TDMR(i, j of the empty slot before a used one)', () => {
      expect(rsv(area(0n, 4096n), area(0n, 0n), pamtArea)).toBe('0xc0000a2100000101');
      // config-checks.md would blame the first empty slot (j = 1); the module checks only the
      // next slot, so the one reported is the last empty slot before the used one (j = 2).
      expect(rsv(area(0n, 4096n), area(0n, 0n), area(0n, 0n), pamtArea)).toBe('0xc0000a2100000201');
    });
    it('sorted → TDX_NON_ORDERED_RESERVED_IN_TDMR(i, j)', () => {
      expect(rsv(pamtArea, area(0n, 4096n))).toBe('0xc0000a2100000101');
    });
    it('non-overlapping (touching allowed) → TDX_NON_ORDERED_RESERVED_IN_TDMR(i, j)', () => {
      expect(rsv(area(0n, 8192n), area(4096n, 4096n), pamtArea)).toBe('0xc0000a2100000101');
      expect(rsv(area(0n, 4096n), area(4096n, 4096n), pamtArea)).toBe('0x0000000000000000');
    });
    it('no overflow, 4 KiB aligned, inside the TDMR → TDX_INVALID_RESERVED_IN_TDMR(i, j)', () => {
      expect(rsv(area(0n, 4096n), area((1n << 64n) - 4096n, 8192n))).toBe('0xc0000a2000000101');
      expect(rsv(area(0x800n, 4096n), pamtArea)).toBe('0xc0000a2000000001');
      expect(rsv(area(0n, 4096n), area(8192n, 0x1800n), pamtArea)).toBe('0xc0000a2000000101');
      expect(rsv(area(0n, 4096n), area(8n * GiB - 4096n, 8192n))).toBe('0xc0000a2000000101');
    });
    it('the last slot may be used', () => {
      const many = Array.from({ length: 15 }, (_, j) => area(BigInt(j) * 8192n, 4096n));
      expect(rsv(...many, pamtArea)).toBe('0x0000000000000000');
    });
    it('a fully reserved TDMR is legal', () => {
      expect(hexOf(with1((t) => ({ ...t, reserved: [area(0n, t.size)] })))).toBe('0x0000000000000000');
    });
  });

  it('B15: PAMTs in the order 1G, 2M, 4K → TDX_INVALID_PAMT(i, ps)', () => {
    expect(hexOf(with1((t) => ({ ...t, pamt1gSize: 0n, pamt4kSize: 4096n })))).toBe('0xc0000a1000000201');
    expect(hexOf(with1((t) => ({ ...t, pamt2mBase: t.pamt2mBase + 64n })))).toBe('0xc0000a1000000101');
    expect(hexOf(with1((t) => ({ ...t, pamt4kSize: t.pamt4kSize - 4096n })))).toBe('0xc0000a1000000001');
    expect(hexOf(with1((t) => ({ ...t, pamt2mSize: t.pamt2mSize + 16n })))).toBe('0xc0000a1000000101');
    expect(hexOf(with1((t) => ({ ...t, pamt1gBase: t.pamt1gBase | (1n << 47n) })))).toBe('0xc0000a1000000201');
    expect(hexOf(with1((t) => ({ ...t, pamt4kBase: (1n << 52n) - 4096n })))).toBe('0xc0000a1000000001');
    expect(hexOf(with1((t) => ({ ...t, pamt1gBase: (1n << 64n) - 4096n, pamt1gSize: 8192n })))).toBe('0xc0000a1000000201');
  });

  it('B15: with Dynamic PAMT the 4K level needs only a bitmap (TDMR size / 4 KiB / 8)', () => {
    const cfg = cfg3({ features0: 1n << 36n });
    const dp = 32n | (1n << 16n);
    const small = with1((t) => ({ ...t, pamt4kSize: t.size / 4096n / 8n }));
    expect(hexOf(small, cfg, { r8: dp })).toBe('0x0000000000000000');
    expect(hexOf(small, cfg, { r8: 32n })).toBe('0xc0000a1000000001');
    const tooSmall = with1((t) => ({ ...t, pamt4kSize: t.size / 4096n / 8n - 4096n }));
    expect(hexOf(tooSmall, cfg, { r8: dp })).toBe('0xc0000a1000000001');
  });

  it('B16: PAMT overlap with an earlier TDMR’s PAMTs → TDX_PAMT_OVERLAP(i, ps, j), lowest j first', () => {
    const ts = three();
    // TDMR 2's 2M PAMT on top of TDMR 0's PAMT.
    ts[2] = { ...ts[2]!, pamt2mBase: ts[0]!.pamt4kBase };
    expect(hexOf(ts)).toBe('0xc0000a1200000102');
    // 4K and 2M hit TDMR 1, 1G hits TDMR 0: TDMR 0 is tested first, so (2, 1G, 0).
    const us = three();
    us[2] = { ...us[2]!, pamt4kBase: us[1]!.pamt4kBase, pamt2mBase: us[1]!.pamt2mBase, pamt1gBase: us[0]!.pamt1gBase };
    expect(hexOf(us)).toBe('0xc0000a1200000202');
  });

  it('B16: then a TDMR’s own three PAMTs (4K/2M, 4K/1G, 2M/1G) → TDX_PAMT_OVERLAP(i, ps, i)', () => {
    expect(hexOf(with1((t) => ({ ...t, pamt2mBase: t.pamt4kBase })))).toBe('0xc0000a1200010001');
    expect(hexOf(with1((t) => ({ ...t, pamt1gBase: t.pamt4kBase })))).toBe('0xc0000a1200010001');
    expect(hexOf(with1((t) => ({ ...t, pamt1gBase: t.pamt2mBase })))).toBe('0xc0000a1200010101');
  });

  it('B17: no PAMT in usable TDMR memory (its own, earlier or later TDMRs) → TDX_PAMT_OVERLAP', () => {
    // TDMR 1's PAMT in TDMR 0's usable memory: (1, 4K, 0).
    expect(hexOf(with1((t) => movePamt(t, GiB)))).toBe('0xc0000a1200000001');
    // TDMR 1's PAMT in its own usable memory: (1, 4K, 1).
    expect(hexOf(with1((t) => movePamt(t, 5n * GiB)))).toBe('0xc0000a1200010001');
    // Only TDMR 1's 1G PAMT in its own usable memory: (1, 1G, 1).
    expect(hexOf(with1((t) => ({ ...t, pamt1gBase: 5n * GiB })))).toBe('0xc0000a1200010201');
    // TDMR 0's PAMT (placed where TDMR 1 will be) in TDMR 1's usable memory: (0, 4K, 1).
    const ts = three();
    ts[0] = { ...movePamt(ts[0]!, 5n * GiB), reserved: [] };
    expect(hexOf(ts)).toBe('0xc0000a1200010000');
  });

  it('B17: for the same j, (i, ps, j) is tested before (j, ps, i)', () => {
    // TDMR 0's PAMT in TDMR 1's usable memory AND TDMR 1's 2M PAMT in TDMR 0's usable memory.
    const ts = three();
    ts[0] = { ...movePamt(ts[0]!, 5n * GiB), reserved: [] };
    ts[1] = { ...ts[1]!, pamt2mBase: GiB };
    expect(hexOf(ts)).toBe('0xc0000a1200000101');
  });

  it('B17: a PAMT may sit outside every TDMR, or in any TDMR’s reserved area', () => {
    // TDMR 1's PAMT in a reserved area of TDMR 0 (grown to 64 MiB below TDMR 0's own PAMT).
    const ts = three();
    ts[0] = { ...ts[0]!, reserved: [{ offset: 2n * GiB - 128n * MiB, size: 128n * MiB }] };
    ts[1] = { ...movePamt(ts[1]!, 2n * GiB - 128n * MiB), reserved: [] };
    expect(hexOf(ts)).toBe('0x0000000000000000');
    // TDMR 2's PAMT outside all TDMRs but in a CMR.
    const cmrs = [...CMRS3, { start: 24n * GiB, end: 25n * GiB }];
    const us = three();
    us[2] = { ...movePamt(us[2]!, 24n * GiB), reserved: [] };
    expect(hexOf(us, cfg3({ cmrs }))).toBe('0x0000000000000000');
  });

  it('B18: each PAMT inside one CMR or a run of touching CMRs, order 1G, 2M, 4K → TDX_PAMT_OUTSIDE_CMRS(i, ps)', () => {
    const us = three();
    us[2] = { ...movePamt(us[2]!, 24n * GiB), reserved: [] };
    expect(hexOf(us)).toBe('0xc0000a1100000202');
    // Only the 4K PAMT outside.
    const vs = three();
    vs[2] = { ...vs[2]!, pamt4kBase: 24n * GiB };
    expect(hexOf(vs)).toBe('0xc0000a1100000002');
    // Straddling two touching CMRs is fine; straddling a gap is not.
    // TDMR 2's 4K PAMT is [20G − 32M, 20G − 16M).
    expect(three()[2]!.pamt4kBase).toBe(20n * GiB - 32n * MiB);
    const split = [CMRS3[0]!, CMRS3[1]!, { start: 16n * GiB, end: 20n * GiB - 24n * MiB }, { start: 20n * GiB - 24n * MiB, end: 20n * GiB }];
    expect(hexOf(three(), cfg3({ cmrs: split }))).toBe('0x0000000000000000');
    const gap = [CMRS3[0]!, CMRS3[1]!, { start: 16n * GiB, end: 20n * GiB - 24n * MiB }, { start: 20n * GiB - 20n * MiB, end: 20n * GiB }];
    expect(hexOf(three(), cfg3({ cmrs: gap }))).toBe('0xc0000a1100000002');
  });

  it('B19: usable TDMR memory inside one CMR or a merged run → TDX_TDMR_OUTSIDE_CMRS(i)', () => {
    // TDMR 1 grown to [4G, 16G): [12G, 16G) is not convertible and not reserved.
    const pamtArea = { offset: 8n * GiB - 64n * MiB, size: 64n * MiB };
    const grown = with1(() => tdmr(4n * GiB, 12n * GiB, 12n * GiB - 64n * MiB, [pamtArea]));
    expect(hexOf(grown)).toBe('0xc0000a0200000001');
    // Reserving the gap makes it legal: reserved areas may cover non-convertible memory.
    const covered = with1(() => tdmr(4n * GiB, 12n * GiB, 12n * GiB - 64n * MiB, [pamtArea, { offset: 8n * GiB, size: 4n * GiB }]));
    expect(hexOf(covered)).toBe('0x0000000000000000');
    // Touching CMRs are merged.
    const split = [CMRS3[0]!, { start: 4n * GiB, end: 7n * GiB }, { start: 7n * GiB, end: 12n * GiB }, CMRS3[2]!];
    expect(hexOf(three(), cfg3({ cmrs: split }))).toBe('0x0000000000000000');
    // An empty CMR slot between them does not break the run.
    const withEmpty = [CMRS3[0]!, { start: 4n * GiB, end: 7n * GiB }, { start: 0n, end: 0n }, { start: 7n * GiB, end: 12n * GiB }, CMRS3[2]!];
    expect(hexOf(three(), cfg3({ cmrs: withEmpty }))).toBe('0x0000000000000000');
  });

  it('each TDMR is fully checked before the next: an early TDMR’s late check beats a later TDMR’s early one', () => {
    const ts = three();
    // TDMR 0 grown to [0, 3G) fails B19: [2G, 3G) is not convertible.
    ts[0] = tdmr(0n, 3n * GiB, 2n * GiB - 16n * MiB, [{ offset: 2n * GiB - 16n * MiB, size: 16n * MiB }]);
    ts[1] = { ...ts[1]!, base: ts[1]!.base + 4096n }; // and TDMR 1 would fail B12
    expect(hexOf(ts)).toBe('0xc0000a0200000000');
  });
});

describe('TDH.SYS.CONFIG — B20, C21 and the pure check', () => {
  it('records each TDMR with progress = base and moves to SYSCONFIG_DONE', () => {
    const { hex, m } = config({ tdmrs: three() });
    expect(hex).toBe('0x0000000000000000');
    expect(m.state).toBe('SYSCONFIG_DONE');
    expect(m.tdmrProgress()).toEqual([
      { base: 0n, size: 2n * GiB, initialized: 0n, ready: 0n },
      { base: 4n * GiB, size: 8n * GiB, initialized: 0n, ready: 0n },
      { base: 16n * GiB, size: 4n * GiB, initialized: 0n, ready: 0n },
    ]);
    expect(m.configuredPkgs).toEqual([]);
  });

  it('configChecks gives the same answer as the module, lock and state aside', () => {
    const cases: TdmrInfo[][] = [three(), with1((t) => ({ ...t, pamt1gBase: t.pamt2mBase })), with1((t) => movePamt(t, GiB))];
    for (const ts of cases) expect(hexStatus(configChecks({ tdmrs: ts }, cfg3()))).toBe(hexOf(ts));
  });

  it('refuses inputs the real structures cannot hold', () => {
    const ts = three();
    ts[1] = { ...ts[1]!, reserved: Array.from({ length: 17 }, (_, j) => ({ offset: BigInt(j) * 8192n, size: 4096n })) };
    expect(() => configChecks({ tdmrs: ts }, cfg3())).toThrow(/reserved areas/);
    expect(() => configChecks({ tdmrs: three(), rdx: 4n }, cfg3())).toThrow(/RDX/);
    expect(() => configChecks({ tdmrs: [{ ...three()[0]!, base: -1n }] }, cfg3())).toThrow(/u64/);
  });
});

function movePamt(t: TdmrInfo, to: bigint): TdmrInfo {
  const d = to - t.pamt4kBase;
  return { ...t, pamt4kBase: t.pamt4kBase + d, pamt2mBase: t.pamt2mBase + d, pamt1gBase: t.pamt1gBase + d };
}

function pamtEnd(t: TdmrInfo): bigint {
  return t.pamt1gBase + t.pamt1gSize;
}
