// The allocator model of §3, standing in for alloc_contig_pages(nr_pages, GFP_KERNEL, nid,
// online nodes). The kernel steps through a zone one aligned window at a time and checks
// every page; here each node keeps its free runs (its raw regions minus the reserved pages
// minus the PAMTs already placed) in a treap, and a zone is answered by jumping from one
// long-enough run to the next. A window of the kernel's progression is accepted exactly when
// it lies inside one free run, so both find the same pfn.

import { take } from './arena';
import {
  appendFlat,
  buildRuns,
  carve,
  carveFlat,
  findFit,
  findFitFlat,
  initFlatPool,
  initRunPool,
  newRun,
  openFlat,
  runEndOf,
  runStartOf,
} from './freeRuns';
import { getF64, getU32, getU64, maxU64, minU64, setU32, setU64, wordU64, zeroU32 } from './mem';
import { sortPairsByKey } from './sort';
import { FLAT_RUNS_MAX, SCRATCH_CACHE_MIN_SLOTS } from '../src/kernels/constructAbi';
import { PAGE_SHIFT as PAGE_SHIFT_I32, PAGE_SIZE, SZ_16M } from '../src/construct/constants';

export const NO_PFN: u64 = u64.MAX_VALUE;

const PAGE_SHIFT: u64 = <u64>PAGE_SHIFT_I32;
const PAGE_MASK: u64 = <u64>PAGE_SIZE - 1;
const PFN_16M: u64 = <u64>SZ_16M >> PAGE_SHIFT; // DMA | DMA32
const PFN_4G: u64 = (<u64>1 << 32) >> PAGE_SHIFT; // DMA32 | NORMAL
const ZONES: u32 = 3; // fallback order within a node: NORMAL, DMA32, DMA

let nodeCount: u32 = 0;
let distance: usize = 0; // the input's f64 matrix, row-major, nodeCount × nodeCount
let spanStart: usize = 0; // pfns, per node
let spanEnd: usize = 0;
let present: usize = 0; // u32 flag: the node owns at least one raw region
let root: usize = 0; // u32 treap root of the node's free runs
let flat = false; // the free runs are in the flat form (freeRuns.ts)
let order: usize = 0; // u32 node order for orderNid
let orderLength: u32 = 0;
let orderNid: i64 = -1;
// A cache of (node, zone, window count) -> the pfn from which that progression may still
// hold a free window. Free space only shrinks, so a window rejected once stays rejected: with
// the cache, each progression passes over a zone's runs at most once in a whole construction,
// however the PAMT sizes alternate. Direct-mapped: a collision only costs a rescan.
let cacheZone: usize = 0; // u32: node * ZONES + zone + 1; 0 = empty slot
let cachePages: usize = 0; // u64: the window count
let cacheResume: usize = 0; // u64
let cacheMask: u32 = 0;

/**
 * raw: memblock memory as (start, end, node) words; reserved: (start, end) words in any
 * order; dist: the distance matrix; maxAllocations: how many PAMTs may still be carved.
 */
export function initAllocator(
  raw: usize,
  nRaw: u32,
  reserved: usize,
  nRes: u32,
  dist: usize,
  nDist: u32,
  maxAllocations: u32,
): void {
  nodeCount = nDist;
  distance = dist;
  const nodeBytes = <usize>nDist << 3;
  spanStart = take(nodeBytes);
  spanEnd = take(nodeBytes);
  present = take(<usize>nDist << 2);
  root = take(<usize>nDist << 2);
  order = take(<usize>nDist << 2);
  zeroU32(present, nDist);
  zeroU32(root, nDist);
  // One slot per allocation (rounded up to a power of two) keeps collisions rare.
  let slots = <u32>SCRATCH_CACHE_MIN_SLOTS;
  while (slots < maxAllocations) slots <<= 1;
  cacheMask = slots - 1;
  cacheZone = take(<usize>slots << 2);
  cachePages = take(<usize>slots << 3);
  cacheResume = take(<usize>slots << 3);
  zeroU32(cacheZone, slots);
  orderLength = 0;
  orderNid = -1;

  // Reserved ranges as page ranges: a window is blocked by any byte of a reserved range, so
  // partial pages round outward. Sorted and merged, so one forward sweep subtracts them.
  const resStart = take(<usize>nRes << 3);
  const resEnd = take(<usize>nRes << 3);
  const tmpStart = take(<usize>nRes << 3);
  const tmpEnd = take(<usize>nRes << 3);
  let k: u32 = 0;
  let ascending = true; // memblock keeps its reserved list sorted, so usually no sort is needed
  for (let i: u32 = 0; i < nRes; i++) {
    const s = wordU64(reserved, <usize>i * 2);
    const e = wordU64(reserved, <usize>i * 2 + 1);
    if (s >= e) continue;
    const page = s >> PAGE_SHIFT;
    if (k > 0 && page < getU64(resStart, k - 1)) ascending = false;
    setU64(resStart, k, page);
    setU64(resEnd, k, (e + PAGE_MASK) >> PAGE_SHIFT);
    k++;
  }
  if (!ascending) sortPairsByKey(resStart, resEnd, tmpStart, tmpEnd, k);
  let merged: u32 = 0;
  for (let i: u32 = 0; i < k; i++) {
    const s = getU64(resStart, i);
    const e = getU64(resEnd, i);
    if (merged > 0 && s <= getU64(resEnd, merged - 1)) {
      if (e > getU64(resEnd, merged - 1)) setU64(resEnd, merged - 1, e);
    } else {
      setU64(resStart, merged, s);
      setU64(resEnd, merged, e);
      merged++;
    }
  }

  // Free runs in address order, then grouped by node (a counting sort keeps each node's runs
  // ascending). Each merged reserved range splits at most one run, hence the capacity.
  const capacity = <usize>nRaw + <usize>nRes;
  const freeStart = take(capacity << 3);
  const freeEnd = take(capacity << 3);
  const freeNode = take(capacity << 2);
  // Runs per node; the pool holds node 0's runs first (from index 1: 0 is its null node), then
  // node 1's, and so on. Memory usually ascends node by node, and then address order is
  // already that order and the counting sort is skipped.
  const perNode = take(<usize>nDist << 2);
  zeroU32(perNode, nDist);
  let grouped = true;
  let lastNode: u32 = 0;
  let runs: u32 = 0;
  let j: u32 = 0;
  for (let i: u32 = 0; i < nRaw; i++) {
    const w = <usize>i * 3;
    const a = (wordU64(raw, w) + PAGE_MASK) >> PAGE_SHIFT;
    const b = wordU64(raw, w + 1) >> PAGE_SHIFT;
    const node = <u32>wordU64(raw, w + 2);
    if (a >= b) continue;
    // The node's span (its zones' bounds) covers its raw regions, reserved pages included.
    if (getU32(present, node) == 0) {
      setU32(present, node, 1);
      setU64(spanStart, node, a);
      setU64(spanEnd, node, b);
    } else {
      setU64(spanStart, node, minU64(getU64(spanStart, node), a));
      setU64(spanEnd, node, maxU64(getU64(spanEnd, node), b));
    }
    while (j < merged && getU64(resEnd, j) <= a) j++;
    const before = runs;
    let cur = a;
    for (let r = j; r < merged && getU64(resStart, r) < b; r++) {
      const rs = getU64(resStart, r);
      if (rs > cur) {
        setU64(freeStart, runs, cur);
        setU64(freeEnd, runs, rs);
        setU32(freeNode, runs++, node);
      }
      cur = maxU64(cur, getU64(resEnd, r));
      if (cur >= b) break;
    }
    if (cur < b) {
      setU64(freeStart, runs, cur);
      setU64(freeEnd, runs, b);
      setU32(freeNode, runs++, node);
    }
    if (runs > before) {
      setU32(perNode, node, getU32(perNode, node) + (runs - before));
      if (before > 0 && node < lastNode) grouped = false;
      lastNode = node;
    }
  }
  // Small platforms: every node's slice, with room for one split per PAMT, fits the flat
  // pool; the runs go in address order, which is each node's ascending order.
  const flatSlots = <u64>runs + <u64>nDist * <u64>maxAllocations;
  flat = flatSlots <= <u64>FLAT_RUNS_MAX;
  if (flat) {
    initFlatPool(nDist, <u32>flatSlots);
    for (let d: u32 = 0; d < nDist; d++) openFlat(d, getU32(perNode, d) + maxAllocations);
    for (let i: u32 = 0; i < runs; i++) appendFlat(getU32(freeNode, i), getU64(freeStart, i), getU64(freeEnd, i));
    return;
  }
  initRunPool(runs + maxAllocations);
  if (grouped) {
    for (let i: u32 = 0; i < runs; i++) newRun(getU64(freeStart, i), getU64(freeEnd, i));
  } else {
    const next = take(<usize>nDist << 2);
    let at: u32 = 0;
    for (let d: u32 = 0; d < nDist; d++) {
      setU32(next, d, at);
      at += getU32(perNode, d);
    }
    const slot = take(<usize>runs << 2);
    for (let i: u32 = 0; i < runs; i++) {
      const d = getU32(freeNode, i);
      const p = getU32(next, d);
      setU32(slot, p, i);
      setU32(next, d, p + 1);
    }
    for (let p: u32 = 0; p < runs; p++) {
      const i = getU32(slot, p);
      newRun(getU64(freeStart, i), getU64(freeEnd, i));
    }
  }
  let first: u32 = 1;
  for (let d: u32 = 0; d < nDist; d++) {
    const c = getU32(perNode, d);
    setU32(root, d, buildRuns(first, c));
    first += c;
  }
}

/** Nodes that own memory, by (distance from nid, node id): the zonelist's node order. */
function nodeOrder(nid: u32): void {
  if (orderNid == <i64>nid) return;
  orderNid = nid;
  orderLength = 0;
  const row = <usize>nid * <usize>nodeCount;
  for (let n: u32 = 0; n < nodeCount; n++) {
    if (getU32(present, n) == 0) continue;
    const dn = getF64(distance, row + n);
    // Insertion after every node that is nearer or equally near with a smaller id.
    let at = orderLength;
    while (at > 0 && getF64(distance, row + getU32(order, at - 1)) > dn) {
      setU32(order, at, getU32(order, at - 1));
      at--;
    }
    setU32(order, at, n);
    orderLength++;
  }
}

function allocInZone(node: u32, zone: u32, zs: u64, ze: u64, n: u64): u64 {
  // The kernel's ALIGN(zone_start_pfn, nr_pages), a mask even when n is no power of two.
  const pfn0 = (zs + (n - 1)) & ~(n - 1);
  const zoneKey = node * ZONES + zone + 1;
  const slot = <usize>(<u32>((n * 0x9e3779b97f4a7c15 + <u64>zoneKey * 0xc2b2ae3d27d4eb4f) >> 40) & cacheMask);
  let x = pfn0;
  if (getU32(cacheZone, slot) == zoneKey && getU64(cachePages, slot) == n) {
    x = maxU64(x, getU64(cacheResume, slot));
  } else {
    setU32(cacheZone, slot, zoneKey);
    setU64(cachePages, slot, n);
  }
  // x is a window of the progression (pfn0 or where the last window taken ended) until the
  // search moves it to a run's end.
  let onProgression = true;
  let tree = flat ? 0 : getU32(root, node);
  let from: u32 = 0; // flat form: runs before this one end at or before x
  for (;;) {
    const r = flat ? findFitFlat(node, x, n, from) : findFit(tree, x, n);
    if (r == 0) break;
    // The first window of the progression at or after both x and the run's start (no 64-bit
    // division when that is x itself, the common case).
    const rs = runStartOf(r);
    const q = rs <= x && onProgression ? x : pfn0 + ((maxU64(rs, x) - pfn0 + n - 1) / n) * n;
    // The kernel stops once a window's last page leaves the zone.
    if (q + n > ze) break;
    if (q + n <= runEndOf(r)) {
      if (flat) carveFlat(node, r, q, n);
      else setU32(root, node, carve(tree, r, q, n));
      setU64(cacheResume, slot, q + n);
      return q;
    }
    x = runEndOf(r);
    from = r + 1;
    onProgression = false;
  }
  setU64(cacheResume, slot, NO_PFN);
  return NO_PFN;
}

/** First pfn of nPages contiguous free pages, nearest node first, or NO_PFN. */
export function allocContig(nid: u32, nPages: u64): u64 {
  // n = 0: ALIGN gives pfn 0 and "last pfn" -1 is never inside a zone.
  if (nPages == 0) return NO_PFN;
  nodeOrder(nid);
  for (let i: u32 = 0; i < orderLength; i++) {
    const node = getU32(order, i);
    const s = getU64(spanStart, node);
    const e = getU64(spanEnd, node);
    for (let zone: u32 = 0; zone < ZONES; zone++) {
      let zs: u64;
      let ze: u64;
      if (zone == 0) {
        zs = maxU64(s, PFN_4G);
        ze = e;
      } else if (zone == 1) {
        zs = maxU64(s, PFN_16M);
        ze = minU64(e, PFN_4G);
      } else {
        zs = s;
        ze = minU64(e, PFN_16M);
      }
      if (zs >= ze) continue;
      const pfn = allocInZone(node, zone, zs, ze, nPages);
      if (pfn != NO_PFN) return pfn;
    }
  }
  return NO_PFN;
}
