// Bridge from the construction result (JS numbers, src/construct/types.ts) to the module's
// register-width TDMR_INFO (bigint): what CONFIG's exact checks read when the plain-number pass
// (configPlain.ts) cannot decide, and what a caller may write by hand.

import type { Tdmr } from '../../construct/types.js';
import { TdmrTable } from '../../construct/tdmrTable.js';
import type { TdmrInfo } from './types.js';

export function toTdmrInfo(t: Tdmr): TdmrInfo {
  return {
    base: BigInt(t.base),
    size: BigInt(t.size),
    pamt4kBase: BigInt(t.pamt4k.base),
    pamt4kSize: BigInt(t.pamt4k.size),
    pamt2mBase: BigInt(t.pamt2m.base),
    pamt2mSize: BigInt(t.pamt2m.size),
    pamt1gBase: BigInt(t.pamt1g.base),
    pamt1gSize: BigInt(t.pamt1g.size),
    reserved: t.reserved.map((r) => ({ offset: BigInt(r.offset), size: BigInt(r.size) })),
  };
}

/**
 * The TDMR_INFO entries of a table, register-exact: each TDMR's first `maxReserved` areas fill
 * its slots, as the kernel copies them (tdmr_add_rsvd_area never writes more).
 */
export function tdmrInfosOf(table: TdmrTable, maxReserved: number): TdmrInfo[] {
  const out: TdmrInfo[] = new Array(table.count);
  for (let i = 0; i < table.count; i++) {
    const reserved = [];
    const areas = Math.min(maxReserved, table.areaCount(i));
    for (let j = 0; j < areas; j++) reserved.push({ offset: BigInt(table.areaOffset(i, j)), size: BigInt(table.areaSize(i, j)) });
    out[i] = {
      base: BigInt(table.base(i)), size: BigInt(table.size(i)),
      pamt4kBase: BigInt(table.pamt4kBase(i)), pamt4kSize: BigInt(table.pamt4kSize(i)),
      pamt2mBase: BigInt(table.pamt2mBase(i)), pamt2mSize: BigInt(table.pamt2mSize(i)),
      pamt1gBase: BigInt(table.pamt1gBase(i)), pamt1gSize: BigInt(table.pamt1gSize(i)),
      reserved,
    };
  }
  return out;
}

/** The first n TDMR_INFO entries as a table of doubles (Number(): exact below 2^53). */
export function tdmrTableOfInfos(infos: readonly TdmrInfo[], n = infos.length): TdmrTable {
  let areas = 0;
  for (let i = 0; i < n; i++) areas += infos[i]!.reserved.length;
  const table = new TdmrTable(n, areas);
  let a = 0;
  for (let i = 0; i < n; i++) {
    const t = infos[i]!;
    table.setRow(i, {
      base: Number(t.base), size: Number(t.size), nid: 0,
      pamt4kBase: Number(t.pamt4kBase), pamt4kSize: Number(t.pamt4kSize),
      pamt2mBase: Number(t.pamt2mBase), pamt2mSize: Number(t.pamt2mSize),
      pamt1gBase: Number(t.pamt1gBase), pamt1gSize: Number(t.pamt1gSize),
    }, t.reserved.length);
    for (const r of t.reserved) {
      table.areas[a++] = Number(r.offset);
      table.areas[a++] = Number(r.size);
    }
  }
  return table;
}
