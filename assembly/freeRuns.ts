// Free page runs of one NUMA node as a treap in flat arrays: ordered by start, each node
// augmented with the longest run in its subtree. The allocator model asks one question over
// and over: "the leftmost run that ends after x and is at least n pages long". With the
// augmentation that is one root-to-leaf descent instead of the kernel's walk over every pfn.
//
// Runs of one tree are disjoint, so ordering by start also orders the ends. Index 0 is the
// null node (length 0), which lets the augmentation read children without branching.
//
// Small platforms use a flat form instead (see the end of this file): each node's runs as an
// ascending slice of the same runStart/runEnd arrays, scanned and shifted in place. A few
// dozen runs are scanned faster than a treap is built and descended; both forms answer the
// same question with the same run.

import { take } from './arena';
import { getU32, getU64, maxU64, setU32, setU64, zeroU32 } from './mem';

let runStart: usize = 0;
let runEnd: usize = 0;
let subtreeMax: usize = 0;
let left: usize = 0;
let right: usize = 0;
let priority: usize = 0;
let used: u32 = 0;
let rng: u32 = 0;

/** A pool for `capacity` runs (the null node comes on top). */
export function initRunPool(capacity: u32): void {
  const n = <usize>capacity + 1;
  runStart = take(n << 3);
  runEnd = take(n << 3);
  subtreeMax = take(n << 3);
  left = take(n << 2);
  right = take(n << 2);
  priority = take(n << 2);
  setU64(runStart, 0, 0);
  setU64(runEnd, 0, 0);
  setU64(subtreeMax, 0, 0);
  setU32(left, 0, 0);
  setU32(right, 0, 0);
  setU32(priority, 0, 0);
  used = 1;
  // The layout never depends on priorities, only the speed does; a fixed seed keeps runs
  // reproducible when profiling.
  rng = 0x9e3779b9;
}

@inline function nextPriority(): u32 {
  let x = rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rng = x;
  return x;
}

@inline export function runStartOf(t: u32): u64 {
  return getU64(runStart, t);
}

@inline export function runEndOf(t: u32): u64 {
  return getU64(runEnd, t);
}

@inline export function longestRun(t: u32): u64 {
  return getU64(subtreeMax, t);
}

@inline function pull(t: u32): void {
  const own = getU64(runEnd, t) - getU64(runStart, t);
  setU64(
    subtreeMax,
    t,
    maxU64(own, maxU64(getU64(subtreeMax, getU32(left, t)), getU64(subtreeMax, getU32(right, t)))),
  );
}

/**
 * A detached node for [start, end); returns its index. Its priority is random below 2^31, so
 * it sinks below every node of the initial layout (see buildRuns) and the runs carved later
 * form random treaps in the gaps they fall into.
 */
export function newRun(start: u64, end: u64): u32 {
  const t = used++;
  setU64(runStart, t, start);
  setU64(runEnd, t, end);
  setU64(subtreeMax, t, end - start);
  setU32(left, t, 0);
  setU32(right, t, 0);
  setU32(priority, t, nextPriority() >>> 1);
  return t;
}

/** Top of the priorities of the initial layout: a node at depth d gets INITIAL_TOP - d. */
const INITIAL_TOP: u32 = u32.MAX_VALUE;

/**
 * The perfectly balanced treap over the detached nodes first .. first+count-1, already in
 * ascending order; returns its root. Priorities fall with depth, all above the carved runs',
 * so the heap order holds and a search starts log2(count) deep rather than a random treap's
 * ~1.4 log2(count). The layout never depends on priorities, only the speed does.
 */
export function buildRuns(first: u32, count: u32): u32 {
  return balanced(first, first + count, 0);
}

function balanced(lo: u32, hi: u32, depth: u32): u32 {
  if (lo >= hi) return 0;
  if (hi - lo == 1) {
    // A leaf: newRun left it without children and with its own length as the maximum.
    setU32(priority, lo, INITIAL_TOP - depth);
    return lo;
  }
  const mid = lo + ((hi - lo) >> 1);
  setU32(left, mid, balanced(lo, mid, depth + 1));
  setU32(right, mid, balanced(mid + 1, hi, depth + 1));
  setU32(priority, mid, INITIAL_TOP - depth);
  pull(mid);
  return mid;
}

/** Leftmost run with end > x and length >= n, or 0. */
export function findFit(t: u32, x: u64, n: u64): u32 {
  // Where the subtree straddles x only one path does; a subtree wholly after x is answered
  // by its augmentation, so the search stays one descent deep.
  while (t != 0 && getU64(subtreeMax, t) >= n) {
    if (getU64(runEnd, t) <= x) {
      t = getU32(right, t);
      continue;
    }
    const l = findFit(getU32(left, t), x, n);
    if (l != 0) return l;
    if (getU64(runEnd, t) - getU64(runStart, t) >= n) return t;
    t = getU32(right, t);
  }
  return 0;
}

function rotateRight(t: u32): u32 {
  const l = getU32(left, t);
  setU32(left, t, getU32(right, l));
  setU32(right, l, t);
  pull(t);
  pull(l);
  return l;
}

function rotateLeft(t: u32): u32 {
  const r = getU32(right, t);
  setU32(right, t, getU32(left, r));
  setU32(left, r, t);
  pull(t);
  pull(r);
  return r;
}

function insert(t: u32, k: u32): u32 {
  if (t == 0) return k;
  if (getU64(runStart, k) < getU64(runStart, t)) {
    const l = insert(getU32(left, t), k);
    setU32(left, t, l);
    if (getU32(priority, l) > getU32(priority, t)) return rotateRight(t);
  } else {
    const r = insert(getU32(right, t), k);
    setU32(right, t, r);
    if (getU32(priority, r) > getU32(priority, t)) return rotateLeft(t);
  }
  pull(t);
  return t;
}

/** Joins two treaps whose keys are all smaller in `a` than in `b`. */
function join(a: u32, b: u32): u32 {
  if (a == 0) return b;
  if (b == 0) return a;
  if (getU32(priority, a) > getU32(priority, b)) {
    setU32(right, a, join(getU32(right, a), b));
    pull(a);
    return a;
  }
  setU32(left, b, join(a, getU32(left, b)));
  pull(b);
  return b;
}

function remove(t: u32, key: u64): u32 {
  const s = getU64(runStart, t);
  if (key == s) return join(getU32(left, t), getU32(right, t));
  if (key < s) setU32(left, t, remove(getU32(left, t), key));
  else setU32(right, t, remove(getU32(right, t), key));
  pull(t);
  return t;
}

/** Re-derives the augmentation on the path to the run starting at `key` after it shrank. */
function refresh(t: u32, key: u64): void {
  const s = getU64(runStart, t);
  if (key < s) refresh(getU32(left, t), key);
  else if (key > s) refresh(getU32(right, t), key);
  pull(t);
}

/** Takes [q, q+n) out of run r (which contains it); returns the tree's new root. */
export function carve(root: u32, r: u32, q: u64, n: u64): u32 {
  const s = getU64(runStart, r);
  const e = getU64(runEnd, r);
  const qe = q + n;
  if (q == s && qe == e) return remove(root, s);
  if (q == s) {
    // Moving the start within [s, e) keeps the order, so the node stays where it is.
    setU64(runStart, r, qe);
    refresh(root, qe);
    return root;
  }
  setU64(runEnd, r, q);
  if (qe == e) {
    refresh(root, s);
    return root;
  }
  // The new run's key lies between r's start and its successor's, so its insertion path
  // passes through r and pulls r and every ancestor: no separate refresh for r's new end.
  return insert(root, newRun(qe, e));
}

// Flat form: node d's runs ascend at pool indexes flatFirst[d] .. flatFirst[d]+flatCount[d]-1,
// with room up to flatLimit[d] (its runs plus one split per PAMT that may still be carved).

let flatFirst: usize = 0; // u32 per node
let flatCount: usize = 0; // u32 per node
let flatLimit: usize = 0; // u32 per node: one past the slice's room

/** A pool of `capacity` flat slots for nDist nodes (index 0 stays unused: 0 means "none"). */
export function initFlatPool(nDist: u32, capacity: u32): void {
  const n = <usize>capacity + 1;
  runStart = take(n << 3);
  runEnd = take(n << 3);
  flatFirst = take(<usize>nDist << 2);
  flatCount = take(<usize>nDist << 2);
  flatLimit = take(<usize>nDist << 2);
  zeroU32(flatCount, nDist);
  used = 1;
}

/** Gives node d a slice with room for `room` runs (call in node order before appending). */
export function openFlat(d: u32, room: u32): void {
  setU32(flatFirst, d, used);
  used += room;
  setU32(flatLimit, d, used);
}

/** Appends [start, end) to node d's slice (runs come in ascending order). */
export function appendFlat(d: u32, start: u64, end: u64): void {
  const i = getU32(flatFirst, d) + getU32(flatCount, d);
  setU64(runStart, i, start);
  setU64(runEnd, i, end);
  setU32(flatCount, d, getU32(flatCount, d) + 1);
}

/**
 * findFit over node d's slice: leftmost run with end > x and length >= n, or 0. `from` (a
 * pool index, 0 for the slice's start) skips runs the caller knows end at or before x.
 */
export function findFitFlat(d: u32, x: u64, n: u64, from: u32): u32 {
  const first = getU32(flatFirst, d);
  const last = first + getU32(flatCount, d);
  // Ends ascend: the runs ending after x are a suffix, found by bisection.
  let lo = max(first, from);
  let hi = last;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (getU64(runEnd, mid) <= x) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < last; i++) {
    if (getU64(runEnd, i) - getU64(runStart, i) >= n) return i;
  }
  return 0;
}

/** carve over node d's slice: takes [q, q+n) out of run r, which contains it. */
export function carveFlat(d: u32, r: u32, q: u64, n: u64): void {
  const s = getU64(runStart, r);
  const e = getU64(runEnd, r);
  const qe = q + n;
  const count = getU32(flatCount, d);
  const last = getU32(flatFirst, d) + count;
  if (q == s && qe == e) {
    for (let i = r; i + 1 < last; i++) {
      setU64(runStart, i, getU64(runStart, i + 1));
      setU64(runEnd, i, getU64(runEnd, i + 1));
    }
    setU32(flatCount, d, count - 1);
    return;
  }
  if (q == s) {
    setU64(runStart, r, qe);
    return;
  }
  setU64(runEnd, r, q);
  if (qe == e) return;
  // Each carve splits at most one run, and the slice has room for one split per PAMT.
  if (last >= getU32(flatLimit, d)) abort('construct kernel: flat run slice overflow');
  for (let i = last; i > r + 1; i--) {
    setU64(runStart, i, getU64(runStart, i - 1));
    setU64(runEnd, i, getU64(runEnd, i - 1));
  }
  setU64(runStart, r + 1, qe);
  setU64(runEnd, r + 1, e);
  setU32(flatCount, d, count + 1);
}
