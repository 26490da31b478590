// TDH.SYS.CONFIG's TDMR checks (B8–B19) for the case that decides most calls: everything
// passes. On plain numbers instead of BigInt registers, since every address and size a kernel
// hands over is far below 2^53; a sweep checks one TDMR array per row, and the BigInt version
// allocates for every operation.
//
// This only ever says "all pass" or "not sure": any doubt (a value outside the exact range of a
// double, an empty PAMT, any check that fails) returns false, and the exact BigInt checks then
// decide, with the status and index bytes of the first failing check in the module's order. All
// pass in the module's order exactly when every TDMR passes its own checks and the pairwise ones
// (PAMTs disjoint, no PAMT on any TDMR's usable memory) hold for all pairs, which is what is
// tested here, in any order.

import { SZ_1G, SZ_2M, SZ_4K } from '../../construct/constants.js';
import { isAligned } from '../../construct/align.js';
import { DEFAULT_TDMR_INFO_PA, MAX_PA, TDMR_INFO_ALIGNMENT, type ConfigEnv, type ConfigOperands, type KeyIdLayout } from './configEnv.js';
import { TdmrTable } from '../../construct/tdmrTable.js';
import type { TdmrInfo } from './types.js';
import { tdmrTableOfInfos } from './tdmrInfo.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const PA_LIMIT = 2 ** MAX_PA;
/** 2^0 .. 2^MAX_PA: `2 ** x` of a variable is a call to Math.pow, a tenth of the pass's time. */
const POW2: readonly number[] = Array.from({ length: MAX_PA + 1 }, (_, i) => 2 ** i);

function pow2(x: number): number {
  return x >= 0 && x <= MAX_PA && Number.isInteger(x) ? POW2[x]! : 2 ** x;
}
/** Page size by PS index (0 = 4K, 1 = 2M, 2 = 1G). */
const PAGE = [SZ_4K, SZ_2M, SZ_1G];

/** The value as an exact double, or NaN. */
function num(b: bigint): number {
  return b >= 0n && b <= SAFE ? Number(b) : NaN;
}

// The pass's lists, as pairs [start, end) in flat arrays reused from call to call: the pass
// runs once per CONFIG (a sweep: once per row), synchronously and without calling back into
// itself, and lists of its own were a good part of a row's garbage. Each is made big enough
// for the call before it is written (room()). They start big enough for 64 TDMRs of 16 reserved
// areas and 32 CMRs (a module's usual limits), so that a sweep does not grow them, and so drop
// the pass's optimized code, in its middle.
let runs = new Float64Array(64);
let tdmrs = new Float64Array(128);
/** The usable pieces of every TDMR: TDMR i's are pieces[from[i], from[i + 1]). */
let pieces = new Float64Array(64 * 18 * 2);
let from = new Float64Array(65);
let pamts = new Float64Array(384);
let order = new Int32Array(192);

function room(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  return a.length >= n ? a : new Float64Array(Math.max(n, 2 * a.length));
}

function within(nRuns: number, start: number, end: number): boolean {
  for (let r = 0; r < nRuns; r += 2) if (start >= runs[r]! && end <= runs[r + 1]!) return true;
  return false;
}

/** CmrRuns on numbers, into `runs`: touching CMRs extend one run. Its length, or -1 when a CMR is not exact. */
function cmrRuns(env: ConfigEnv): number {
  runs = room(runs, 2 * env.cmrs.length);
  let n = 0;
  let lastStart = 0;
  let lastEnd = 0;
  for (const c of env.cmrs) {
    const s = num(c.start);
    const e = num(c.end);
    if (Number.isNaN(s + e)) return -1;
    if (e === s) continue;
    const start = s === lastEnd ? lastStart : s;
    runs[n++] = start;
    runs[n++] = e;
    lastStart = start;
    lastEnd = e;
  }
  return n;
}

/**
 * True only if checks B8–B19 pass for TDMRs 0..n-1 (the operand checks A4–A7 already passed,
 * with KeyID layout k and the Dynamic PAMT choice given).
 */
export function plainTdmrsPass(ops: ConfigOperands, n: number, env: ConfigEnv, k: KeyIdLayout, dynamicPamt: boolean): boolean {
  const nRuns = cmrRuns(env);
  if (nRuns < 0) return false;
  const max = env.maxReservedPerTdmr;
  // Below MAX_PA with no KeyID bits set: below the lowest KeyID bit (or MAX_PA, if lower).
  const plainLimit = pow2(Math.min(k.start, MAX_PA));
  const paLimit = PA_LIMIT;
  const align = Number(TDMR_INFO_ALIGNMENT);
  const infoBase = Number(DEFAULT_TDMR_INFO_PA);
  const table = ops.tdmrs instanceof TdmrTable ? ops.tdmrs : exactTable(ops.tdmrs, n, max);
  if (!table) return false;
  tdmrs = room(tdmrs, 2 * n);
  // Each TDMR has at most one piece more than areas.
  pieces = room(pieces, table.areas.length + 2 * n);
  from = room(from, n + 1);
  pamts = room(pamts, 6 * n);
  let nPieces = 0;
  let nPamts = 0;
  from[0] = 0;
  let prevEnd = 0;
  for (let i = 0; i < n; i++) {
    // B8: the TDMR_INFO address is aligned, below MAX_PA, and carries no private KeyID.
    const pa = ops.tdmrPas ? num(ops.tdmrPas[i] ?? -1n) : infoBase + align * i;
    if (!(isAligned(pa, align) && pa < paLimit && Math.floor(pa / plainLimit) < k.privateMin)) return false;
    const base = table.base(i);
    const size = table.size(i);
    // B9–B13: ordered, 1 GiB granular, not empty, plain addresses.
    if (!(base >= prevEnd) || !isAligned(size, SZ_1G) || !isAligned(base, SZ_1G) || !(size > 0) || !(base + size - 1 < plainLimit)) return false;
    const end = base + size;
    prevEnd = end;
    // B14: reserved areas ordered, 4 KiB granular, inside; the first empty slot ends them.
    const mine = nPieces;
    const areas = Math.min(max, table.areaCount(i));
    let cur = base;
    let prevOff = 0;
    let prevSize = 0;
    let ended = false;
    for (let j = 0; j < Math.min(max, areas + 1); j++) {
      const off = j < areas ? table.areaOffset(i, j) : 0;
      const sz = j < areas ? table.areaSize(i, j) : 0;
      if (sz === 0) {
        ended = true;
      } else {
        if (ended) return false;
        if (j > 0 && (off < prevOff || off < prevOff + prevSize)) return false;
        if (!isAligned(off, SZ_4K) || !isAligned(sz, SZ_4K) || base + off + sz > end) return false;
        if (base + off > cur) {
          pieces[nPieces++] = cur;
          pieces[nPieces++] = base + off;
        }
        cur = base + off + sz;
      }
      prevOff = off;
      prevSize = sz;
    }
    if (cur < end) {
      pieces[nPieces++] = cur;
      pieces[nPieces++] = end;
    }
    // B15: each PAMT level aligned, plain, large enough (and not empty: see the header).
    for (let ps = 0; ps < 3; ps++) {
      const pb = ps === 0 ? table.pamt4kBase(i) : ps === 1 ? table.pamt2mBase(i) : table.pamt1gBase(i);
      const psz = ps === 0 ? table.pamt4kSize(i) : ps === 1 ? table.pamt2mSize(i) : table.pamt1gSize(i);
      if (!isAligned(pb, SZ_4K) || !isAligned(psz, SZ_4K) || !(psz > 0) || !(pb + psz - 1 < plainLimit)) return false;
      const required = dynamicPamt && ps === 0 ? size / SZ_4K / 8 : (size / PAGE[ps]!) * env.pamtEntrySize[ps]!;
      if (!(required <= Number.MAX_SAFE_INTEGER) || psz < required) return false;
      // B18: inside the CMRs.
      if (!within(nRuns, pb, pb + psz)) return false;
      pamts[nPamts++] = pb;
      pamts[nPamts++] = pb + psz;
    }
    // B19: the usable memory inside the CMRs.
    for (let p = mine; p < nPieces; p += 2) if (!within(nRuns, pieces[p]!, pieces[p + 1]!)) return false;
    tdmrs[2 * i] = base;
    tdmrs[2 * i + 1] = end;
    from[i + 1] = nPieces;
  }
  // B16: all PAMTs pairwise disjoint.
  if (!disjoint(nPamts / 2)) return false;
  // B17: no PAMT on any TDMR's usable memory (TDMRs are ordered and disjoint after B10).
  for (let q = 0; q < nPamts; q += 2) {
    const pb = pamts[q]!;
    const pe = pamts[q + 1]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tdmrs[2 * mid + 1]! <= pb) lo = mid + 1;
      else hi = mid;
    }
    for (let x = lo; x < n && tdmrs[2 * x]! < pe; x++) {
      for (let p = from[x]!; p < from[x + 1]!; p += 2) if (pb < pieces[p + 1]! && pieces[p]! < pe) return false;
    }
  }
  return true;
}

/**
 * Register-exact TDMR_INFO entries 0..n-1 as a table, or null when a value is not an exact
 * double or an entry has more areas than slots (the exact checks decide those).
 */
function exactTable(infos: readonly TdmrInfo[], n: number, max: number): TdmrTable | null {
  const exact = (b: bigint): boolean => !Number.isNaN(num(b));
  for (let i = 0; i < n; i++) {
    const t = infos[i]!;
    if (t.reserved.length > max) return null;
    if (![t.base, t.size, t.pamt4kBase, t.pamt4kSize, t.pamt2mBase, t.pamt2mSize, t.pamt1gBase, t.pamt1gSize].every(exact)) return null;
    if (!t.reserved.every((r) => exact(r.offset) && exact(r.size))) return null;
  }
  return tdmrTableOfInfos(infos, n);
}

/**
 * Whether the first n ranges [a, b) of `pamts` are pairwise disjoint: sorted by start (insertion
 * sort: a constructed layout lists its PAMTs nearly in address order, and there are at most 3 per
 * TDMR), each must end by the next one's start.
 */
function disjoint(n: number): boolean {
  if (order.length < n) order = new Int32Array(Math.max(n, 2 * order.length));
  for (let q = 0; q < n; q++) {
    let j = q;
    while (j > 0 && pamts[2 * order[j - 1]!]! > pamts[2 * q]!) {
      order[j] = order[j - 1]!;
      j--;
    }
    order[j] = q;
  }
  for (let q = 1; q < n; q++) if (pamts[2 * order[q]!]! < pamts[2 * order[q - 1]! + 1]!) return false;
  return true;
}
