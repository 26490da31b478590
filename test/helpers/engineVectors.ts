// A self-contained reading of the golden vectors for the engine tests: the vector platform
// (hex strings) to a ConstructInput, and the RESULT to canonical JSON. Deliberately
// independent of src/platform and src/construct/canonical so that the engine is checked
// against the vectors without leaning on the code it is compared with elsewhere.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConstructInput, ConstructResult, NodeRange } from '../../src/construct/types.js';

export const VECTOR_FILE = fileURLToPath(
  new URL('../data/vectors/kernel-tdmr.jsonl', import.meta.url),
);

interface RawRange {
  start: string;
  end: string;
  node?: number;
}

interface RawPlatform {
  name: string;
  memory: RawRange[];
  reserved?: RawRange[];
  nodeDistance?: number[][];
  module?: Partial<Record<'maxTdmrs' | 'maxReservedPerTdmr' | 'pamtEntrySize4k' | 'pamtEntrySize2m' | 'pamtEntrySize1g', number>>;
}

export interface EngineVector {
  name: string;
  input: ConstructInput;
  expected: string;
}

const num = (h: string): number => Number(BigInt(h));
const hex = (n: number): string => '0x' + n.toString(16);

export function vectorInput(p: RawPlatform): ConstructInput {
  // memblock merges touching regions of one node.
  const memory: NodeRange[] = [];
  for (const m of p.memory) {
    const r = { start: num(m.start), end: num(m.end), node: m.node ?? 0 };
    const last = memory[memory.length - 1];
    if (last && last.end === r.start && last.node === r.node) last.end = r.end;
    else memory.push(r);
  }
  const nodes = memory.reduce((n, m) => Math.max(n, m.node + 1), 1);
  const nodeDistance =
    p.nodeDistance ??
    Array.from({ length: nodes }, (_, i) => Array.from({ length: nodes }, (_, j) => (i === j ? 10 : 20)));
  const mod = p.module ?? {};
  return {
    memory,
    reserved: (p.reserved ?? []).map((r) => ({ start: num(r.start), end: num(r.end) })),
    cmrs: [],
    holes: 'memblock',
    nodeDistance,
    maxTdmrs: mod.maxTdmrs ?? 64,
    maxReservedPerTdmr: mod.maxReservedPerTdmr ?? 16,
    pamtEntrySize: [mod.pamtEntrySize4k ?? 16, mod.pamtEntrySize2m ?? 16, mod.pamtEntrySize1g ?? 16],
  };
}

/** The RESULT of tdmr-construction.md §5 with its keys in the spec's order. */
export function canonical(r: ConstructResult): string {
  const range = (x: { base: number; size: number }) => ({ base: hex(x.base), size: hex(x.size) });
  if (!r.ok) {
    return JSON.stringify({
      ok: false,
      error: r.error,
      ...(r.tdmr ? { tdmr: range(r.tdmr) } : {}),
      warnings: r.warnings,
    });
  }
  return JSON.stringify({
    ok: true,
    tdmrs: r.tdmrs.map((t) => ({
      base: hex(t.base),
      size: hex(t.size),
      nid: t.nid,
      pamt4k: range(t.pamt4k),
      pamt2m: range(t.pamt2m),
      pamt1g: range(t.pamt1g),
      reserved: t.reserved.map((a) => ({ offset: hex(a.offset), size: hex(a.size) })),
    })),
    pamtKb: r.pamtKb,
    warnings: r.warnings,
  });
}

export function engineVectors(): EngineVector[] {
  return readFileSync(VECTOR_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const o = JSON.parse(line) as { input: RawPlatform; expected: unknown };
      return { name: o.input.name, input: vectorInput(o.input), expected: JSON.stringify(o.expected) };
    });
}
