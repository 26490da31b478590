// When has the module initialized TDX memory? (The fast engine; its oracle is
// src/reference/readiness.ts.) TDH.SYS.TDMR.INIT reports progress per 1 GiB of a TDMR, so each
// GiB of a TDMR is initialized once the call that completes it returns. The TDX memory inside
// that GiB (the memory list, not the TDMR's holes) is what counts. This is MODULE progress: no
// modeled kernel lets KVM create a TD before tdx_enable() returns (a policy that would says so
// with guestsBeforeEnableReturns), so "usable" below means usable by the module.
//
// This runs once per simulated platform (and so once per sweep row), so its cost is
// O(runs + thresholds), not O(GiB). The definition is one event per GiB k of a window's TDMR
// that holds memory, at time min(endUs, startUs + (k + 1) * perGiBUs), carrying the memory in
// that GiB; threshold i (fraction i/20) is reached at the time of the event at which the
// cumulative memory, in (time, event order) order, reaches (i/20) * total - 1e-6. The literal
// per-GiB version is src/reference/readiness.ts, and test/readiness.oracle.test.ts holds this
// one to it bit for bit.
//
// Here the events are never materialized. Walking the memory blocks that overlap a TDMR gives
// *runs*: consecutive GiBs of one window carrying the same bytes (a block's fully covered GiBs;
// a partial GiB at a block's end, after summing every block that lands in it). Where the runs
// lie does not depend on any time, so a run's layout (RunLayout) is made once and timed under
// each row's windows. A window's event times never decrease in k and are computed on demand
// with the exact expression above.
//  - Serial TDMR.INIT (every window's first event at or after the previous window's last: the
//    events in run order are in time order): which event reaches a threshold is a matter of
//    bytes alone, found once per layout; a timing computes its time.
//  - Parallel lanes (windows overlap in time): the threshold time is the smallest event time T
//    with C(T) >= need, C(T) = memory of all events at or before T. C(T) is exact in
//    O(windows + runs): the GiBs of a window whose events are at or before T are a prefix,
//    whose end is estimated by division and fixed up on the exact time expression. The search
//    tries the event that was the answer at the layout's previous timing and its neighbours
//    (a capacity sweep's neighbouring rows differ by a small cost change), then narrows the
//    time interval by probes and steps event time by event time.
// Byte counts are integers below 2^53, so every sum here is exact and order independent.
// Preconditions (what the simulator produces): memlist ascending and non-overlapping, integer
// addresses; startUs and endUs not NaN; perCallUs >= 0 and chunkBytes > 0 (so a window's event
// times never decrease with k).

import type { NodeRange } from '../construct/types.js';
import { SZ_1G } from '../construct/constants.js';

export interface Readiness {
  tdxMemoryBytes: number;
  p50Us: number;
  p90Us: number;
  p100Us: number;
  /** 21 points (fraction 0, 0.05, …, 1) of the readiness curve. */
  curve: { tUs: number; fraction: number }[];
}

/** The TDMR.INIT windows of a run, flat (model/clock.ts records them so): window i is entry i of each array. */
export interface InitWindows {
  count: number;
  base: readonly number[];
  size: readonly number[];
  startUs: readonly number[];
  endUs: readonly number[];
  perCallUs: readonly number[];
  chunkBytes: readonly number[];
}

/** InitWindow objects as flat windows. */
export function flatWindows(windows: readonly InitWindow[]): InitWindows {
  const col = (f: (w: InitWindow) => number) => windows.map(f);
  return {
    count: windows.length, base: col((w) => w.base), size: col((w) => w.size), startUs: col((w) => w.startUs),
    endUs: col((w) => w.endUs), perCallUs: col((w) => w.perCallUs), chunkBytes: col((w) => w.chunkBytes),
  };
}

/** One TDMR's TDH.SYS.TDMR.INIT calls: when, and over what range. */
export interface InitWindow {
  base: number;
  size: number;
  startUs: number;
  endUs: number;
  perCallUs: number;
  chunkBytes: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

const POINTS = 21;
/** Bisection stops once no run has more than this many events in (lo, hi]; then it steps. */
const STEP_EVENTS = 2;
/** At most this many event times are tried from a hint, one after another, before the search narrows by probes. */
const HINT_STEPS = 4;

/**
 * Where a run's TDX memory lies in its TDMR.INIT windows, without their times: what
 * readiness reads of a run that no cost changes. A run's time program (model/clock.ts) keeps
 * one and gives it the times of each row (readinessTimesOf). All but the hints is fixed when
 * the layout is made (runLayout).
 */
export interface RunLayout {
  /**
   * Runs: run r is the events of GiBs k[r] .. k[r] + n[r] - 1 of window w[r], each carrying b[r]
   * bytes. A window's runs are consecutive and in GiB order.
   */
  count: number;
  k: Float64Array;
  n: Float64Array;
  b: Float64Array;
  w: Float64Array;
  /** The TDX memory in the runs, bytes. */
  totalBytes: number;
  /**
   * Window groups: group g is runs groupStart[g] .. groupStart[g + 1] - 1, all of window
   * groupWindow[g], spanning its GiBs groupFrom[g] .. groupTo[g] - 1; runGroup[r] is run r's.
   */
  groups: number;
  groupStart: Int32Array;
  groupWindow: Int32Array;
  groupFrom: Float64Array;
  groupTo: Float64Array;
  runGroup: Int32Array;
  /**
   * The event (run, index in the run) of each point (1..20) when the events in run order are in
   * time order: which event reaches a fraction of the memory is then a matter of bytes alone.
   */
  serialRun: Int32Array;
  serialEvent: Float64Array;
  /**
   * The event of each point at the last timing with interleaved windows (run -1: none yet): the
   * first event the next timing tries. The search checks it like any probe, so a hint changes
   * how fast a result is found, never the result. The only part of a layout that changes.
   */
  hintRun: Int32Array;
  hintEvent: Float64Array;
}

// Runs being built (buildRuns), grown on demand: run r is GiBs rK[r] .. rK[r] + rN[r] - 1 of
// window rW[r], each carrying rB[r] bytes.
let cap = 0;
let rK = new Float64Array(0);
let rN = new Float64Array(0);
let rB = new Float64Array(0);
let rW = new Float64Array(0);
let built = 0;

function grow(): void {
  const next = Math.max(64, cap * 2);
  const fresh = (old: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
    const a = new Float64Array(next);
    a.set(old.subarray(0, built));
    return a;
  };
  rK = fresh(rK);
  rN = fresh(rN);
  rB = fresh(rB);
  rW = fresh(rW);
  cap = next;
}

// The window being expanded, and its partial GiB not yet complete (more blocks may land in it).
let winStart = 0;
let win = 0;
let pendK = -1;
let pendB = 0;

/**
 * Append GiBs k .. k + n - 1 of the current window, b bytes each, extending the window's
 * previous run when it is contiguous with the same bytes.
 */
function push(k: number, n: number, b: number): void {
  const p = built - 1;
  if (p >= winStart && rB[p] === b && rK[p] + rN[p] === k) {
    rN[p] += n;
    return;
  }
  if (built === cap) grow();
  rK[built] = k;
  rN[built] = n;
  rB[built] = b;
  rW[built] = win;
  built++;
}

/** Commit the pending partial GiB. */
function flush(): void {
  if (pendK >= 0) push(pendK, 1, pendB);
  pendK = -1;
}

/** b bytes of memory in GiB k, which may already hold some (blocks arrive in address order). */
function partial(k: number, b: number): void {
  if (k === pendK) {
    pendB += b;
    return;
  }
  flush();
  pendK = k;
  pendB = b;
}

/** The runs of windows over memlist into rK, rN, rB, rW (built of them). */
function buildRuns(memlist: NodeRange[], windows: InitWindows): void {
  built = 0;
  for (let wi = 0; wi < windows.count; wi++) {
    const first = windows.base[wi];
    const count = Math.ceil(windows.size[wi] / SZ_1G);
    if (!(count > 0)) continue;
    const last = first + count * SZ_1G; // the GiBs span [first, last), past the TDMR if ragged
    winStart = built;
    win = wi;
    pendK = -1;
    pendB = 0;
    // The first block ending after this TDMR's base, as the reference finds it.
    let lo = 0;
    let hi = memlist.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (memlist[mid].end <= first) lo = mid + 1;
      else hi = mid;
    }
    for (let bi = lo; bi < memlist.length && memlist[bi].start < last; bi++) {
      const s = Math.max(memlist[bi].start, first) - first;
      const e = Math.min(memlist[bi].end, last) - first;
      if (e <= s) continue;
      const ks = Math.floor(s / SZ_1G);
      const ke = Math.floor((e - 1) / SZ_1G); // the GiB holding the block's last byte
      if (ks === ke) {
        partial(ks, e - s);
        continue;
      }
      let fullFrom = ks;
      if (s !== ks * SZ_1G) {
        partial(ks, (ks + 1) * SZ_1G - s);
        fullFrom = ks + 1;
      }
      const tailB = e - ke * SZ_1G;
      const fullTo = tailB === SZ_1G ? ke + 1 : ke; // exclusive
      if (fullTo > fullFrom) {
        flush();
        push(fullFrom, fullTo - fullFrom, SZ_1G);
      }
      if (tailB !== SZ_1G) partial(ke, tailB);
    }
    flush();
  }
}

/** The run layout of windows (their ranges and chunk sizes; times are not read) over memlist. */
export function runLayout(memlist: NodeRange[], windows: InitWindows): RunLayout {
  buildRuns(memlist, windows);
  const n = built;
  const layout: RunLayout = {
    count: n, k: rK.slice(0, n), n: rN.slice(0, n), b: rB.slice(0, n), w: rW.slice(0, n),
    totalBytes: 0, groups: 0, groupStart: new Int32Array(n + 1), groupWindow: new Int32Array(n),
    groupFrom: new Float64Array(n), groupTo: new Float64Array(n), runGroup: new Int32Array(n),
    serialRun: new Int32Array(POINTS), serialEvent: new Float64Array(POINTS),
    hintRun: new Int32Array(POINTS).fill(-1), hintEvent: new Float64Array(POINTS),
  };
  analyze(layout, ALL_POINTS);
  return layout;
}

// The layout readinessTimes() times: the runs just built, in place, with no hints.
const scratch: RunLayout = {
  count: 0, k: rK, n: rN, b: rB, w: rW, totalBytes: 0,
  groups: 0, groupStart: new Int32Array(1), groupWindow: new Int32Array(0), groupFrom: new Float64Array(0), groupTo: new Float64Array(0), runGroup: new Int32Array(0),
  serialRun: new Int32Array(POINTS), serialEvent: new Float64Array(POINTS),
  hintRun: new Int32Array(POINTS).fill(-1), hintEvent: new Float64Array(POINTS),
};

/** The scratch layout of windows over memlist, to be timed at `points`. */
function scratchLayout(memlist: NodeRange[], windows: InitWindows, points: readonly number[]): RunLayout {
  buildRuns(memlist, windows);
  const l = scratch;
  l.count = built;
  l.k = rK;
  l.n = rN;
  l.b = rB;
  l.w = rW;
  if (l.runGroup.length < built) {
    l.groupStart = new Int32Array(cap + 1);
    l.groupWindow = new Int32Array(cap);
    l.groupFrom = new Float64Array(cap);
    l.groupTo = new Float64Array(cap);
    l.runGroup = new Int32Array(cap);
  }
  for (let j = 0; j < points.length; j++) l.hintRun[points[j]] = -1;
  analyze(l, points);
  return l;
}

/** A layout's facts that follow from its runs: total, window groups, and the serial events of `points` (increasing, in 1..20). */
function analyze(l: RunLayout, points: readonly number[]): void {
  const { count, k, n, b, w } = l;
  let total = 0;
  let groups = 0;
  for (let r = 0; r < count; r++) {
    total += n[r] * b[r];
    if (r === 0 || w[r] !== w[r - 1]) {
      l.groupStart[groups] = r;
      l.groupWindow[groups] = w[r];
      l.groupFrom[groups] = k[r];
      groups++;
    }
    l.groupTo[groups - 1] = k[r] + n[r];
    l.runGroup[r] = groups - 1;
  }
  l.groupStart[groups] = count;
  l.groups = groups;
  l.totalBytes = total;
  // Events in run order: a point's is the first whose running sum reaches its share.
  let acc = 0;
  let j = 0;
  for (let r = 0; r < count && j < points.length; r++) {
    const br = b[r];
    const nr = n[r];
    const end = acc + nr * br;
    for (; j < points.length; j++) {
      const p = points[j];
      const q = (p / 20) * total - 1e-6;
      if (end < q) break;
      // Smallest i with acc + (i + 1) * br >= q.
      let i = Math.ceil((q - acc) / br) - 1;
      if (!(i >= 0)) i = 0;
      else if (i > nr - 1) i = nr - 1;
      while (i > 0 && acc + i * br >= q) i--;
      while (acc + (i + 1) * br < q) i++;
      l.serialRun[p] = r;
      l.serialEvent[p] = i;
    }
    acc = end;
  }
}

/** The whole readiness curve: every 5% point, 50%, 90% and 100%. */
export function readiness(memlist: NodeRange[], windows: InitWindows): Readiness | null {
  const times = readinessTimes(memlist, windows, ALL_POINTS);
  if (!times) return null;
  const { at, totalBytes } = times;
  const curve: { tUs: number; fraction: number }[] = new Array(POINTS);
  for (let i = 0; i < POINTS; i++) curve[i] = { tUs: at[i], fraction: i / 20 };
  return { tdxMemoryBytes: totalBytes, p50Us: at[10], p90Us: at[18], p100Us: at[20], curve };
}

const ALL_POINTS: readonly number[] = Array.from({ length: POINTS - 1 }, (_, i) => i + 1);
/** The two points a sweep row reports: 50% and 100%. */
export const SWEEP_POINTS: readonly number[] = [10, 20];

/**
 * The times at which fractions points[j] / 20 of TDX memory are usable (points increasing, in
 * 1..20), in a 21-slot array indexed by point (slot 0: the first TDMR.INIT start; slots not
 * asked for stay 0), and the TDX memory in the windows; null when there is none. The full curve costs about ten
 * times what a sweep row needs: two points.
 */
export function readinessTimes(
  memlist: NodeRange[],
  windows: InitWindows,
  points: readonly number[],
): { at: number[]; totalBytes: number } | null {
  const at: number[] = new Array<number>(POINTS).fill(0);
  const layout = scratchLayout(memlist, windows, points);
  timesOf(layout, windows, points, at);
  return layout.totalBytes === 0 ? null : { at, totalBytes: layout.totalBytes };
}

/**
 * readinessTimes() of windows whose ranges gave `layout` (runLayout), at these windows' times,
 * into `at` (21 slots: slot 0 and the points'; the others are not written); returns the TDX
 * memory in the windows (0: none, `at` is then not written). Allocates nothing (once its
 * scratch has grown); updates the layout's hints.
 */
export function readinessTimesOf(layout: RunLayout, windows: InitWindows, points: readonly number[], at: number[]): number {
  timesOf(layout, windows, points, at);
  // Read from the layout rather than returned by timesOf: a double returned by a call V8 does
  // not inline is a heap allocation.
  return layout.totalBytes;
}

// The layout being timed (timesOf sets these): its runs and groups, read in place, and per
// window group its window's start gS, end gE and per-GiB time gP, and its first and last event
// times.
let runs = 0;
let cK: Float64Array = rK;
let cN: Float64Array = rN;
let cB: Float64Array = rB;
let cG: Int32Array = scratch.runGroup;
let groupCap = 0;
let gS = new Float64Array(0);
let gE = new Float64Array(0);
let gP = new Float64Array(0);
let gFrom: Float64Array = scratch.groupFrom;
let gTo: Float64Array = scratch.groupTo;
let gFirst = new Float64Array(0);
let gLast = new Float64Array(0);
// Per group, where its GiBs before the time cumulateAt() counted at end; and their memory (a
// double kept out of a return value: a double returned by a call V8 does not inline is a heap
// allocation).
let gBefore = new Float64Array(0);
const beforeBytes = new Float64Array(1);
// Per-run event counts at or before lo, hi and a probe time, and counts no one reads (the search's scratch).
let countCap = 0;
let cntLo = new Float64Array(0);
let cntHi = new Float64Array(0);
let cntMid = new Float64Array(0);
let cntAlt = new Float64Array(0);

function growGroups(n: number): void {
  groupCap = Math.max(16, n, groupCap * 2);
  gS = new Float64Array(groupCap);
  gE = new Float64Array(groupCap);
  gP = new Float64Array(groupCap);
  gFirst = new Float64Array(groupCap);
  gLast = new Float64Array(groupCap);
  gBefore = new Float64Array(groupCap);
}

function growCounts(n: number): void {
  countCap = Math.max(64, n, countCap * 2);
  cntLo = new Float64Array(countCap);
  cntHi = new Float64Array(countCap);
  cntMid = new Float64Array(countCap);
  cntAlt = new Float64Array(countCap);
}

/** The counts at a probe (cntMid) become the counts at lo. */
function swapLoMid(): void {
  const t = cntLo;
  cntLo = cntMid;
  cntMid = t;
}

/** The time of the event of GiB kk of a window (start s, end e, per-GiB time p): the reference's expression. */
function eventAt(s: number, e: number, p: number, kk: number): number {
  return Math.min(e, s + (kk + 1) * p);
}

/** A window's time per GiB of TDMR.INIT, as the reference computes it. */
function perGiBUs(chunkBytes: number, perCallUs: number): number {
  return (SZ_1G / chunkBytes) * perCallUs;
}

/** Time of event i of run r. */
function timeOf(r: number, i: number): number {
  const g = cG[r];
  return eventAt(gS[g], gE[g], gP[g], cK[r] + i);
}

/**
 * The first GiB in [from, to) of group g whose event is after T (to: none). Its events never
 * decrease with the GiB, so those at or before T are a prefix.
 */
function prefixEnd(g: number, from: number, to: number, T: number): number {
  if (eventAt(gS[g], gE[g], gP[g], from) > T) return from;
  if (eventAt(gS[g], gE[g], gP[g], to - 1) <= T) return to;
  return prefixInside(g, from, to, T);
}

/** prefixEnd() when the event of GiB `from` is at or before T and that of GiB to - 1 after it. */
function prefixInside(g: number, from: number, to: number, T: number): number {
  const s = gS[g];
  const e = gE[g];
  const p = gP[g];
  // Now endUs > T and perGiBUs > 0: the answer is the number of GiBs kk with startUs + (kk + 1)
  // * perGiBUs <= T, up to rounding. Estimate it, then check exactly.
  let c = Math.floor((T - s) / p);
  if (!(c > from)) c = from + 1;
  else if (c > to - 1) c = to - 1;
  if (eventAt(s, e, p, c) > T) {
    if (eventAt(s, e, p, c - 1) <= T) return c;
    return prefixSearch(g, from + 1, c - 1, T);
  }
  if (c + 1 >= to || eventAt(s, e, p, c + 1) > T) return c + 1;
  return prefixSearch(g, c + 2, to - 1, T);
}

/**
 * The estimate was far off (times rounding to a plateau): binary search for the first GiB in
 * [lo, hi] whose event is after T, given that GiB lo - 1's is not and GiB hi's is.
 */
function prefixSearch(g: number, lo: number, hi: number, T: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (eventAt(gS[g], gE[g], gP[g], mid) > T) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Number of events of run r at or before T. */
function countLE(r: number, T: number): number {
  return prefixEnd(cG[r], cK[r], cK[r] + cN[r], T) - cK[r];
}

// x's bits, for below().
const bits = new DataView(new ArrayBuffer(8));

/**
 * The largest double below x (x not NaN, not -Infinity). Event times are doubles, so the
 * events before T are exactly those at or before below(T).
 */
export function below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  bits.setFloat64(0, x);
  let hi = bits.getUint32(0);
  let lo = bits.getUint32(4);
  // Sign and magnitude: a positive x shrinks, a negative one grows, by one unit in the last place.
  if (x > 0) {
    if (lo === 0) hi -= 1;
    lo = (lo - 1) >>> 0;
  } else {
    if (lo === 0xffffffff) hi += 1;
    lo = (lo + 1) >>> 0;
  }
  bits.setUint32(0, hi);
  bits.setUint32(4, lo);
  return bits.getFloat64(0);
}

/** The counts of runs from .. to - 1 (one group's) whose GiBs before `end` have events at or before some time, into cnt; returns their memory. */
function countGroup(end: number, cnt: Float64Array, from: number, to: number): number {
  let bytes = 0;
  for (let r = from; r < to; r++) {
    const c = Math.min(Math.max(end - cK[r], 0), cN[r]);
    cnt[r] = c;
    bytes += c * cB[r];
  }
  return bytes;
}

/** C(T): memory of all events at or before T; each run's count goes into cnt. */
function cumulate(T: number, cnt: Float64Array, l: RunLayout): number {
  const gs = l.groupStart;
  let bytes = 0;
  for (let g = 0; g < l.groups; g++) {
    const end = gFirst[g] > T ? gFrom[g] : gLast[g] <= T ? gTo[g] : prefixInside(g, gFrom[g], gTo[g], T);
    bytes += countGroup(end, cnt, gs[g], gs[g + 1]);
  }
  return bytes;
}

/**
 * C(t), with each run's count at or before t in cnt; C(before t) goes into beforeBytes[0], and
 * where each group's GiBs before t end into gBefore (countBefore() makes them counts). They
 * differ only in a window with an event at t.
 */
function cumulateAt(t: number, cnt: Float64Array, l: RunLayout): number {
  const gs = l.groupStart;
  let bytes = 0;
  let atT = 0;
  for (let g = 0; g < l.groups; g++) {
    const from = gFrom[g];
    const end = gFirst[g] > t ? from : gLast[g] <= t ? gTo[g] : prefixInside(g, from, gTo[g], t);
    const upTo = countGroup(end, cnt, gs[g], gs[g + 1]);
    bytes += upTo;
    // The GiBs before t: all of the prefix but its events at t (usually one, the last).
    let before = end;
    if (end > from && eventAt(gS[g], gE[g], gP[g], end - 1) === t) {
      before = end - 1;
      if (before > from && eventAt(gS[g], gE[g], gP[g], before - 1) === t) before = prefixEnd(g, from, before, below(t));
      atT += upTo - countGroup(before, cntAlt, gs[g], gs[g + 1]);
    }
    gBefore[g] = before;
  }
  beforeBytes[0] = bytes - atT;
  return bytes;
}

/** The per-run counts of the events before the time cumulateAt() counted at, into cnt. */
function countBefore(cnt: Float64Array, l: RunLayout): void {
  const gs = l.groupStart;
  for (let g = 0; g < l.groups; g++) countGroup(gBefore[g], cnt, gs[g], gs[g + 1]);
}

/** The readiness times of a layout at windows' times, into `at` (not set when the runs hold no memory). */
function timesOf(l: RunLayout, windows: InitWindows, points: readonly number[], at: number[]): void {
  if (l.totalBytes === 0) return;
  runs = l.count;
  cK = l.k;
  cN = l.n;
  cB = l.b;
  cG = l.runGroup;
  gFrom = l.groupFrom;
  gTo = l.groupTo;
  if (groupCap < l.groups) growGroups(l.groups);
  const { startUs, endUs, perCallUs, chunkBytes } = windows;
  // A window's first and last events bound its runs': the events in run order are in time
  // order when no window's first event is before the previous window's last.
  let sorted = true;
  let lastT = -Infinity;
  let start = Infinity;
  for (let g = 0; g < l.groups; g++) {
    const w = l.groupWindow[g];
    const s = startUs[w];
    const e = endUs[w];
    const p = perGiBUs(chunkBytes[w], perCallUs[w]);
    gS[g] = s;
    gE[g] = e;
    gP[g] = p;
    gFirst[g] = eventAt(s, e, p, gFrom[g]);
    gLast[g] = eventAt(s, e, p, gTo[g] - 1);
    if (gFirst[g] < lastT) sorted = false;
    lastT = gLast[g];
    start = Math.min(start, s);
  }
  if (sorted) {
    for (let j = 0; j < points.length; j++) {
      const p = points[j];
      at[p] = r3(timeOf(l.serialRun[p], l.serialEvent[p]));
    }
  } else {
    interleaved(l, points, at);
  }
  // The first start of all windows; every window is a group's unless some hold no memory.
  if (l.groups !== windows.count) for (let i = 0; i < windows.count; i++) start = Math.min(start, startUs[i]);
  at[0] = r3(start);
}

/**
 * Interleaved lanes (windows overlap in time): point p is at the smallest event time T with
 * C(T) >= need, need = (p / 20) * total - 1e-6, that is the event time t with C(before t) <
 * need <= C(t). The search keeps C(lo) < need <= C(hi). It tries the layout's hint first and
 * the event times next to it, then narrows (lo, hi] by probes and steps event time by event
 * time (narrowAndStep). Every probe keeps the invariant and an answer is checked exactly, so
 * the probes decide only the speed. Points increase, so each search starts from the previous
 * answer, whose per-run counts stay in cntLo.
 */
function interleaved(l: RunLayout, points: readonly number[], at: number[]): void {
  if (countCap < runs) growCounts(runs);
  // The first and last event (a window's first and last bound its runs').
  let minT = Infinity;
  let minRun = 0;
  let maxT = -Infinity;
  for (let g = 0; g < l.groups; g++) {
    if (gFirst[g] < minT) {
      minT = gFirst[g];
      minRun = l.groupStart[g];
    }
    if (gLast[g] > maxT) maxT = gLast[g];
  }
  const total = l.totalBytes;
  // lo starts below every event (C(lo) = 0); after a point, it is that point's answer, the
  // event (loRun, loEvent). cntLo holds the counts at lo once lo is an event time (a hint's,
  // the first event's or an answer's) and is read only then.
  let lo = -Infinity;
  let loBytes = 0;
  let loRun = -1;
  let loEvent = 0;
  for (let j = 0; j < points.length; j++) {
    const pt = points[j];
    const q = (pt / 20) * total - 1e-6;
    if (loBytes >= q) {
      at[pt] = r3(lo);
      l.hintRun[pt] = loRun;
      l.hintEvent[pt] = loEvent;
      continue;
    }
    if (pt === POINTS - 1) {
      // All of the memory: bytes are whole (every run carries at least 1 per event), so no
      // time before the last event reaches total - 1e-6, and the answer is the last event.
      at[pt] = r3(maxT);
      continue;
    }
    let hi = maxT;
    let hiBytes = total;
    let hiCounted = false; // cntHi holds the counts at hi (else hi is maxT: every event)
    let found = false;
    // The event tried: the hint (the answer last time), then the event times next to it,
    // towards the answer: the first after lo, or the last before the one tried.
    let tRun = l.hintRun[pt];
    let tEvent = l.hintEvent[pt];
    let t = tRun >= 0 ? timeOf(tRun, tEvent) : NaN;
    for (let tries = 0; tries < HINT_STEPS && t > lo && t <= hi; tries++) {
      const upTo = cumulateAt(t, cntMid, l);
      if (upTo < q) {
        lo = t;
        loBytes = upTo;
        swapLoMid();
        t = Infinity;
        for (let r = 0; r < runs; r++) {
          const next = cntLo[r] < cN[r] ? timeOf(r, cntLo[r]) : Infinity;
          if (next < t) {
            t = next;
            tRun = r;
            tEvent = cntLo[r];
          }
        }
        continue;
      }
      const before = beforeBytes[0];
      if (before < q) {
        lo = t;
        loBytes = upTo;
        swapLoMid();
        found = true;
        break;
      }
      countBefore(cntHi, l);
      hiCounted = true;
      t = -Infinity;
      for (let r = 0; r < runs; r++) {
        const last = cntHi[r] > 0 ? timeOf(r, cntHi[r] - 1) : -Infinity;
        if (last > t) {
          t = last;
          tRun = r;
          tEvent = cntHi[r] - 1;
        }
      }
      // The events before the one tried end with this one: C(t) = before.
      hi = t;
      hiBytes = before;
    }
    // The first event: when its memory is enough, no event is earlier.
    if (!found && lo < minT) {
      const c = cumulate(minT, cntMid, l);
      lo = minT;
      loBytes = c;
      swapLoMid();
      if (c >= q) {
        tRun = minRun;
        tEvent = 0;
        found = true;
      }
    }
    if (!found) {
      if (!hiCounted) for (let r = 0; r < runs; r++) cntHi[r] = cN[r];
      tRun = narrowAndStep(l, q, lo, loBytes, hi, hiBytes);
      lo = stepped[0];
      loBytes = stepped[1];
      tEvent = stepped[2];
    }
    at[pt] = r3(lo);
    loRun = tRun;
    loEvent = tEvent;
    l.hintRun[pt] = tRun;
    l.hintEvent[pt] = tEvent;
  }
}

// narrowAndStep()'s answer: its time, C at that time, and the index of its event in its run.
const stepped = new Float64Array(3);

/**
 * The smallest event time T in (lo, hi] with C(T) >= q, given C(lo) = loBytes < q <= C(hi) =
 * hiBytes and the per-run counts at lo and hi in cntLo and cntHi (cntLo ends as the counts at
 * T). Returns the run of an event at T; T, C(T) and that event's index go into `stepped`.
 */
function narrowAndStep(l: RunLayout, q: number, lo: number, loBytes: number, hi: number, hiBytes: number): number {
  // The longest time between two events of a run.
  let spacing = 0;
  for (let g = 0; g < l.groups; g++) spacing = Math.max(spacing, gP[g]);
  // Narrow (lo, hi] until every run has at most STEP_EVENTS events in there (or lo and hi are
  // adjacent doubles). The first probe is where C would reach q were it linear in between, the
  // second that estimate's distance plus one event spacing further, which brackets the answer
  // closely when memory becomes usable at an even pace; then bisection.
  let loMoved = false;
  for (let probe = 0; ; probe++) {
    let gap = 0;
    for (let r = 0; r < runs; r++) gap = Math.max(gap, cntHi[r] - cntLo[r]);
    if (gap <= STEP_EVENTS) break;
    const perByte = (hi - lo) / (hiBytes - loBytes);
    let mid = probe === 0
      ? lo + (q - loBytes) * perByte
      : probe === 1
        ? loMoved ? lo + (q - loBytes) * perByte + spacing : hi - (hiBytes - q) * perByte - spacing
        : lo + (hi - lo) / 2;
    if (!(mid > lo && mid < hi)) mid = lo + (hi - lo) / 2;
    if (!(mid > lo && mid < hi)) break;
    const c = cumulate(mid, cntMid, l);
    const t = cntMid;
    if (c >= q) {
      hi = mid;
      hiBytes = c;
      loMoved = false;
      cntMid = cntHi;
      cntHi = t;
    } else {
      lo = mid;
      loBytes = c;
      loMoved = true;
      cntMid = cntLo;
      cntLo = t;
    }
  }
  // Step through the event times in (lo, hi] in order, a k-way merge of the runs: take the
  // earliest next time m, move every run past its events at m, until the memory reaches q.
  let acc = loBytes;
  let atRun = -1;
  for (;;) {
    let m = Infinity;
    for (let r = 0; r < runs; r++) {
      if (cntLo[r] < cntHi[r]) {
        const t = timeOf(r, cntLo[r]);
        if (t < m) m = t;
      }
    }
    // Cannot happen while C(lo) < q <= C(hi); fail loudly rather than loop.
    if (!(m > lo && m <= hi)) throw new Error(`readiness: no event time in (${lo}, ${hi}]`);
    atRun = -1;
    for (let r = 0; r < runs; r++) {
      if (cntLo[r] < cntHi[r] && timeOf(r, cntLo[r]) === m) {
        if (atRun < 0) {
          atRun = r;
          stepped[2] = cntLo[r];
        }
        const c = countLE(r, m);
        acc += (c - cntLo[r]) * cB[r];
        cntLo[r] = c;
      }
    }
    lo = m;
    if (acc >= q) break;
  }
  stepped[0] = lo;
  stepped[1] = acc;
  return atRun;
}
