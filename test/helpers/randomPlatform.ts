// Seeded random ConstructInputs for comparing the WASM engine with the TypeScript oracle.
// Shaped to reach every branch of the kernel model: interleaved and blocked nodes, touching
// and fragmented regions, memory below 1 MiB, reserved ranges that overlap each other and
// fence off whole nodes or zones (so allocations fall back), tiny TDMR and reserved-area
// limits, odd PAMT page counts, and CMR holes whose gaps can hold PAMTs (overlapping areas,
// where the kernel's heapsort order shows).

import type { ConstructInput, MemRange, NodeRange } from '../../src/construct/types.js';

const PAGE = 4096;
const MiB = 1 << 20;
const GiB = 1 << 30;
const TiB = 2 ** 40;

/** mulberry32: small, fast and good enough to spread test cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomPlatform(seed: number): ConstructInput {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const pages = (bytes: number): number => Math.max(1, Math.floor(bytes / PAGE)) * PAGE;
  // Log-uniform sizes between lo and hi bytes, page aligned.
  const logSize = (lo: number, hi: number): number => pages(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))));

  const nodes = int(1, 8);
  const interleaved = r() < 0.35;
  const scale = pick([16 * GiB, 256 * GiB, 4 * TiB, 64 * TiB]);
  const nRegions = int(0, r() < 0.2 ? 60 : 16);

  const raw: NodeRange[] = [];
  let at = 0;
  if (r() < 0.7) {
    raw.push({ start: 0, end: pick([0x9f000, 0xa0000, 0x58000]), node: 0 });
    at = MiB;
  }
  const regionMax = Math.max(64 * MiB, (scale / Math.max(1, nRegions)) * 1.5);
  for (let i = 0; i < nRegions; i++) {
    const gap = r() < 0.25 ? 0 : logSize(PAGE, Math.max(2 * PAGE, regionMax / pick([1, 4, 64])));
    const start = at + (i === 0 && r() < 0.3 ? 0 : gap);
    const size = logSize(PAGE, regionMax);
    const node = interleaved ? int(0, nodes - 1) : Math.min(nodes - 1, Math.floor((i * nodes) / Math.max(1, nRegions)));
    raw.push({ start, end: start + size, node });
    at = start + size;
  }
  // memblock merges touching regions of one node (the ConstructInput contract).
  const memory: NodeRange[] = [];
  for (const m of raw) {
    const last = memory[memory.length - 1];
    if (last && last.end === m.start && last.node === m.node) last.end = m.end;
    else if (!last || m.start >= last.end) memory.push({ ...m });
  }
  const top = memory.length ? memory[memory.length - 1]!.end : MiB;

  const reserved: MemRange[] = [];
  const nRes = int(0, 10);
  if (r() < 0.6) reserved.push({ start: 0, end: MiB });
  for (let i = 0; i < nRes; i++) {
    const kind = r();
    if (kind < 0.2 && memory.length) {
      // Fence off a whole region, or everything of one node, to force fallbacks.
      const m = pick(memory);
      if (r() < 0.5) reserved.push({ start: m.start, end: m.end });
      else for (const x of memory) if (x.node === m.node) reserved.push({ start: x.start, end: x.end });
    } else if (kind < 0.3) {
      // Somewhere in the first MiB (where a PAMT may land in the legacy hole); never inverted,
      // since validation refuses end < start before an engine sees it.
      const a = pages(r() * MiB);
      const b = pages(r() * MiB);
      reserved.push({ start: Math.min(a, b), end: Math.max(a, b) + PAGE });
    } else {
      const start = pages(r() * top);
      reserved.push({ start, end: start + logSize(PAGE, Math.max(2 * PAGE, top / pick([2, 16, 1024]))) });
    }
  }
  if (r() < 0.3 && reserved.length > 1) reserved.reverse();

  const nodeDistance = Array.from({ length: nodes }, () => new Array<number>(nodes).fill(0));
  for (let i = 0; i < nodes; i++) {
    nodeDistance[i]![i] = 10;
    for (let j = i + 1; j < nodes; j++) {
      const d = r() < 0.5 ? 20 : pick([11, 12, 16, 21, 28, 32]);
      nodeDistance[i]![j] = d;
      nodeDistance[j]![i] = d;
    }
  }

  // CMRs: memory with touching ranges merged and the first 1 MiB cut, then (sometimes) split
  // or trimmed so that memory outside a CMR becomes a hole a PAMT may sit in.
  let cmrs: MemRange[] = [];
  for (const m of memory) {
    const last = cmrs[cmrs.length - 1];
    if (last && last.end === m.start) last.end = m.end;
    else cmrs.push({ start: m.start, end: m.end });
  }
  cmrs = cmrs.map((c) => ({ start: Math.max(c.start, MiB), end: c.end })).filter((c) => c.start < c.end);
  const holes = r() < 0.3 ? 'cmr' : 'memblock';
  if (holes === 'cmr') {
    const cuts = int(0, 4);
    for (let k = 0; k < cuts && cmrs.length; k++) {
      const i = Math.floor(r() * cmrs.length);
      const c = cmrs[i]!;
      const len = c.end - c.start;
      if (len < 8 * PAGE) continue;
      const a = c.start + pages(r() * len * 0.5);
      const b = Math.min(c.end, a + pages(r() * len * 0.5) + PAGE);
      const parts = [
        { start: c.start, end: a },
        { start: b, end: c.end },
      ].filter((p) => p.start < p.end);
      cmrs.splice(i, 1, ...parts);
    }
    cmrs = cmrs.slice(0, 32);
  }

  const tiny = r() < 0.3;
  return {
    memory,
    reserved,
    cmrs,
    holes,
    nodeDistance,
    maxTdmrs: tiny ? int(1, 8) : pick([64, 64, 16, 1000]),
    maxReservedPerTdmr: r() < 0.3 ? int(0, 6) : pick([16, 16, 32, 1000]),
    pamtEntrySize: [pick([8, 16, 32]), pick([8, 16, 32]), pick([8, 16, 32])],
    dynamicPamt: r() < 0.15,
  };
}

/**
 * Many small regions and reserved pieces: free runs of a few PAMTs' length, most of them
 * misaligned to the allocator's progression, and TDMRs of varied sizes, so allocations skip
 * long stretches of unusable runs and alternate between window counts.
 */
export function fragmentedPlatform(seed: number): ConstructInput {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const nodes = int(1, 4);
  const memory: NodeRange[] = [{ start: 0, end: 0x9f000, node: 0 }];
  const reserved: MemRange[] = [{ start: 0, end: MiB }];
  let at = MiB;
  const n = int(50, 250);
  for (let i = 0; i < n; i++) {
    // Now and then a long region, so some TDMRs (and PAMT window counts) are larger.
    const size = (r() < 0.05 ? int(1024, 4096) : int(256, 4096)) * 4 * PAGE * (r() < 0.1 ? 64 : 1);
    const start = at + int(1, 64) * PAGE * (r() < 0.2 ? 4096 : 1);
    memory.push({ start, end: start + size, node: int(0, nodes - 1) });
    at = start + size;
    for (let k = int(0, 2); k > 0; k--) {
      const s = start + Math.floor((r() * size) / PAGE) * PAGE;
      reserved.push({ start: s, end: s + int(1, 512) * PAGE });
    }
  }
  const nodeDistance = Array.from({ length: nodes }, (_, i) =>
    Array.from({ length: nodes }, (_, j) => (i === j ? 10 : 20 + ((i + j) % 3))),
  );
  return {
    memory,
    reserved,
    cmrs: [],
    holes: 'memblock',
    nodeDistance,
    maxTdmrs: 1000,
    maxReservedPerTdmr: r() < 0.5 ? 1000 : 16,
    pamtEntrySize: [[8, 16, 32][int(0, 2)]!, 16, 16],
  };
}
