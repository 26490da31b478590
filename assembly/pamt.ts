// tdmrs_set_up_pamt_all (§3): per TDMR, the three PAMT sizes, the node to allocate on, and
// one contiguous allocation holding the 4K, 2M and 1G tables in that order.

import { NO_PFN, allocContig } from './allocator';
import { take } from './arena';
import { getU32, getU64, setU32, setU64 } from './mem';
import { firstEndAtLeast, memCount, memEnd, memNode } from './memlist';
import { tdBase, tdCount, tdSize } from './tdmrs';
import { warn } from './warnings';
import { WARN_NID_FALLBACK } from '../src/kernels/constructAbi';
import { PAGE_SHIFT as PAGE_SHIFT_I32, PAGE_SIZE } from '../src/construct/constants';

const PAGE_SHIFT: u64 = <u64>PAGE_SHIFT_I32;
const PAGE_MASK: u64 = <u64>PAGE_SIZE - 1;

export let pamtNid: usize = 0;
export let pamtBase: usize = 0;
export let pamtTotal: usize = 0;
export let pamt4k: usize = 0;
export let pamt2m: usize = 0;
export let pamt1g: usize = 0;
export let pamtBytes: u64 = 0;

/** tdmr_get_pamt_sz: entries for one page size, times the entry size, page aligned. */
@inline function levelSize(tdmrSize: u64, shift: u64, entrySize: u64): u64 {
  return ((tdmrSize >> shift) * entrySize + PAGE_MASK) & ~PAGE_MASK;
}

/** Dynamic PAMT: the 4K level is a bitmap, one bit per 4 KiB page, page aligned. */
@inline function bitmapSize(tdmrSize: u64): u64 {
  return (((tdmrSize >> 12) + 7) / 8 + PAGE_MASK) & ~PAGE_MASK;
}

/**
 * tdmr_get_nid: the node of the first memory block ending after the TDMR's base (block
 * starts do not matter). -1 when none does.
 */
function tdmrNid(base: u64): i64 {
  // end > base, i.e. end >= base + 1; bases ascend from TDMR to TDMR.
  const i = firstEndAtLeast(memEnd, memCount, base + 1, nidCursor);
  nidCursor = i;
  return i < memCount ? <i64>getU32(memNode, i) : -1;
}

let nidCursor: u32 = 0;

/** False when an allocation fails (the kernel's -ENOMEM; it prints nothing of its own). */
export function setUpPamtAll(es4k: u64, es2m: u64, es1g: u64, dynamicPamt: bool): bool {
  const n = <usize>tdCount;
  pamtNid = take(n << 2);
  pamtBase = take(n << 3);
  pamtTotal = take(n << 3);
  pamt4k = take(n << 3);
  pamt2m = take(n << 3);
  pamt1g = take(n << 3);
  pamtBytes = 0;
  nidCursor = 0;
  for (let t: u32 = 0; t < tdCount; t++) {
    const base = getU64(tdBase, t);
    const size = getU64(tdSize, t);
    const s4k = dynamicPamt ? bitmapSize(size) : levelSize(size, 12, es4k);
    const s2m = levelSize(size, 21, es2m);
    const s1g = levelSize(size, 30, es1g);
    const total = s4k + s2m + s1g;
    let nid = tdmrNid(base);
    if (nid < 0) {
      warn(WARN_NID_FALLBACK, base, base + size);
      nid = 0;
    }
    const pfn = allocContig(<u32>nid, total >> PAGE_SHIFT);
    if (pfn == NO_PFN) return false;
    setU32(pamtNid, t, <u32>nid);
    setU64(pamtBase, t, pfn << PAGE_SHIFT);
    setU64(pamtTotal, t, total);
    setU64(pamt4k, t, s4k);
    setU64(pamt2m, t, s2m);
    setU64(pamt1g, t, s1g);
    pamtBytes += total;
  }
  return true;
}
