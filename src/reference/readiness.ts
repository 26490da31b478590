// The oracle for readiness(): the literal per-GiB implementation, kept verbatim as it was
// before src/kernels/readiness.ts was rewritten to work on runs of GiBs. It expands one event per
// GiB of every TDMR and sorts them when parallel lanes interleave, so it is O(GiB log GiB); the
// fast version must give bit-identical results (test/readiness.oracle.test.ts). Do not
// optimize this file: its value is that it is obviously the definition.

import type { NodeRange } from '../construct/types.js';
import type { InitWindow, Readiness } from '../kernels/readiness.js';
import { SZ_1G } from '../construct/constants.js';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function readinessReference(memlist: NodeRange[], windows: InitWindow[]): Readiness | null {
  let gibs = 0;
  for (const w of windows) gibs += Math.ceil(w.size / SZ_1G);
  const times = new Float64Array(gibs);
  const bytes = new Float64Array(gibs);
  let n = 0;
  let total = 0;
  let sorted = true;
  let lastT = -Infinity;
  for (const w of windows) {
    const first = w.base;
    const count = Math.ceil(w.size / SZ_1G);
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
