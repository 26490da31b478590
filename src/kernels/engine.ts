// One entry point for construction, whichever implementation runs it.

import type { ConstructInput, ConstructResult } from '../construct/types.js';
import { tdmrTableOf, type ConstructTableResult } from '../construct/tdmrTable.js';

export type EngineName = 'wasm' | 'ts';
export const ENGINES: readonly EngineName[] = ['wasm', 'ts'];

export interface ConstructEngine {
  one(input: ConstructInput): ConstructResult;
  batch(inputs: ConstructInput[]): ConstructResult[];
  /** The same constructions, each as a flat TDMR table (what the simulation runs on). */
  tables(inputs: ConstructInput[]): ConstructTableResult[];
}

/** A result of TDMR objects as a table result (the oracle's, or a layout written by hand). */
export function asTableResult(r: ConstructResult): ConstructTableResult {
  if (!r.ok) return r;
  let pamtBytes = 0;
  for (const t of r.tdmrs) pamtBytes += t.pamt4k.size + t.pamt2m.size + t.pamt1g.size;
  return { ok: true, table: tdmrTableOf(r.tdmrs), pamtBytes, warnings: r.warnings };
}

export async function loadEngine(name: EngineName): Promise<ConstructEngine> {
  if (name === 'ts') {
    const { constructReference } = await import('../reference/construct.js');
    return { one: constructReference, batch: (xs) => xs.map(constructReference), tables: (xs) => xs.map((x) => asTableResult(constructReference(x))) };
  }
  const { constructWasm, constructWasmBatch, constructWasmTables } = await import('./construct.js');
  return { one: constructWasm, batch: constructWasmBatch, tables: constructWasmTables };
}
