// When does TDX memory become usable? TDH.SYS.TDMR.INIT reports progress per 1 GiB of a
// TDMR, so each GiB of a TDMR is usable once the call that completes it returns. The TDX
// memory inside that GiB (the memory list, not the TDMR's holes) is what becomes usable.

import type { NodeRange, Tdmr } from '../construct/types.js';

const SZ_1G = 0x40000000;

export interface Readiness {
  tdxMemoryBytes: number;
  p50Us: number;
  p90Us: number;
  p100Us: number;
  /** Up to 21 points (fraction 0, 0.05, …, 1) of the readiness curve. */
  curve: { tUs: number; fraction: number }[];
}

export interface InitWindow {
  tdmr: number;
  startUs: number;
  endUs: number;
  perCallUs: number;
  chunkBytes: number;
}

export function readiness(memlist: NodeRange[], tdmrs: Tdmr[], windows: InitWindow[]): Readiness | null {
  // TDX memory per GiB index, in one sweep over the memory list.
  const perGiB = new Map<number, number>();
  let total = 0;
  for (const b of memlist) {
    for (let g = Math.floor(b.start / SZ_1G); g * SZ_1G < b.end; g++) {
      const lo = Math.max(b.start, g * SZ_1G);
      const hi = Math.min(b.end, (g + 1) * SZ_1G);
      perGiB.set(g, (perGiB.get(g) ?? 0) + hi - lo);
      total += hi - lo;
    }
  }
  if (total === 0) return null;
  const events: { t: number; bytes: number }[] = [];
  for (const w of windows) {
    const t = tdmrs[w.tdmr];
    const callsPerGiB = SZ_1G / w.chunkBytes;
    const gibs = Math.ceil(t.size / SZ_1G);
    const first = Math.floor(t.base / SZ_1G);
    for (let k = 0; k < gibs; k++) {
      const bytes = perGiB.get(first + k) ?? 0;
      if (bytes === 0) continue;
      events.push({ t: Math.min(w.endUs, w.startUs + (k + 1) * callsPerGiB * w.perCallUs), bytes });
    }
  }
  events.sort((a, b) => a.t - b.t);
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  const timeAt = (fraction: number): number => {
    const need = fraction * total;
    let acc = 0;
    for (const e of events) {
      acc += e.bytes;
      if (acc >= need - 1e-6) return r3(e.t);
    }
    return r3(events.length ? events[events.length - 1].t : 0);
  };
  const curve = Array.from({ length: 21 }, (_, i) => ({ tUs: i === 0 ? r3(events[0]?.t ?? 0) : timeAt(i / 20), fraction: i / 20 }));
  curve[0].tUs = r3(windows.reduce((m, w) => Math.min(m, w.startUs), windows.length ? Infinity : 0));
  return { tdxMemoryBytes: total, p50Us: timeAt(0.5), p90Us: timeAt(0.9), p100Us: timeAt(1), curve };
}
