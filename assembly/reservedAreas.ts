// tdmrs_populate_rsvd_areas_all (§4): per TDMR, the holes of the hole source, then every
// PAMT that overlaps it (in TDMR order), then the kernel's heapsort.
//
// The kernel walks the whole block list and all PAMTs for each TDMR. Here a TDMR starts its
// walk at the first block that can matter (a cursor: TDMRs ascend), and finds its PAMTs as one run of
// the PAMTs sorted by base (they are disjoint, so their ends ascend too), re-sorted by TDMR
// index so the areas are added in the kernel's order before the (order-sensitive) sort.

import { take } from './arena';
import { getU32, getU64, maxU64, minU64, setU32, setU64 } from './mem';
import { firstEndAtLeast, holeSrcCount, holeSrcEnd, holeSrcStart } from './memlist';
import { pamtBase, pamtTotal } from './pamt';
import { sortAreasKernel, sortIndexes } from './sort';
import { tdBase, tdCount, tdSize } from './tdmrs';

let byBase: usize = 0; // PAMT (= TDMR) indexes sorted by PAMT base
let overlapRun: usize = 0;
let sortBuffer: usize = 0;
let limit: u64 = 0;
export let areaOffset: usize = 0;
export let areaSize: usize = 0;
let count: u64 = 0;
let tdmrStart: u64 = 0;

export function initReservedAreas(maxRsvd: u64): void {
  const n = <usize>tdCount;
  byBase = take(n << 2);
  overlapRun = take(n << 2);
  sortBuffer = take(n << 2);
  for (let t: u32 = 0; t < tdCount; t++) setU32(byBase, t, t);
  sortIndexes(byBase, sortBuffer, tdCount, pamtBase);
  // A TDMR never holds more than maxRsvd areas; physically at most one hole per walked block,
  // the trailing hole, and one area per PAMT.
  const cap = minU64(maxRsvd, <u64>holeSrcCount + 1 + <u64>tdCount);
  areaOffset = take(<usize>cap << 3);
  areaSize = take(<usize>cap << 3);
  limit = maxRsvd;
  holeCursor = 0;
  pamtCursor = 0;
}

// Where the previous TDMR's searches ended: TDMRs ascend, so the next ones start there.
let holeCursor: u32 = 0;
let pamtCursor: u32 = 0;

/** tdmr_add_rsvd_area; false when the TDMR already holds maxReservedPerTdmr areas. */
@inline function add(addr: u64, size: u64): bool {
  if (count >= limit) return false;
  setU64(areaOffset, <usize>count, addr - tdmrStart);
  setU64(areaSize, <usize>count, size);
  count++;
  return true;
}

/** The sorted areas of TDMR t (at areaOffset/areaSize), or -1 when they do not fit. */
export function populateReservedAreas(t: u32): i64 {
  const base = getU64(tdBase, t);
  const end = base + getU64(tdSize, t);
  tdmrStart = base;
  count = 0;

  // Blocks ending before the base are skipped by the kernel; the first with end >= base is
  // where its walk starts to matter.
  let prevEnd = base;
  holeCursor = firstEndAtLeast(holeSrcEnd, holeSrcCount, base, holeCursor);
  for (let i = holeCursor; i < holeSrcCount; i++) {
    const start = getU64(holeSrcStart, i);
    if (start >= end) break;
    // Literal: a block that starts inside the covered part may move prevEnd back.
    if (start > prevEnd && !add(prevEnd, start - prevEnd)) return -1;
    prevEnd = getU64(holeSrcEnd, i);
  }
  if (prevEnd < end && !add(prevEnd, end - prevEnd)) return -1;

  // PAMTs overlapping [base, end): a contiguous run of byBase (PAMTs are disjoint, so their
  // ends ascend with their bases), starting where the previous TDMR's run started or later.
  let lo = pamtCursor;
  while (lo < tdCount) {
    const p = getU32(byBase, lo);
    if (getU64(pamtBase, p) + getU64(pamtTotal, p) > base) break;
    lo++;
  }
  pamtCursor = lo;
  let runLength: u32 = 0;
  for (let k = lo; k < tdCount; k++) {
    const p = getU32(byBase, k);
    if (getU64(pamtBase, p) >= end) break;
    setU32(overlapRun, runLength++, p);
  }
  // Every overlapping PAMT is added, one area each: when they cannot all fit, the kernel's
  // add fails at one of them, whatever their order, so the order need not be made.
  if (count + <u64>runLength > limit) return -1;
  if (runLength > 1) sortIndexes(overlapRun, sortBuffer, runLength, 0);
  for (let k: u32 = 0; k < runLength; k++) {
    const p = getU32(overlapRun, k);
    const pb = getU64(pamtBase, p);
    const from = maxU64(pb, base);
    const to = minU64(pb + getU64(pamtTotal, p), end);
    if (!add(from, to - from)) return -1;
  }

  sortAreasKernel(areaOffset, areaSize, <u32>count);
  return <i64>count;
}
