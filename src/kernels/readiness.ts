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
// a partial GiB at a block's end, after summing every block that lands in it). A run's event
// times are nondecreasing in k and computed on demand with the exact expression above.
//  - Serial TDMR.INIT (events already in time order): one walk over the runs; the event of a
//    run that crosses a threshold is found by division, then fixed up with exact integer
//    comparisons.
//  - Parallel lanes (windows overlap in time): the threshold time is the smallest event time T
//    with C(T) >= need, C(T) = memory of all events at or before T. C(T) is exact in O(runs): a
//    run's count of events at or before T is estimated by division and fixed up on the exact
//    time expression. T is bisected over doubles until few events remain in (lo, hi], then
//    stepped event time by event time.
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

// Run storage, reused across calls (grown on demand): run r is the events of GiBs
// rK[r] .. rK[r] + rN[r] - 1 of a window with start rS, end rE and per-GiB time rP, each
// carrying rB bytes.
let cap = 0;
let rK = new Float64Array(0);
let rN = new Float64Array(0);
let rB = new Float64Array(0);
let rS = new Float64Array(0);
let rE = new Float64Array(0);
let rP = new Float64Array(0);
/** The window of each run. */
let rW = new Float64Array(0);
// The runs being timed: the ones just built (rK, rN, rB, rW), or a kept layout's (readinessTimesOf), read in place.
let cK: Float64Array = rK;
let cN: Float64Array = rN;
let cB: Float64Array = rB;
let cW: Float64Array = rW;
// Per-run event counts at or before lo, hi and a probe time (the bisection's scratch).
let cntLo = new Float64Array(0);
let cntHi = new Float64Array(0);
let cntMid = new Float64Array(0);
let runs = 0;
const need = new Float64Array(POINTS);

function grow(): void {
  const next = Math.max(64, cap * 2);
  const fresh = (old: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
    const a = new Float64Array(next);
    a.set(old.subarray(0, runs));
    return a;
  };
  rK = fresh(rK);
  rN = fresh(rN);
  rB = fresh(rB);
  rS = fresh(rS);
  rE = fresh(rE);
  rP = fresh(rP);
  rW = fresh(rW);
  cntLo = new Float64Array(next);
  cntHi = new Float64Array(next);
  cntMid = new Float64Array(next);
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
  const p = runs - 1;
  if (p >= winStart && rB[p] === b && rK[p] + rN[p] === k) {
    rN[p] += n;
    return;
  }
  if (runs === cap) grow();
  rK[runs] = k;
  rN[runs] = n;
  rB[runs] = b;
  rW[runs] = win;
  runs++;
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

/** Time of event i of run r: the reference's expression, with k = rK[r] + i. */
function timeOf(r: number, i: number): number {
  return Math.min(rE[r], rS[r] + (cK[r] + i + 1) * rP[r]);
}

/** Number of events of run r at or before T (a prefix: times are nondecreasing in i). */
function countLE(r: number, T: number): number {
  const n = cN[r];
  if (timeOf(r, 0) > T) return 0;
  if (timeOf(r, n - 1) <= T) return n;
  // Now 1 <= answer <= n - 1, endUs > T and perGiBUs > 0: the answer is the number of k with
  // startUs + (k + 1) * perGiBUs <= T, up to rounding. Estimate it, then check exactly.
  let c = Math.floor((T - rS[r]) / rP[r]) - cK[r];
  if (!(c >= 1)) c = 1;
  else if (c > n - 1) c = n - 1;
  let lo = 1; // timeOf(lo - 1) <= T
  let hi = n - 1; // timeOf(hi) > T
  if (timeOf(r, c) > T) {
    if (timeOf(r, c - 1) <= T) return c;
    hi = c - 1;
  } else {
    if (c + 1 >= n || timeOf(r, c + 1) > T) return c + 1;
    lo = c + 2;
  }
  // Far off (times rounding to a plateau): binary search for the first event after T.
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (timeOf(r, mid) > T) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** C(T): memory of all events at or before T; each run's count goes into cnt. */
function cumulate(T: number, cnt: Float64Array): number {
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    const c = countLE(r, T);
    cnt[r] = c;
    bytes += c * cB[r];
  }
  return bytes;
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
  buildRuns(memlist, windows);
  cK = rK;
  cN = rN;
  cB = rB;
  cW = rW;
  const at: number[] = new Array<number>(POINTS);
  const totalBytes = timesOfRuns(windows, points, at);
  return totalBytes === 0 ? null : { at, totalBytes };
}

/**
 * Where a run's TDX memory lies in its TDMR.INIT windows, without their times: what
 * readiness reads of a run that no cost changes. A run's time program (model/clock.ts) keeps
 * one and gives it the times of each row (readinessTimesOf).
 */
export interface RunLayout {
  count: number;
  k: Float64Array;
  n: Float64Array;
  b: Float64Array;
  w: Float64Array;
}

/** The run layout of windows (their ranges and chunk sizes; times are not read) over memlist. */
export function runLayout(memlist: NodeRange[], windows: InitWindows): RunLayout {
  buildRuns(memlist, windows);
  return { count: runs, k: rK.slice(0, runs), n: rN.slice(0, runs), b: rB.slice(0, runs), w: rW.slice(0, runs) };
}

/**
 * readinessTimes() of windows whose ranges gave `layout` (runLayout), at these windows' times,
 * into `at` (21 slots); returns the TDX memory in the windows (0: none, `at` is then not set).
 */
export function readinessTimesOf(layout: RunLayout, windows: InitWindows, points: readonly number[], at: number[]): number {
  runs = 0;
  while (cap < layout.count) grow();
  runs = layout.count;
  cK = layout.k;
  cN = layout.n;
  cB = layout.b;
  cW = layout.w;
  return timesOfRuns(windows, points, at);
}

/** The runs of windows over memlist (their times are set by timesOfRuns). */
function buildRuns(memlist: NodeRange[], windows: InitWindows): void {
  runs = 0;
  for (let wi = 0; wi < windows.count; wi++) {
    const first = windows.base[wi];
    const count = Math.ceil(windows.size[wi] / SZ_1G);
    if (!(count > 0)) continue;
    const last = first + count * SZ_1G; // the GiBs span [first, last), past the TDMR if ragged
    winStart = runs;
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

/** The readiness times of the current runs, each at its window's times, into `at`; returns the bytes in the runs (0: none). */
function timesOfRuns(windows: InitWindows, points: readonly number[], at: number[]): number {
  for (let r = 0; r < runs; r++) {
    const w = cW[r];
    rS[r] = windows.startUs[w];
    rE[r] = windows.endUs[w];
    rP[r] = (SZ_1G / windows.chunkBytes[w]) * windows.perCallUs[w];
  }
  let total = 0;
  let sorted = true;
  let lastT = -Infinity;
  let minT = Infinity;
  let maxT = -Infinity;
  // The longest time between two events of a run.
  let spacing = 0;
  for (let r = 0; r < runs; r++) {
    total += cN[r] * cB[r];
    if (rP[r] > spacing) spacing = rP[r];
    const a = timeOf(r, 0);
    const z = timeOf(r, cN[r] - 1);
    if (a < lastT) sorted = false;
    lastT = z;
    if (a < minT) minT = a;
    if (z > maxT) maxT = z;
  }
  if (total === 0) return 0;

  for (let j = 0; j < points.length; j++) need[points[j]] = (points[j] / 20) * total - 1e-6;
  at.fill(0, 0, POINTS);
  if (sorted) {
    // Events in emission order are in time order: the first event whose running sum reaches
    // need[next] gives its time.
    let acc = 0;
    let j = 0;
    for (let r = 0; r < runs && j < points.length; r++) {
      const b = cB[r];
      const n = cN[r];
      const end = acc + n * b;
      while (j < points.length && end >= need[points[j]]) {
        const q = need[points[j]];
        // Smallest i with acc + (i + 1) * b >= q.
        let i = Math.ceil((q - acc) / b) - 1;
        if (!(i >= 0)) i = 0;
        else if (i > n - 1) i = n - 1;
        while (i > 0 && acc + i * b >= q) i--;
        while (acc + (i + 1) * b < q) i++;
        at[points[j++]] = r3(timeOf(r, i));
      }
      acc = end;
    }
  } else {
    // Interleaved lanes: threshold i is at the smallest event time T with C(T) >= need[i].
    // Thresholds increase, so each search starts from the previous answer, whose per-run
    // counts stay in cntLo.
    let prev = minT;
    let prevBytes = cumulate(minT, cntLo);
    for (const next of points) {
      const q = need[next];
      if (prevBytes >= q) {
        at[next] = r3(prev);
        continue;
      }
      if (next === POINTS - 1) {
        // All of the memory: bytes are whole (every run carries at least 1 per event), so no
        // time before the last event reaches total - 1e-6, and the answer is the last event.
        at[next] = r3(maxT);
        continue;
      }
      // C(lo) < q <= C(hi): the answer is in (lo, hi]. Narrow that until every run has at
      // most STEP_EVENTS events in there (or lo and hi are adjacent doubles). The first probe
      // is where C would reach q were it linear in between, the second that estimate's distance
      // plus one event spacing further, which brackets the answer closely when memory becomes
      // usable at an even pace; then bisection. Any probe in (lo, hi) keeps C(lo) < q <= C(hi),
      // and the stepping below finds the exact answer in whatever interval is left.
      let lo = prev;
      let loBytes = prevBytes;
      let hi = maxT;
      let hiBytes = total;
      let loMoved = false;
      for (let r = 0; r < runs; r++) cntHi[r] = cN[r];
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
        const c = cumulate(mid, cntMid);
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
        for (let r = 0; r < runs; r++) {
          if (cntLo[r] < cntHi[r] && timeOf(r, cntLo[r]) === m) {
            const c = countLE(r, m);
            acc += (c - cntLo[r]) * cB[r];
            cntLo[r] = c;
          }
        }
        lo = m;
        if (acc >= q) break;
      }
      prev = lo;
      prevBytes = acc;
      at[next] = r3(prev);
    }
  }
  let start = Infinity;
  for (let i = 0; i < windows.count; i++) start = Math.min(start, windows.startUs[i]);
  at[0] = r3(start);
  return total;
}
