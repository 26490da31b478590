// Reading a base platform back into the socket layout of presets/socketMemoryMap.ts, so the structural
// axes (memoryPerSocket, sockets, snc) can rebuild its memory map with one thing changed and
// everything else (the firmware's low-memory map, the top-of-socket gaps) kept. For every
// built-in preset the inference is exact: buildLayout(inferred) gives the preset's own map
// back (test/sweep.layout.test.ts). For a hand-written base it is a best reading:
//
// - low map: the memory below 2 GiB, the end of the CMR that starts below 2 GiB, and the
//   memblock reservations below 4 GiB (kernel, initrd) other than the struct-page arrays;
// - memory per socket: the top of memory less the 2 GiB MMIO window, over the socket count,
//   rounded to whole GiB (the top gap is far below 1 GiB);
// - top gaps: what the socket boundaries leave above the last range of socket 0 and of the
//   last socket; 288/256 MiB (the logged Sapphire Rapids figures) when that is not readable.

import type { Platform } from '../../platform/types.js';
import type { LowMap, SocketLayout } from '../../platform/presets/socketMemoryMap.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const TWO_G = 2 * GiB;
const FOUR_G = 4 * GiB;
const DEFAULT_GAPS: [number, number] = [288, 256];

export interface InferredLayout {
  low: LowMap;
  sockets: number;
  snc: number;
  /** null when the base's map does not show it (then the sweep must give memoryPerSocket). */
  dramPerSocketGiB: number | null;
  topGapMiB: [number, number];
  coresPerSocket: number;
  threadsPerCore: number;
  /** The base lists its LPs one by one: the CPU axes cannot rescale it. */
  explicitLps: boolean;
  /** Nodes that appear only in hotplug events (CXL expanders): kept beyond the rebuilt ones. */
  hotplugNodes: number[];
}

export function inferLayout(doc: Record<string, unknown>, p: Platform): InferredLayout {
  const usable: [number, number][] = [];
  for (const m of p.memory) {
    if (m.start >= TWO_G) break;
    usable.push([m.start, Math.min(m.end, TWO_G)]);
  }
  const lowCmr = p.cmrs.find((c) => c.start < TWO_G);
  const cmrEnd = lowCmr ? Math.min(lowCmr.end, TWO_G) : (usable.length ? usable[usable.length - 1][1] : MiB);
  const reserved = p.reserved
    .filter((r) => r.end <= FOUR_G && !(r.label ?? '').startsWith('memmap'))
    .map((r) => ({ start: r.start, end: r.end, label: r.label ?? 'reserved' }));

  const sockets = p.cpus.packages;
  const nodes = [...new Set(p.memory.map((m) => m.node))].sort((a, b) => a - b);
  const snc = nodes.length % sockets === 0 && nodes.length >= sockets ? nodes.length / sockets : 1;

  const top = p.memory.length ? p.memory[p.memory.length - 1].end : 0;
  const perSocket = Math.round((top - TWO_G) / sockets / GiB);
  const dramPerSocketGiB = perSocket >= 2 ? perSocket : null;

  let topGapMiB = DEFAULT_GAPS;
  if (dramPerSocketGiB !== null) {
    const dram = dramPerSocketGiB * GiB;
    const socket0 = p.memory.filter((m) => m.node < nodes[Math.min(nodes.length - 1, snc - 1)] + 1);
    const end0 = socket0.length ? socket0[socket0.length - 1].end : top;
    const gap0 = (TWO_G + dram - end0) / MiB;
    const gapN = sockets > 1 ? (TWO_G + sockets * dram - top) / MiB : DEFAULT_GAPS[1];
    const ok = (g: number): boolean => Number.isInteger(g) && g >= 0 && g < 1024;
    if (ok(gap0) && ok(gapN)) topGapMiB = [gap0, gapN];
  }

  const cpus = (doc.cpus ?? {}) as Record<string, unknown>;
  const memNodes = new Set(nodes);
  return {
    low: { usable, cmrEnd, reserved },
    sockets,
    snc,
    dramPerSocketGiB,
    topGapMiB,
    coresPerSocket: p.cpus.coresPerPackage,
    threadsPerCore: p.cpus.threadsPerCore,
    explicitLps: cpus.lps !== undefined,
    hotplugNodes: [...new Set(p.hotplug.map((h) => h.node))].filter((n) => !memNodes.has(n)).sort((a, b) => a - b),
  };
}

export function socketLayout(l: InferredLayout, dramPerSocketGiB: number, sockets: number, snc: number): SocketLayout {
  return { sockets, dramPerSocketGiB, snc, topGapMiB: l.topGapMiB };
}
