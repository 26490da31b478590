// Shared fixtures for the module-model tests: a small two-package platform, TDMR builders and a
// clock that issues SEAMCALLs back to back.

import {
  LEAF,
  STATUS,
  SZ_1G,
  SZ_4K,
  TdxModule,
  type ModuleConfig,
  type SeamcallArgs,
  type SeamcallResult,
  type TdmrInfo,
} from '../src/model/module/index.js';

export const GiB = SZ_1G;
export const MiB = 1n << 20n;

/** 2 packages × 2 LPs; CMRs [0, 2G) and [4G, 12G); KeyIDs: 31 MKTME, 32 TDX → private [32, 64). */
export function baseConfig(over: Partial<ModuleConfig> = {}): ModuleConfig {
  return {
    loaded: true,
    version: '1.5.06.00',
    maxTdmrs: 64,
    maxReservedPerTdmr: 16,
    pamtEntrySize: [16, 16, 16],
    features0: 1n << 18n,
    lps: [
      { id: 0, package: 0 },
      { id: 1, package: 0 },
      { id: 2, package: 1 },
      { id: 3, package: 1 },
    ],
    cmrs: [
      { start: 0n, end: 2n * GiB },
      { start: 4n * GiB, end: 12n * GiB },
    ],
    keyids: { mktme: 31, tdx: 32 },
    ...over,
  };
}

function up4k(x: bigint): bigint {
  return (x + SZ_4K - 1n) & ~(SZ_4K - 1n);
}

/** PAMT sizes as Linux computes them: entries × 16, rounded up to 4 KiB, per level 4K/2M/1G. */
export function pamtSizes(size: bigint, dynamicPamt = false): [bigint, bigint, bigint] {
  const k4 = dynamicPamt ? up4k(size / SZ_4K / 8n) : up4k((size / SZ_4K) * 16n);
  return [k4, up4k((size / (2n * MiB)) * 16n), up4k((size / GiB) * 16n)];
}

/** A TDMR whose three PAMTs sit back to back (4K, 2M, 1G) at pamtBase. */
export function tdmr(
  base: bigint,
  size: bigint,
  pamtBase: bigint,
  reserved: { offset: bigint; size: bigint }[] = [],
  dynamicPamt = false,
): TdmrInfo {
  const [k4, m2, g1] = pamtSizes(size, dynamicPamt);
  return {
    base,
    size,
    pamt4kBase: pamtBase,
    pamt4kSize: k4,
    pamt2mBase: pamtBase + k4,
    pamt2mSize: m2,
    pamt1gBase: pamtBase + k4 + m2,
    pamt1gSize: g1,
    reserved,
  };
}

export function pamtTotal(t: TdmrInfo): bigint {
  return t.pamt4kSize + t.pamt2mSize + t.pamt1gSize;
}

/**
 * The valid two-TDMR layout for baseConfig: each TDMR's PAMT lives in a reserved area at its
 * own end, and TDMR 0's tail beyond its CMR is not needed because TDMR 0 is exactly the CMR.
 */
export function validTdmrs(dynamicPamt = false): TdmrInfo[] {
  const pamt0 = 2n * GiB - 16n * MiB;
  const pamt1 = 12n * GiB - 64n * MiB;
  return [
    tdmr(0n, 2n * GiB, pamt0, [{ offset: pamt0, size: 16n * MiB }], dynamicPamt),
    tdmr(4n * GiB, 8n * GiB, pamt1, [{ offset: pamt1 - 4n * GiB, size: 64n * MiB }], dynamicPamt),
  ];
}

/** Issues calls back to back on a module, keeping t0 nondecreasing. */
export class Clock {
  t = 0;
  constructor(readonly m: TdxModule) {}

  call(leaf: number, lp: number, args: SeamcallArgs = {}, dur = 1): SeamcallResult {
    const r = this.m.call(leaf, lp, args, this.t, this.t + dur);
    this.t += dur;
    return r;
  }
}

export function lpIds(cfg: ModuleConfig): number[] {
  return cfg.lps.map((l) => l.id);
}

/** SYS.INIT on the first LP, then LP.INIT on every LP. */
export function initAll(c: Clock, cfg: ModuleConfig): void {
  expectOk(c.call(LEAF.SYS_INIT, cfg.lps[0]!.id));
  for (const id of lpIds(cfg)) expectOk(c.call(LEAF.SYS_LP_INIT, id));
}

/** KEY.CONFIG on the first LP of every package. */
export function keyConfigAll(c: Clock, cfg: ModuleConfig): void {
  const seen = new Set<number>();
  for (const lp of cfg.lps) {
    if (seen.has(lp.package)) continue;
    seen.add(lp.package);
    expectOk(c.call(LEAF.SYS_KEY_CONFIG, lp.id));
  }
}

/** A module driven to SYS_READY with the given TDMRs. */
export function readyModule(cfg = baseConfig(), tdmrs = validTdmrs(), r8?: bigint): { m: TdxModule; c: Clock } {
  const m = new TdxModule(cfg);
  const c = new Clock(m);
  initAll(c, cfg);
  expectOk(c.call(LEAF.SYS_CONFIG, 0, { tdmrs, r8 }));
  keyConfigAll(c, cfg);
  if (m.state !== 'SYS_READY') throw new Error(`fixture: module is ${m.state}, not SYS_READY`);
  return { m, c };
}

/** A module in SYSINIT_DONE with every LP initialized. */
export function configPendingModule(cfg = baseConfig()): { m: TdxModule; c: Clock } {
  const m = new TdxModule(cfg);
  const c = new Clock(m);
  initAll(c, cfg);
  return { m, c };
}

export function expectOk(r: SeamcallResult): SeamcallResult {
  if (r.status !== STATUS.TDX_SUCCESS) throw new Error(`fixture: expected TDX_SUCCESS, got ${r.name} 0x${r.status.toString(16)}`);
  return r;
}
