// TDH.SYS.CONFIG's validation of its operands and of the TDMR array (config-checks.md A4–A7,
// B8–B19), as a pure function so that a kernel policy, or an experimental TDMR layout, can be
// validated without driving a module through SYS.INIT and LP.INIT.
//
// The order of checks is the module's (tdh_sys_config.c), because the first failing check
// decides the status and its index bytes. The module's own loops are quadratic in the number of
// TDMRs; here earlier TDMRs and PAMTs are kept sorted (they are disjoint once accepted), so each
// TDMR is checked against only the entries it can touch, and the earliest failing index is then
// picked exactly as the module's loop order would have found it.

import { OPERAND, PS, STATUS, packIndex, withOperand, type PageSizeIndex } from './status.js';
import type { CmrEntry, TdmrInfo } from './types.js';
import { plainTdmrsPass } from './configPlain.js';
import { TdmrTable } from '../../construct/tdmrTable.js';
import { tdmrInfosOf } from './tdmrInfo.js';
import * as C from '../../construct/constants.js';
import { DEFAULT_TDMR_INFO_PA, DEFAULT_TDMR_ARRAY_PA, MAX_PA, TDMR_INFO_ALIGNMENT, type ConfigEnv, type ConfigOperands, type KeyIdLayout } from './configEnv.js';

// The shared shapes and addresses live in configEnv.ts (the plain-number pass reads them too).
export { DEFAULT_TDMR_INFO_PA, DEFAULT_TDMR_ARRAY_PA, MAX_PA, TDMR_INFO_ALIGNMENT, type ConfigEnv, type ConfigOperands, type KeyIdLayout };

// The module's 64-bit forms of the architectural sizes (src/construct/constants.ts).
export const SZ_4K = BigInt(C.SZ_4K);
export const SZ_2M = BigInt(C.SZ_2M);
export const SZ_1G = BigInt(C.SZ_1G);
export const MAX_U64 = (1n << 64n) - 1n;
export const MAX_HKIDS = 2048;
export const MAX_CMRS = 32;
export const MAX_PKGS = 8;
/** With Dynamic PAMT the non-KeyID part of a physical address may be at most 48 bits. */
export const MAX_DYNAMIC_PAMT_HKID_START_BIT = 48;
/** R8 of TDH.SYS.CONFIG: bits 15:0 global KeyID, bit 16 Dynamic PAMT (sys_config_options_t). */
export const CONFIG_R8_DYNAMIC_PAMT = 1n << 16n;
export const FEATURES0_NO_RBP_MOD = 1n << 18n;
export const FEATURES0_DYNAMIC_PAMT = 1n << 36n;


/** Page size in bytes by PS index (0 = 4K, 1 = 2M, 2 = 1G). */
const PAGE_BYTES: readonly bigint[] = [SZ_4K, SZ_2M, SZ_1G];


export function keyIdLayout(keyids: { mktme: number; tdx: number }, maxPaBits = MAX_PA): KeyIdLayout {
  const highest = keyids.mktme + keyids.tdx;
  const bits = highest > 0 ? Math.floor(Math.log2(highest)) + 1 : 0;
  const start = maxPaBits - bits;
  const mask = bits > 0 ? ((1n << BigInt(bits)) - 1n) << BigInt(start) : 0n;
  return { bits, start, mask, privateMin: keyids.mktme + 1, privateMax: highest };
}

export function hkidOf(pa: bigint, k: KeyIdLayout): number {
  return Number((pa & k.mask) >> BigInt(k.start));
}

/** is_pa_smaller_than_max_pa and no KeyID bits: what the module demands of TDMR and PAMT addresses. */
export function isPlainPa(pa: bigint, k: KeyIdLayout): boolean {
  return pa < PA_LIMIT && (pa & k.mask) === 0n;
}

const PA_LIMIT = 1n << BigInt(MAX_PA);

/** shared_hpa_check_with_pwr_2_alignment, less the SEAMRR test (SEAMRR is not modeled). */
export function isSharedPa(pa: bigint, align: bigint, k: KeyIdLayout): boolean {
  return pa % align === 0n && pa < PA_LIMIT && hkidOf(pa, k) < k.privateMin;
}

/** is_valid_integer_range: base + size does not wrap a u64. */
function fits(base: bigint, size: bigint): boolean {
  return base <= MAX_U64 - size;
}

/** The module's is_overlap, zero sizes included. */
function overlapsSized(b1: bigint, s1: bigint, b2: bigint, s2: bigint): boolean {
  return !(b1 >= b2 + s2 || b2 >= b1 + s1);
}

function u64(x: bigint, what: string): bigint {
  if (typeof x !== 'bigint' || x < 0n || x > MAX_U64) throw new RangeError(`${what} is not a u64: ${String(x)}`);
  return x;
}

/**
 * CMR containment as is_area_in_cmr does it: empty slots are skipped, and a CMR that starts
 * exactly where the previous non-empty one ended extends that one's run, so an area may span
 * several touching CMRs but never a gap.
 */
export class CmrRuns {
  private readonly runs: { start: bigint; end: bigint }[] = [];

  constructor(cmrs: readonly CmrEntry[]) {
    let lastStart = 0n;
    let lastEnd = 0n;
    for (const c of cmrs) {
      if (c.end === c.start) continue;
      const start = c.start === lastEnd ? lastStart : c.start;
      this.runs.push({ start, end: c.end });
      lastStart = start;
      lastEnd = c.end;
    }
  }

  contains(start: bigint, end: bigint): boolean {
    for (const r of this.runs) if (start >= r.start && end <= r.end) return true;
    return false;
  }
}

export type ConfigStage = 'operands' | 'tdmr' | 'done';

export interface ConfigVerdict {
  status: bigint;
  /** Where it stopped: the operand checks A4–A6 (and the Dynamic PAMT KeyID check), a TDMR, or all passed. */
  stage: ConfigStage;
  /** Index of the failing TDMR, -1 if none. */
  failedTdmr: number;
  /** A7: the module marked the global KeyID reserved, which a later failure does not undo. */
  keyIdReserved: boolean;
  globalKeyId: number;
  /** R8 requested Dynamic PAMT and the module supports it. */
  dynamicPamt: boolean;
}

const TDMR_FIELDS = ['base', 'size', 'pamt4kBase', 'pamt4kSize', 'pamt2mBase', 'pamt2mSize', 'pamt1gBase', 'pamt1gSize'] as const;

interface Pamt {
  base: bigint;
  size: bigint;
  end: bigint;
  owner: number;
  ps: PageSizeIndex;
}

interface Accepted {
  base: bigint;
  end: bigint;
  /** Maximal non-reserved pieces, ascending. */
  avail: [bigint, bigint][];
}

/** First index in a list sorted by (disjoint, hence also sorted) end whose end is above x. */
function firstEndAbove<T extends { end: bigint }>(list: readonly T[], x: bigint): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.end > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function pamtsOf(t: TdmrInfo, owner: number): [Pamt, Pamt, Pamt] {
  const mk = (base: bigint, size: bigint, ps: PageSizeIndex): Pamt => ({ base, size, end: base + size, owner, ps });
  return [mk(t.pamt4kBase, t.pamt4kSize, PS.K4), mk(t.pamt2mBase, t.pamt2mSize, PS.M2), mk(t.pamt1gBase, t.pamt1gSize, PS.G1)];
}

/** The non-reserved pieces of a TDMR whose reserved areas already passed B14. */
function availableOf(t: TdmrInfo): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  let cur = t.base;
  for (const r of t.reserved) {
    if (r.size === 0n) break;
    const rs = t.base + r.offset;
    if (rs > cur) out.push([cur, rs]);
    cur = rs + r.size;
  }
  const end = t.base + t.size;
  if (cur < end) out.push([cur, end]);
  return out;
}

function hitsAvailable(avail: readonly [bigint, bigint][], base: bigint, size: bigint): boolean {
  for (const [s, e] of avail) if (overlapsSized(base, size, s, e - s)) return true;
  return false;
}

/** B14, reserved areas of TDMR i in slot order. */
const EMPTY_SLOT: Readonly<{ offset: bigint; size: bigint }> = Object.freeze({ offset: 0n, size: 0n });

function checkReserved(t: TdmrInfo, i: number, max: number): bigint {
  const slot = (j: number) => t.reserved[j] ?? EMPTY_SLOT;
  const tdmrEnd = t.base + t.size;
  for (let j = 0; j < max; j++) {
    const { offset, size } = slot(j);
    if (size === 0n) {
      // The module looks only at the next slot, so the index reported is the last empty
      // slot before a used one, not the first empty slot.
      if (j < max - 1 && slot(j + 1).size !== 0n) return packIndex(STATUS.TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j);
      continue;
    }
    if (!fits(offset, size)) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
    if (j > 0) {
      const prev = slot(j - 1);
      if (offset < prev.offset || offset < prev.offset + prev.size) {
        return packIndex(STATUS.TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j);
      }
    }
    if (offset % SZ_4K !== 0n || size % SZ_4K !== 0n) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
    if (!fits(t.base, offset) || !fits(t.base + offset, size)) {
      return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
    }
    const rs = t.base + offset;
    if (rs < t.base || rs + size > tdmrEnd) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
  }
  return STATUS.TDX_SUCCESS;
}

/** B15 for one PAMT level. */
function pamtValid(p: Pamt, tdmrSize: bigint, entrySize: bigint, dynamicPamt: boolean, k: KeyIdLayout): boolean {
  if (!fits(p.base, p.size)) return false;
  if (p.base % SZ_4K !== 0n || p.size % SZ_4K !== 0n) return false;
  if (!isPlainPa(p.base, k)) return false;
  // For an empty PAMT the module's "last byte" wraps below the base; reproduce that.
  if (!isPlainPa(BigInt.asUintN(64, p.base + p.size - 1n), k)) return false;
  const required =
    dynamicPamt && p.ps === PS.K4 ? tdmrSize / SZ_4K / 8n : (tdmrSize / PAGE_BYTES[p.ps]!) * entrySize;
  return p.size >= required;
}

/**
 * Run every check of TDH.SYS.CONFIG that does not depend on the module's lock, state or LP
 * count (A4–A7, B8–B19). The module applies A1–A3 before this and C21 after it.
 */
export function checkConfig(ops: ConfigOperands, env: ConfigEnv): ConfigVerdict {
  return configVerdict(ops, env, true, keyIdLayout(env.keyids, env.maxPaBits ?? MAX_PA));
}

/** checkConfig on BigInt registers throughout, without the all-pass shortcut (tests hold the two equal). */
export function checkConfigExact(ops: ConfigOperands, env: ConfigEnv): ConfigVerdict {
  return configVerdict(ops, env, false, keyIdLayout(env.keyids, env.maxPaBits ?? MAX_PA));
}

/** `k` must be keyIdLayout(env.keyids, env.maxPaBits) (a module passes the one its tables hold). */
function configVerdict(ops: ConfigOperands, env: ConfigEnv, shortcut: boolean, k: KeyIdLayout): ConfigVerdict {
  const rcx = u64(ops.rcx ?? DEFAULT_TDMR_ARRAY_PA, 'RCX');
  const given = ops.tdmrs instanceof TdmrTable ? ops.tdmrs.count : ops.tdmrs.length;
  const rdx = u64(ops.rdx ?? BigInt(given), 'RDX');
  const r8 = u64(ops.r8 ?? BigInt(k.privateMin), 'R8');
  const globalKeyId = Number(r8 & 0xffffn);
  const verdict = (status: bigint, stage: ConfigStage, failedTdmr = -1, reserved = false, dpamt = false): ConfigVerdict => ({
    status,
    stage,
    failedTdmr,
    keyIdReserved: reserved,
    globalKeyId,
    dynamicPamt: dpamt,
  });

  // A4–A6.
  if (!isSharedPa(rcx, TDMR_INFO_ALIGNMENT, k)) return verdict(withOperand(STATUS.TDX_OPERAND_INVALID, OPERAND.RCX), 'operands');
  if (rdx > BigInt(env.maxTdmrs) || rdx < 1n) return verdict(withOperand(STATUS.TDX_OPERAND_INVALID, OPERAND.RDX), 'operands');
  const dpamtSupported = (env.features0 & FEATURES0_DYNAMIC_PAMT) !== 0n;
  // A module without Dynamic PAMT knows no option bits: all of 63:16 is reserved.
  const reservedBits = dpamtSupported ? r8 >> 17n : r8 >> 16n;
  if (reservedBits !== 0n || globalKeyId < k.privateMin || globalKeyId > k.privateMax) {
    return verdict(withOperand(STATUS.TDX_OPERAND_INVALID, OPERAND.R8), 'operands');
  }
  // A7: from here on the KeyID stays reserved whatever happens.
  const dynamicPamt = dpamtSupported && (r8 & CONFIG_R8_DYNAMIC_PAMT) !== 0n;
  if (dynamicPamt && k.start > MAX_DYNAMIC_PAMT_HKID_START_BIT) {
    return verdict(withOperand(STATUS.TDX_OPERAND_INVALID, OPERAND.R8), 'operands', -1, true, dynamicPamt);
  }

  const n = Number(rdx);
  if (n > given) {
    throw new RangeError(`RDX says ${n} TDMRs but only ${given} TDMR_INFO entries were given`);
  }
  // Most arrays pass: decided on plain numbers when it can be (configPlain.ts).
  if (shortcut && plainTdmrsPass(ops, n, env, k, dynamicPamt)) return verdict(STATUS.TDX_SUCCESS, 'done', -1, true, dynamicPamt);
  const max = env.maxReservedPerTdmr;
  const infos = ops.tdmrs instanceof TdmrTable ? tdmrInfosOf(ops.tdmrs, max) : ops.tdmrs;
  const entry = env.pamtEntrySize.map((e) => BigInt(e));
  const cmr = new CmrRuns(env.cmrs);
  const accepted: Accepted[] = [];
  const pamtIndex: Pamt[] = []; // every accepted PAMT, sorted by base; pairwise disjoint
  const fail = (status: bigint, i: number) => verdict(status, 'tdmr', i, true, dynamicPamt);

  for (let i = 0; i < n; i++) {
    // B8.
    const pa = u64(ops.tdmrPas?.[i] ?? DEFAULT_TDMR_INFO_PA + TDMR_INFO_ALIGNMENT * BigInt(i), `TDMR_INFO[${i}] address`);
    if (!isSharedPa(pa, TDMR_INFO_ALIGNMENT, k)) return fail(withOperand(STATUS.TDX_OPERAND_INVALID, OPERAND.RCX), i);

    const t = infos[i]!;
    if (t.reserved.length > max) {
      throw new RangeError(`TDMR ${i} has ${t.reserved.length} reserved areas; TDMR_INFO holds ${max}`);
    }
    for (const name of TDMR_FIELDS) u64(t[name], `TDMR ${i} ${name}`);
    t.reserved.forEach((r, j) => (u64(r.offset, `TDMR ${i} reserved[${j}].offset`), u64(r.size, `TDMR ${i} reserved[${j}].size`)));

    // B9–B13.
    if (!fits(t.base, t.size)) return fail(packIndex(STATUS.TDX_INVALID_TDMR, i), i);
    if (i > 0) {
      const prev = infos[i - 1]!;
      if (t.base < prev.base || t.base < prev.base + prev.size) return fail(packIndex(STATUS.TDX_NON_ORDERED_TDMR, i), i);
    }
    if (t.base % SZ_1G !== 0n || t.size % SZ_1G !== 0n || t.size === 0n) return fail(packIndex(STATUS.TDX_INVALID_TDMR, i), i);
    if (!isPlainPa(t.base, k) || !isPlainPa(t.base + t.size - 1n, k)) return fail(packIndex(STATUS.TDX_INVALID_TDMR, i), i);

    // B14.
    const rsv = checkReserved(t, i, max);
    if (rsv !== STATUS.TDX_SUCCESS) return fail(rsv, i);

    // B15, in the module's order 1G, 2M, 4K.
    const mine = pamtsOf(t, i);
    for (const ps of [PS.G1, PS.M2, PS.K4] as const) {
      if (!pamtValid(mine[ps], t.size, entry[ps]!, dynamicPamt, k)) return fail(packIndex(STATUS.TDX_INVALID_PAMT, i, ps), i);
    }

    // B16: against earlier TDMRs' PAMTs, the lowest j first, and within j the order 4K, 2M, 1G.
    let bestJ = Infinity;
    let bestPs = 0;
    for (const p of mine) {
      for (let x = firstEndAbove(pamtIndex, p.base); x < pamtIndex.length && pamtIndex[x]!.base < p.end; x++) {
        const q = pamtIndex[x]!;
        if (q.owner < bestJ) {
          bestJ = q.owner;
          bestPs = p.ps;
        }
      }
    }
    if (bestJ !== Infinity) return fail(packIndex(STATUS.TDX_PAMT_OVERLAP, i, bestPs, bestJ), i);
    const [p4k, p2m, p1g] = mine;
    if (overlapsSized(p4k.base, p4k.size, p2m.base, p2m.size)) return fail(packIndex(STATUS.TDX_PAMT_OVERLAP, i, PS.K4, i), i);
    if (overlapsSized(p4k.base, p4k.size, p1g.base, p1g.size)) return fail(packIndex(STATUS.TDX_PAMT_OVERLAP, i, PS.K4, i), i);
    if (overlapsSized(p2m.base, p2m.size, p1g.base, p1g.size)) return fail(packIndex(STATUS.TDX_PAMT_OVERLAP, i, PS.M2, i), i);

    // B17. The module walks j = 0..i and, for each j, first tests TDMR i's PAMTs against TDMR j's
    // usable memory (status (i, ps, j)), then TDMR j's PAMTs against TDMR i's (status (j, ps, i)).
    // Collect every hit among the TDMRs and PAMTs that can intersect, then take the earliest in
    // that order: key = j, then the (i, ps, j) kind before the (j, ps, i) kind, then ps.
    const self: Accepted = { base: t.base, end: t.base + t.size, avail: availableOf(t) };
    const best: { key: number; status: bigint } = { key: Infinity, status: STATUS.TDX_SUCCESS };
    const consider = (j: number, second: boolean, ps: PageSizeIndex) => {
      const key = j * 8 + (second ? 4 : 0) + ps;
      if (key >= best.key) return;
      best.key = key;
      best.status = second ? packIndex(STATUS.TDX_PAMT_OVERLAP, j, ps, i) : packIndex(STATUS.TDX_PAMT_OVERLAP, i, ps, j);
    };
    for (const p of mine) {
      for (let x = firstEndAbove(accepted, p.base); x < accepted.length && accepted[x]!.base < p.end; x++) {
        if (hitsAvailable(accepted[x]!.avail, p.base, p.size)) consider(x, false, p.ps);
      }
      if (hitsAvailable(self.avail, p.base, p.size)) consider(i, false, p.ps);
    }
    for (let x = firstEndAbove(pamtIndex, self.base); x < pamtIndex.length && pamtIndex[x]!.base < self.end; x++) {
      const q = pamtIndex[x]!;
      if (hitsAvailable(self.avail, q.base, q.size)) consider(q.owner, true, q.ps);
    }
    if (best.key !== Infinity) return fail(best.status, i);

    // B18, order 1G, 2M, 4K; B19.
    for (const ps of [PS.G1, PS.M2, PS.K4] as const) {
      const p = mine[ps];
      if (!cmr.contains(p.base, p.base + p.size)) return fail(packIndex(STATUS.TDX_PAMT_OUTSIDE_CMRS, i, ps), i);
    }
    for (const [s, e] of self.avail) {
      if (!cmr.contains(s, e)) return fail(packIndex(STATUS.TDX_TDMR_OUTSIDE_CMRS, i), i);
    }

    // B20.
    accepted.push(self);
    for (const p of mine) pamtIndex.splice(firstEndAbove(pamtIndex, p.base), 0, p);
  }
  return verdict(STATUS.TDX_SUCCESS, 'done', -1, true, dynamicPamt);
}

/** The status TDH.SYS.CONFIG would return for these operands, lock and state permitting. */
export function configChecks(ops: ConfigOperands, env: ConfigEnv): bigint {
  return checkConfig(ops, env).status;
}

/**
 * The CONFIG verdicts of one module configuration, remembered per TDMR table: a sweep hands
 * CONFIG the same constructed layout once per cost setting, and the verdict is a pure function
 * of the operands and the environment. Owned by a PreparedPlatform's ModuleTables (module.ts,
 * src/model/prepared.ts), whose configuration and KeyID layout these are, and living as long as
 * it does; register-exact operands, or TDMR_INFO addresses of the caller's choosing, are checked
 * every time. A short list, not a map: a platform's module sees one or two tables (a structural
 * sweep row asks once, and then a list costs nothing to make).
 */
export class ConfigVerdicts {
  private readonly known: { tdmrs: TdmrTable; rcx: bigint | undefined; rdx: bigint | undefined; r8: bigint | undefined; verdict: ConfigVerdict }[] = [];

  /** `keys`: the KeyID layout of the configuration whose verdicts these are. */
  constructor(private readonly keys: KeyIdLayout | null = null) {}

  verdict(ops: ConfigOperands, env: ConfigEnv): ConfigVerdict {
    const k = this.keys ?? keyIdLayout(env.keyids, env.maxPaBits ?? MAX_PA);
    const { tdmrs, rcx, rdx, r8 } = ops;
    if (ops.tdmrPas || !(tdmrs instanceof TdmrTable)) return configVerdict(ops, env, true, k);
    for (const e of this.known) if (e.tdmrs === tdmrs && e.rcx === rcx && e.rdx === rdx && e.r8 === r8) return e.verdict;
    const verdict = configVerdict(ops, env, true, k);
    this.known.push({ tdmrs, rcx, rdx, r8, verdict });
    return verdict;
  }
}
