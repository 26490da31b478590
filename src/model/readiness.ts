// When does TDX memory become usable? TDH.SYS.TDMR.INIT reports progress per 1 GiB of a
// TDMR, so each GiB of a TDMR is usable once the call that completes it returns. The TDX
// memory inside that GiB (the memory list, not the TDMR's holes) is what becomes usable.
//
// This runs once per simulated platform (and so once per sweep row): it walks the memory list
// and the TDMRs' GiBs once each, in flat typed arrays, with no per-GiB map.

import type { NodeRange, Tdmr } from '../construct/types.js';

const SZ_1G = 0x40000000;

export interface Readiness {
  tdxMemoryBytes: number;
  p50Us: number;
  p90Us: number;
  p100Us: number;
  /** 21 points (fraction 0, 0.05, …, 1) of the readiness curve. */
  curve: { tUs: number; fraction: number }[];
}

export interface InitWindow {
  tdmr: number;
  startUs: number;
  endUs: number;
  perCallUs: number;
  chunkBytes: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function readiness(memlist: NodeRange[], tdmrs: Tdmr[], windows: InitWindow[]): Readiness | null {
  let gibs = 0;
  for (const w of windows) gibs += Math.ceil(tdmrs[w.tdmr].size / SZ_1G);
  const times = new Float64Array(gibs);
  const bytes = new Float64Array(gibs);
  let n = 0;
  let total = 0;
  let sorted = true;
  let lastT = -Infinity;
  for (const w of windows) {
    const t = tdmrs[w.tdmr];
    const first = t.base;
    const count = Math.ceil(t.size / SZ_1G);
    const perGiBUs = (SZ_1G / w.chunkBytes) * w.perCallUs;
    // Memory blocks are ascending and TDMRs do not overlap: find the first block ending after
    // this TDMR's base, then walk forward.
    let lo = 0;
    let hi = memlist.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (memlist[mid].end <= first) lo = mid + 1;
      else hi = mid;
    }
    for (let k = 0; k < count; k++) {
      const gStart = first + k * SZ_1G;
      const gEnd = gStart + SZ_1G;
      let inGiB = 0;
      for (let b = lo; b < memlist.length && memlist[b].start < gEnd; b++) {
        const s = Math.max(memlist[b].start, gStart);
        const e = Math.min(memlist[b].end, gEnd);
        if (e > s) inGiB += e - s;
      }
      while (lo < memlist.length && memlist[lo].end <= gEnd) lo++;
      if (inGiB === 0) continue;
      const at = Math.min(w.endUs, w.startUs + (k + 1) * perGiBUs);
      if (at < lastT) sorted = false;
      lastT = at;
      times[n] = at;
      bytes[n] = inGiB;
      total += inGiB;
      n++;
    }
  }
  if (total === 0) return null;
  // Serial TDMR.INIT yields events in time order already; parallel lanes interleave them.
  let order: Uint32Array | null = null;
  if (!sorted) {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => times[a] - times[b] || a - b);
  }
  const fractions = Array.from({ length: 21 }, (_, i) => i / 20);
  const need = fractions.map((f) => f * total - 1e-6);
  const at = new Array<number>(fractions.length).fill(0);
  let acc = 0;
  let next = 1; // fraction 0 is the start of TDMR.INIT, set below
  for (let i = 0; i < n && next < need.length; i++) {
    const j = order ? order[i] : i;
    acc += bytes[j];
    while (next < need.length && acc >= need[next]) at[next++] = r3(times[j]);
  }
  at[0] = r3(windows.reduce((m, w) => Math.min(m, w.startUs), Infinity));
  const curve = fractions.map((fraction, i) => ({ tUs: at[i], fraction }));
  return { tdxMemoryBytes: total, p50Us: at[10], p90Us: at[18], p100Us: at[20], curve };
}
