// The TDX memory list (§1) and the list the hole walk runs over: the memory list itself, or
// the CMRs with the same 1 MiB cut when holes come from CMRs.

import { take } from './arena';
import { getU64, setU32, setU64, wordU64 } from './mem';
import { SZ_1M as SZ_1M_I32 } from '../src/construct/constants';

const SZ_1M: u64 = <u64>SZ_1M_I32;

export let memStart: usize = 0;
export let memEnd: usize = 0;
export let memNode: usize = 0;
export let memCount: u32 = 0;

export let holeSrcStart: usize = 0;
export let holeSrcEnd: usize = 0;
export let holeSrcCount: u32 = 0;

/** Raw memblock regions at `raw` as (start, end, node) words; keeps what lies above 1 MiB. */
export function buildMemoryList(raw: usize, nRaw: u32): void {
  memStart = take(<usize>nRaw << 3);
  memEnd = take(<usize>nRaw << 3);
  memNode = take(<usize>nRaw << 2);
  let k: u32 = 0;
  let prevEnd: u64 = 0;
  for (let i: u32 = 0; i < nRaw; i++) {
    const w = <usize>i * 3;
    let start = wordU64(raw, w);
    const end = wordU64(raw, w + 1);
    // Every search below relies on ascending, disjoint blocks (validation guarantees them):
    // an input that skipped it stops here rather than leave the free-run trees inconsistent.
    if (start < prevEnd) abort('construct kernel: memory regions overlap or descend');
    prevEnd = end;
    if (start < SZ_1M) start = SZ_1M;
    if (start >= end) continue;
    setU64(memStart, k, start);
    setU64(memEnd, k, end);
    setU32(memNode, k, <u32>wordU64(raw, w + 2));
    k++;
  }
  memCount = k;
}

/** mode 0: holes from the memory list; mode 1: from the CMRs at `cmrs` as (start, end). */
export function buildHoleSource(mode: u32, cmrs: usize, nCmr: u32): void {
  if (mode == 0) {
    holeSrcStart = memStart;
    holeSrcEnd = memEnd;
    holeSrcCount = memCount;
    return;
  }
  holeSrcStart = take(<usize>nCmr << 3);
  holeSrcEnd = take(<usize>nCmr << 3);
  let k: u32 = 0;
  for (let i: u32 = 0; i < nCmr; i++) {
    let start = wordU64(cmrs, <usize>i * 2);
    const end = wordU64(cmrs, <usize>i * 2 + 1);
    if (start < SZ_1M) start = SZ_1M;
    if (start >= end) continue;
    setU64(holeSrcStart, k, start);
    setU64(holeSrcEnd, k, end);
    k++;
  }
  holeSrcCount = k;
}

/**
 * First index at or after `from` whose end is >= x in an ascending, non-overlapping list (so
 * ends ascend); `count` when there is none. Callers ask for ascending x (TDMRs come in
 * address order) and pass the previous answer as `from`, so over a whole construction the
 * scans add up to one pass over the list, where the kernel scans from the list head each time.
 */
export function firstEndAtLeast(ends: usize, count: u32, x: u64, from: u32): u32 {
  let i = from;
  while (i < count && getU64(ends, i) < x) i++;
  return i;
}
