// fill_out_tdmrs (§2): one pass over the memory list, each block (or its uncovered rest)
// rounded out to 1 GiB becomes the next TDMR.

import { take } from './arena';
import { getU64, setU64 } from './mem';
import { memCount, memEnd, memStart } from './memlist';
import { SZ_1G } from '../src/construct/constants';

const MASK_1G: u64 = <u64>SZ_1G - 1;

export let tdBase: usize = 0;
export let tdSize: usize = 0;
export let tdCount: u32 = 0;

/** False when a TDMR beyond maxTdmrs would be needed (the kernel's -ENOSPC). */
export function fillOutTdmrs(maxTdmrs: u64): bool {
  // Each block opens at most one TDMR; an empty list still leaves TDMR 0 as [0, 0).
  const capacity = <usize>memCount + 1;
  tdBase = take(capacity << 3);
  tdSize = take(capacity << 3);
  setU64(tdBase, 0, 0);
  setU64(tdSize, 0, 0);

  let idx: u32 = 0;
  for (let i: u32 = 0; i < memCount; i++) {
    let start = getU64(memStart, i) & ~MASK_1G;
    const end = (getU64(memEnd, i) + MASK_1G) & ~MASK_1G;
    // The kernel recognises "a TDMR is open" by a nonzero size, not by an index.
    const size = getU64(tdSize, idx);
    if (size != 0) {
      const curEnd = getU64(tdBase, idx) + size;
      if (end <= curEnd) continue;
      if (start < curEnd) start = curEnd;
      idx++;
      if (<u64>idx >= maxTdmrs) return false;
    }
    setU64(tdBase, idx, start);
    setU64(tdSize, idx, end - start);
  }
  tdCount = idx + 1;
  return true;
}
