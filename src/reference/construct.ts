// The oracle: the kernel's construct_tdmrs() (arch/x86/virt/vmx/tdx/tdx.c) followed loop for
// loop, in plain TypeScript. It is deliberately as quadratic as the kernel: every TDMR walks
// the whole memory list and every PAMT. The WASM engine must produce the same bytes faster.
//
// Numbers are doubles: every address is below 2^52 and every sum below 2^53, so they are exact.
// Bitwise operators are 32-bit in JS, so the one bit-mask (the allocator's ALIGN) is done on
// BigInt, once per zone.

import {
  type ConstructInput, type ConstructResult, type MemRange, type NodeRange, type ReservedArea, type Tdmr,
} from '../construct/types.js';
import { SZ_1M, SZ_1G, SZ_16M, PAGE_SIZE, TDMR_NR_WARN } from '../construct/constants.js';
import { nidFallback, reservedAreasExhausted, tdmrsReachingLimit, TDMRS_EXHAUSTED_TEXT } from '../construct/warnings.js';
import { kernelSort } from './sort.js';

const PAGE_SHIFTS = [12, 21, 30];
const PFN_4G = 0x100000000 / PAGE_SIZE;
const PFN_16M = SZ_16M / PAGE_SIZE;

const roundDown = (x: number, a: number): number => Math.floor(x / a) * a;
const roundUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** build_tdx_memlist(): every memblock range, minus the first 1 MiB. */
export function buildMemlist(ranges: readonly MemRange[]): NodeRange[] {
  const out: NodeRange[] = [];
  for (const r of ranges) {
    const start = Math.max(r.start, SZ_1M);
    if (start >= r.end) continue;
    out.push({ start, end: r.end, node: (r as NodeRange).node ?? 0 });
  }
  return out;
}

interface WorkTdmr {
  base: number;
  size: number;
  nid: number;
  pamtBase: number;
  pamtSizes: [number, number, number];
  reserved: ReservedArea[];
}

/** fill_out_tdmrs(). Returns null when TDMRs run out. */
function fillOutTdmrs(memlist: NodeRange[], maxTdmrs: number): WorkTdmr[] | null {
  const tdmrs: WorkTdmr[] = [{ base: 0, size: 0, nid: 0, pamtBase: 0, pamtSizes: [0, 0, 0], reserved: [] }];
  let idx = 0;
  for (const b of memlist) {
    let start = roundDown(b.start, SZ_1G);
    const end = roundUp(b.end, SZ_1G);
    let t = tdmrs[idx];
    if (t.size) {
      if (end <= t.base + t.size) continue;
      if (start < t.base + t.size) start = t.base + t.size;
      idx++;
      if (idx >= maxTdmrs) return null;
      t = { base: 0, size: 0, nid: 0, pamtBase: 0, pamtSizes: [0, 0, 0], reserved: [] };
      tdmrs.push(t);
    }
    t.base = start;
    t.size = end - start;
  }
  return tdmrs;
}

/** tdmr_get_pamt_sz(): entries × entry size, rounded up to a page. */
export function pamtSize(tdmrSize: number, level: number, entrySize: number, dynamicPamt = false): number {
  const entries = Math.floor(tdmrSize / 2 ** PAGE_SHIFTS[level]);
  if (dynamicPamt && level === 0) return roundUp(Math.ceil(entries / 8), PAGE_SIZE);
  return roundUp(entries * entrySize, PAGE_SIZE);
}

/** tdmr_get_nid(): the node of the first block that ends after the TDMR begins. */
function tdmrNid(t: WorkTdmr, memlist: NodeRange[], warnings: string[]): number {
  for (const b of memlist) if (b.end > t.base) return b.node;
  warnings.push(nidFallback(t.base, t.base + t.size));
  return 0;
}

/** The deterministic stand-in for alloc_contig_pages() (tdmr-construction.md §3). */
class AllocatorModel {
  private readonly nodes: number[];
  private readonly spans = new Map<number, [number, number]>();
  private readonly regions: NodeRange[];
  private readonly reserved: MemRange[];
  private readonly taken: MemRange[] = [];

  constructor(raw: readonly NodeRange[], reserved: readonly MemRange[], private readonly distance: number[][]) {
    // Spans and regions in pfns.
    this.regions = raw.map((r) => ({ start: r.start / PAGE_SIZE, end: r.end / PAGE_SIZE, node: r.node }));
    for (const r of this.regions) {
      const s = this.spans.get(r.node);
      if (!s) this.spans.set(r.node, [r.start, r.end]);
      else this.spans.set(r.node, [Math.min(s[0], r.start), Math.max(s[1], r.end)]);
    }
    this.nodes = [...this.spans.keys()].sort((a, b) => a - b);
    this.reserved = reserved.map((r) => ({ start: r.start, end: r.end }));
  }

  /** Returns the first pfn of nrPages contiguous pages, or -1. */
  alloc(nrPages: number, nid: number): number {
    if (nrPages === 0) return -1;
    const order = [...this.nodes].sort((a, b) => (this.dist(nid, a) - this.dist(nid, b)) || a - b);
    for (const node of order) {
      const [s, e] = this.spans.get(node)!;
      const zones: [number, number][] = [
        [Math.max(s, PFN_4G), e],
        [Math.max(s, PFN_16M), Math.min(e, PFN_4G)],
        [s, Math.min(e, PFN_16M)],
      ];
      for (const [zs, ze] of zones) {
        if (zs >= ze) continue;
        const pfn = this.searchZone(zs, ze, nrPages, node);
        if (pfn >= 0) {
          this.taken.push({ start: pfn * PAGE_SIZE, end: (pfn + nrPages) * PAGE_SIZE });
          return pfn;
        }
      }
    }
    return -1;
  }

  private dist(a: number, b: number): number {
    return this.distance[a]?.[b] ?? (a === b ? 10 : 20);
  }

  /**
   * The kernel-shaped loop: pfn = ALIGN(zs, n) with the mask formula, then step by n. Where a
   * candidate hits an obstacle, the steps that would all hit the same obstacle are taken at
   * once (k = ceil((obstacleEnd - pfn) / n) steps): the same candidates are accepted.
   */
  private searchZone(zs: number, ze: number, n: number, node: number): number {
    const nb = BigInt(n);
    let pfn = Number((BigInt(zs) + nb - 1n) & ~(nb - 1n));
    while (pfn + n - 1 < ze) {
      const next = this.obstacleEnd(pfn, n, zs, node);
      if (next < 0) return pfn;
      pfn += Math.max(1, Math.ceil((next - pfn) / n)) * n;
    }
    return -1;
  }

  /** -1 if [pfn, pfn+n) is acceptable, else the pfn at which the blocking obstacle ends. */
  private obstacleEnd(pfn: number, n: number, zs: number, node: number): number {
    if (pfn < zs) return zs;
    const end = pfn + n;
    const inside = this.regions.find((r) => r.node === node && r.start <= pfn && end <= r.end);
    if (!inside) {
      // Not inside one region: no candidate can succeed before the next region of this node
      // begins, or (if pfn sits in a region that ends too soon) before that region ends.
      let next = Infinity;
      for (const r of this.regions) {
        if (r.node !== node) continue;
        if (r.start > pfn) next = Math.min(next, r.start);
      }
      return next; // Infinity when no region of this node starts later: the zone is done
    }
    const a = pfn * PAGE_SIZE;
    const b = end * PAGE_SIZE;
    let block = -1;
    for (const r of this.reserved) if (r.start < b && a < r.end) block = Math.max(block, Math.ceil(r.end / PAGE_SIZE));
    for (const r of this.taken) if (r.start < b && a < r.end) block = Math.max(block, r.end / PAGE_SIZE);
    return block;
  }
}

/** tdmr_add_rsvd_area(): false when the TDMR is out of reserved areas. */
function addArea(t: WorkTdmr, addr: number, size: number, max: number): boolean {
  if (t.reserved.length >= max) return false;
  t.reserved.push({ offset: addr - t.base, size });
  return true;
}

/** tdmr_populate_rsvd_holes(), including its quirk: prev_end may move backwards. */
function populateHoles(t: WorkTdmr, blocks: MemRange[], max: number): boolean {
  const tEnd = t.base + t.size;
  let prevEnd = t.base;
  for (const b of blocks) {
    if (b.start >= tEnd) break;
    if (b.end < t.base) continue;
    if (b.start <= prevEnd) {
      prevEnd = b.end;
      continue;
    }
    if (!addArea(t, prevEnd, b.start - prevEnd, max)) return false;
    prevEnd = b.end;
  }
  if (prevEnd < tEnd && !addArea(t, prevEnd, tEnd - prevEnd, max)) return false;
  return true;
}

/** tdmr_populate_rsvd_pamts(): every PAMT (this TDMR's too) that overlaps the TDMR. */
function populatePamts(t: WorkTdmr, all: WorkTdmr[], max: number): boolean {
  const tEnd = t.base + t.size;
  for (const o of all) {
    let base = o.pamtBase;
    let end = base + o.pamtSizes[0] + o.pamtSizes[1] + o.pamtSizes[2];
    if (end <= t.base || base >= tEnd) continue;
    if (base < t.base) base = t.base;
    if (end > tEnd) end = tEnd;
    if (!addArea(t, base, end - base, max)) return false;
  }
  return true;
}

/** rsvd_area_cmp_func(): areas never overlap, so "not before" means "after" (else it warns). */
export function rsvdAreaCmp(a: ReservedArea, b: ReservedArea): number {
  if (a.offset + a.size <= b.offset) return -1;
  if (a.offset >= b.offset + b.size) return 1;
  return -1;
}

function toTdmr(t: WorkTdmr): Tdmr {
  const [s4k, s2m, s1g] = t.pamtSizes;
  return {
    base: t.base,
    size: t.size,
    nid: t.nid,
    pamt4k: { base: t.pamtBase, size: s4k },
    pamt2m: { base: t.pamtBase + s4k, size: s2m },
    pamt1g: { base: t.pamtBase + s4k + s2m, size: s1g },
    reserved: t.reserved,
  };
}

/** construct_tdmrs() for one platform. */
export function constructReference(input: ConstructInput): ConstructResult {
  const warnings: string[] = [];
  const memlist = buildMemlist(input.memory);

  const tdmrs = fillOutTdmrs(memlist, input.maxTdmrs);
  if (!tdmrs) return { ok: false, error: 'TDMRS_EXHAUSTED', warnings: [TDMRS_EXHAUSTED_TEXT] };
  if (input.maxTdmrs - tdmrs.length < TDMR_NR_WARN) warnings.push(tdmrsReachingLimit(tdmrs.length, input.maxTdmrs));

  const allocator = new AllocatorModel(input.memory, input.reserved, input.nodeDistance);
  for (const t of tdmrs) {
    t.nid = tdmrNid(t, memlist, warnings);
    t.pamtSizes = [0, 1, 2].map((lvl) => pamtSize(t.size, lvl, input.pamtEntrySize[lvl], input.dynamicPamt)) as [number, number, number];
    const total = t.pamtSizes[0] + t.pamtSizes[1] + t.pamtSizes[2];
    // A PAMT of 2^52 bytes or more cannot fit in physical memory; refusing it early also keeps
    // the page count exact in a double.
    const pfn = total >= 2 ** 52 ? -1 : allocator.alloc(total / PAGE_SIZE, t.nid);
    if (pfn < 0) return { ok: false, error: 'PAMT_ALLOC_FAILED', warnings };
    t.pamtBase = pfn * PAGE_SIZE;
  }

  const holeSource = input.holes === 'cmr' ? buildMemlist(input.cmrs) : memlist;
  for (const t of tdmrs) {
    if (!populateHoles(t, holeSource, input.maxReservedPerTdmr) || !populatePamts(t, tdmrs, input.maxReservedPerTdmr)) {
      const end = t.base + t.size;
      warnings.push(reservedAreasExhausted(t.base, end));
      return { ok: false, error: 'RESERVED_AREAS_EXHAUSTED', tdmr: { base: t.base, size: t.size }, warnings };
    }
    kernelSort(t.reserved, rsvdAreaCmp);
  }

  let pamtBytes = 0;
  for (const t of tdmrs) pamtBytes += t.pamtSizes[0] + t.pamtSizes[1] + t.pamtSizes[2];
  return { ok: true, tdmrs: tdmrs.map(toTdmr), pamtKb: Math.floor(pamtBytes / 1024), warnings };
}
