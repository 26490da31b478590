// Sorts over flat arrays. sortAreasKernel is the kernel's own lib/sort.c heapsort, kept
// step for step because its output order is observable; the others are plain stable merge
// sorts for the kernel's bookkeeping, where only the sorted result matters.

import { getU32, getU64, setU32, setU64 } from './mem';

// rsvd_area_cmp_func: overlapping areas (a PAMT inside a hole) compare as "less" both ways,
// so the result depends on the exact sequence of comparisons below.
@inline function areaCmp(off: usize, size: usize, a: u32, b: u32): i32 {
  const ao = getU64(off, a);
  const bo = getU64(off, b);
  if (ao + getU64(size, a) <= bo) return -1;
  if (ao >= bo + getU64(size, b)) return 1;
  return -1;
}

@inline function swapArea(off: usize, size: usize, a: u32, b: u32): void {
  const o = getU64(off, a);
  const s = getU64(size, a);
  setU64(off, a, getU64(off, b));
  setU64(size, a, getU64(size, b));
  setU64(off, b, o);
  setU64(size, b, s);
}

/**
 * The order lib/sort.c sort() leaves the areas in: its bottom-up heapsort (heapsortAreas, in
 * element indexes instead of byte offsets: its parent() of element j is (j - 1) / 2).
 */
export function sortAreasKernel(off: usize, size: usize, num: u32): void {
  // Without overlaps the comparison is a strict total order, and every sort gives the one
  // sorted order; only overlapping areas need the heapsort's exact sequence of comparisons.
  if (num <= SMALL_AREAS && !anyOverlap(off, size, num)) {
    insertionSortPairs(off, size, num);
    return;
  }
  heapsortAreas(off, size, num);
}

// Up to this many areas the pairwise overlap check costs less than the heapsort.
const SMALL_AREAS: u32 = 16;

function anyOverlap(off: usize, size: usize, num: u32): bool {
  for (let a: u32 = 1; a < num; a++) {
    const ao = getU64(off, a);
    const ae = ao + getU64(size, a);
    for (let b: u32 = 0; b < a; b++) {
      const bo = getU64(off, b);
      if (ao < bo + getU64(size, b) && bo < ae) return true;
    }
  }
  return false;
}

/** Stable insertion sort of parallel u64 arrays (key, val) by key: for a few entries. */
function insertionSortPairs(key: usize, val: usize, n: u32): void {
  for (let i: u32 = 1; i < n; i++) {
    const k = getU64(key, i);
    const v = getU64(val, i);
    let j = i;
    while (j > 0 && getU64(key, j - 1) > k) {
      setU64(key, j, getU64(key, j - 1));
      setU64(val, j, getU64(val, j - 1));
      j--;
    }
    setU64(key, j, k);
    setU64(val, j, v);
  }
}

function heapsortAreas(off: usize, size: usize, num: u32): void {
  let n = num;
  let a = num >> 1;
  if (a == 0) return;
  for (;;) {
    if (a != 0) {
      a--;
    } else {
      n--;
      if (n == 0) break;
      swapArea(off, size, 0, n);
    }
    // Sift a down: follow the larger child to the leaves, then back up to where a belongs.
    let b = a;
    let c: u32 = 0;
    let d: u32 = 0;
    for (;;) {
      c = 2 * b + 1;
      d = c + 1;
      if (d >= n) break;
      b = areaCmp(off, size, c, d) >= 0 ? c : d;
    }
    if (d == n) b = c;
    while (b != a && areaCmp(off, size, a, b) >= 0) b = (b - 1) >> 1;
    c = b;
    while (b != a) {
      b = (b - 1) >> 1;
      swapArea(off, size, b, c);
    }
  }
}

// Below this many elements the merge sorts hand over to insertion sort (also stable): the
// common platform has a handful of TDMRs and reserved ranges, where the merge passes cost
// more than the few shifts.
const SMALL: u32 = 16;

/** Stable sort of parallel u64 arrays (key, val) by key; tmpKey/tmpVal hold n each. */
export function sortPairsByKey(key: usize, val: usize, tmpKey: usize, tmpVal: usize, n: u32): void {
  if (n <= SMALL) {
    insertionSortPairs(key, val, n);
    return;
  }
  let srcK = key;
  let srcV = val;
  let dstK = tmpKey;
  let dstV = tmpVal;
  for (let width: u32 = 1; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(mid + width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (getU64(srcK, j) < getU64(srcK, i)) {
          setU64(dstK, k, getU64(srcK, j));
          setU64(dstV, k++, getU64(srcV, j++));
        } else {
          setU64(dstK, k, getU64(srcK, i));
          setU64(dstV, k++, getU64(srcV, i++));
        }
      }
      while (i < mid) {
        setU64(dstK, k, getU64(srcK, i));
        setU64(dstV, k++, getU64(srcV, i++));
      }
      while (j < hi) {
        setU64(dstK, k, getU64(srcK, j));
        setU64(dstV, k++, getU64(srcV, j++));
      }
    }
    let t = srcK;
    srcK = dstK;
    dstK = t;
    t = srcV;
    srcV = dstV;
    dstV = t;
  }
  if (srcK != key) {
    memory.copy(key, srcK, <usize>n << 3);
    memory.copy(val, srcV, <usize>n << 3);
  }
}

@inline function indexKey(keys: usize, v: u32): u64 {
  return keys != 0 ? getU64(keys, v) : <u64>v;
}

function isSortedIndexes(idx: usize, n: u32, keys: usize): bool {
  let prev = indexKey(keys, getU32(idx, 0));
  for (let i: u32 = 1; i < n; i++) {
    const k = indexKey(keys, getU32(idx, i));
    if (k < prev) return false;
    prev = k;
  }
  return true;
}

/**
 * Stable sort of u32 indexes by keys[index] (u64), or by the index itself when keys is 0.
 * tmp holds n u32.
 */
export function sortIndexes(idx: usize, tmp: usize, n: u32, keys: usize): void {
  if (n < 2) return;
  // PAMTs are mostly placed in TDMR order, so the list is often sorted already.
  if (isSortedIndexes(idx, n, keys)) return;
  if (n <= SMALL) {
    for (let i: u32 = 1; i < n; i++) {
      const v = getU32(idx, i);
      const k: u64 = keys != 0 ? getU64(keys, v) : <u64>v;
      let j = i;
      for (; j > 0; j--) {
        const u = getU32(idx, j - 1);
        const ku: u64 = keys != 0 ? getU64(keys, u) : <u64>u;
        if (ku <= k) break;
        setU32(idx, j, u);
      }
      setU32(idx, j, v);
    }
    return;
  }
  let src = idx;
  let dst = tmp;
  for (let width: u32 = 1; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(mid + width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const vi = getU32(src, i);
        const vj = getU32(src, j);
        const ki: u64 = keys != 0 ? getU64(keys, vi) : <u64>vi;
        const kj: u64 = keys != 0 ? getU64(keys, vj) : <u64>vj;
        if (kj < ki) {
          setU32(dst, k++, vj);
          j++;
        } else {
          setU32(dst, k++, vi);
          i++;
        }
      }
      while (i < mid) setU32(dst, k++, getU32(src, i++));
      while (j < hi) setU32(dst, k++, getU32(src, j++));
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != idx) memory.copy(idx, src, <usize>n << 2);
}
