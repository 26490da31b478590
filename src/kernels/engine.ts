// One entry point for construction, whichever implementation runs it.

import type { ConstructInput, ConstructResult } from '../construct/types.js';

export type EngineName = 'wasm' | 'ts';
export const ENGINES: readonly EngineName[] = ['wasm', 'ts'];

export interface ConstructEngine {
  one(input: ConstructInput): ConstructResult;
  batch(inputs: ConstructInput[]): ConstructResult[];
}

export async function loadEngine(name: EngineName): Promise<ConstructEngine> {
  if (name === 'ts') {
    const { constructReference } = await import('../reference/construct.js');
    return { one: constructReference, batch: (xs) => xs.map(constructReference) };
  }
  const { constructWasm, constructWasmBatch } = await import('./construct.js');
  return { one: constructWasm, batch: constructWasmBatch };
}
