// TDMRs as the model carries them: one flat table per construction, from the engine through
// TDH.SYS.CONFIG, TDH.SYS.TDMR.INIT and readiness. Objects (Tdmr) and hex strings are made only
// where an output prints them (toTdmrs). A sweep evaluates hundreds of thousands of layouts;
// objects per TDMR and per reserved area were most of its garbage.
//
// Layout: FIELDS words per TDMR in `words`; the reserved areas of every TDMR, in order, as
// (offset, size) pairs in `areas`. A TDMR's PAMT levels are kept apart (base and size each),
// because a layout the user wrote (platform.tdmrs) need not place them back to back as the
// kernel does.

import type { ConstructFailure, ReservedArea, Tdmr } from './types.js';

/** A successful construction as the model carries it: the TDMRs in one flat table. */
export interface ConstructedTable {
  ok: true;
  table: TdmrTable;
  /** Every PAMT allocation, bytes. */
  pamtBytes: number;
  warnings: string[];
}

export type ConstructTableResult = ConstructedTable | ConstructFailure;

export const FIELDS = 11;
const BASE = 0;
const SIZE = 1;
const NID = 2;
const P4K_BASE = 3;
const P4K_SIZE = 4;
const P2M_BASE = 5;
const P2M_SIZE = 6;
const P1G_BASE = 7;
const P1G_SIZE = 8;
const AREA_FIRST = 9;
const AREA_COUNT = 10;

/** The writer's view of one TDMR (what an engine decodes into the table). */
export interface TdmrRow {
  base: number;
  size: number;
  nid: number;
  pamt4kBase: number;
  pamt4kSize: number;
  pamt2mBase: number;
  pamt2mSize: number;
  pamt1gBase: number;
  pamt1gSize: number;
}

/**
 * Tables are cut from shared buffers of SLAB_BYTES, end to end: a sweep makes a table per row,
 * and an ArrayBuffer of its own (memory outside the JS heap, which V8 allocates and accounts
 * for slowly: ~0.5 µs a table in a sweep row, measured) cost more than decoding the table. A
 * buffer lives while any table cut from it does; no two tables' arrays overlap, and a region is
 * used once, so a new table reads zeros. Because the buffer is shared, a table's arrays are
 * copied (slice()), never transferred, to hand them to another thread.
 */
const SLAB_BYTES = 1 << 16;
let slab = new ArrayBuffer(0);
let slabUsed = 0;
/** Where the last cut() was made (a large table gets a buffer of its own). */
let cutFrom = slab;

/** Room for `bytes` (a multiple of 8): in cutFrom, at the returned offset. */
function cut(bytes: number): number {
  if (bytes > SLAB_BYTES / 4) {
    cutFrom = new ArrayBuffer(bytes);
    return 0;
  }
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  cutFrom = slab;
  const at = slabUsed;
  slabUsed += bytes;
  return at;
}

export class TdmrTable {
  /** count × FIELDS words. */
  readonly words: Float64Array;
  /** Reserved areas of all TDMRs, (offset, size) pairs, TDMR by TDMR. */
  readonly areas: Float64Array;

  constructor(
    readonly count: number,
    areaCount: number,
  ) {
    const at = cut(8 * (count * FIELDS + 2 * areaCount));
    this.words = new Float64Array(cutFrom, at, count * FIELDS);
    this.areas = new Float64Array(cutFrom, at + 8 * count * FIELDS, 2 * areaCount);
  }

  base(i: number): number {
    return this.words[i * FIELDS + BASE];
  }
  size(i: number): number {
    return this.words[i * FIELDS + SIZE];
  }
  nid(i: number): number {
    return this.words[i * FIELDS + NID];
  }
  pamt4kBase(i: number): number {
    return this.words[i * FIELDS + P4K_BASE];
  }
  pamt4kSize(i: number): number {
    return this.words[i * FIELDS + P4K_SIZE];
  }
  pamt2mBase(i: number): number {
    return this.words[i * FIELDS + P2M_BASE];
  }
  pamt2mSize(i: number): number {
    return this.words[i * FIELDS + P2M_SIZE];
  }
  pamt1gBase(i: number): number {
    return this.words[i * FIELDS + P1G_BASE];
  }
  pamt1gSize(i: number): number {
    return this.words[i * FIELDS + P1G_SIZE];
  }
  /** The three PAMT levels of TDMR i, bytes. */
  pamtBytes(i: number): number {
    const w = i * FIELDS;
    return this.words[w + P4K_SIZE] + this.words[w + P2M_SIZE] + this.words[w + P1G_SIZE];
  }
  /** Reserved areas of TDMR i. */
  areaCount(i: number): number {
    return this.words[i * FIELDS + AREA_COUNT];
  }
  /** Index (in pairs) of TDMR i's first reserved area in `areas`. */
  areaFirst(i: number): number {
    return this.words[i * FIELDS + AREA_FIRST];
  }
  areaOffset(i: number, j: number): number {
    return this.areas[2 * (this.areaFirst(i) + j)];
  }
  areaSize(i: number, j: number): number {
    return this.areas[2 * (this.areaFirst(i) + j) + 1];
  }

  /** Every PAMT of every TDMR, bytes. */
  totalPamtBytes(): number {
    let bytes = 0;
    for (let i = 0; i < this.count; i++) bytes += this.pamtBytes(i);
    return bytes;
  }
  /** The most reserved areas any one TDMR uses. */
  maxAreas(): number {
    let most = 0;
    for (let i = 0; i < this.count; i++) most = Math.max(most, this.areaCount(i));
    return most;
  }

  /** Writes TDMR i; its areas are the next `areaCount` pairs after TDMR i − 1's. */
  setRow(i: number, t: TdmrRow, areaCount: number): void {
    const w = i * FIELDS;
    const words = this.words;
    words[w + BASE] = t.base;
    words[w + SIZE] = t.size;
    words[w + NID] = t.nid;
    words[w + P4K_BASE] = t.pamt4kBase;
    words[w + P4K_SIZE] = t.pamt4kSize;
    words[w + P2M_BASE] = t.pamt2mBase;
    words[w + P2M_SIZE] = t.pamt2mSize;
    words[w + P1G_BASE] = t.pamt1gBase;
    words[w + P1G_SIZE] = t.pamt1gSize;
    words[w + AREA_FIRST] = i === 0 ? 0 : words[w - FIELDS + AREA_FIRST] + words[w - FIELDS + AREA_COUNT];
    words[w + AREA_COUNT] = areaCount;
  }
}

/** The table of TDMR objects (the oracle's results, a layout the user wrote). */
export function tdmrTableOf(tdmrs: readonly Tdmr[]): TdmrTable {
  let areas = 0;
  for (const t of tdmrs) areas += t.reserved.length;
  const table = new TdmrTable(tdmrs.length, areas);
  let a = 0;
  tdmrs.forEach((t, i) => {
    table.setRow(i, {
      base: t.base, size: t.size, nid: t.nid,
      pamt4kBase: t.pamt4k.base, pamt4kSize: t.pamt4k.size,
      pamt2mBase: t.pamt2m.base, pamt2mSize: t.pamt2m.size,
      pamt1gBase: t.pamt1g.base, pamt1gSize: t.pamt1g.size,
    }, t.reserved.length);
    for (const r of t.reserved) {
      table.areas[a++] = r.offset;
      table.areas[a++] = r.size;
    }
  });
  return table;
}

/** The TDMR objects an output prints. */
export function toTdmrs(table: TdmrTable): Tdmr[] {
  const out: Tdmr[] = new Array(table.count);
  for (let i = 0; i < table.count; i++) {
    const reserved: ReservedArea[] = new Array(table.areaCount(i));
    for (let j = 0; j < reserved.length; j++) reserved[j] = { offset: table.areaOffset(i, j), size: table.areaSize(i, j) };
    out[i] = {
      base: table.base(i), size: table.size(i), nid: table.nid(i),
      pamt4k: { base: table.pamt4kBase(i), size: table.pamt4kSize(i) },
      pamt2m: { base: table.pamt2mBase(i), size: table.pamt2mSize(i) },
      pamt1g: { base: table.pamt1gBase(i), size: table.pamt1gSize(i) },
      reserved,
    };
  }
  return out;
}
