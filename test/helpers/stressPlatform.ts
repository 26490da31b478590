// A platform at the scale the WASM engine exists for: `regions` memory regions over 8 nodes
// and 64 TiB, with limits high enough (1,000,000 TDMRs and reserved areas per TDMR) that the
// kernel's quadratic loops, not the limits, would decide the run time. Shared by the engine
// tests and the benchmark.

import type { ConstructInput, MemRange, NodeRange } from '../../src/construct/types.js';
import { rng } from './randomPlatform.js';

const PAGE = 4096;
const MiB = 2 ** 20;
const TOTAL = 2 ** 46; // 64 TiB
const NODES = 8;

export function stressPlatform(regions: number, seed: number): ConstructInput {
  const r = rng(seed);
  const perNode = TOTAL / NODES;
  const memory: NodeRange[] = [{ start: 0, end: 0x9f000, node: 0 }];
  const reserved: MemRange[] = [{ start: 0, end: MiB }];
  // Regions split each node's 8 TiB evenly on average; a random share of every slot is a gap,
  // so regions never touch and blocks straddle 1 GiB boundaries at random.
  const perNodeRegions = Math.ceil(regions / NODES);
  const slot = perNode / perNodeRegions;
  let made = 0;
  for (let node = 0; node < NODES && made < regions; node++) {
    const nodeBase = node * perNode;
    for (let i = 0; i < perNodeRegions && made < regions; i++, made++) {
      const slotStart = nodeBase + i * slot;
      const lead = Math.floor((r() * 0.2 * slot) / PAGE) * PAGE;
      const len = Math.max(PAGE, Math.floor(((0.5 + 0.3 * r()) * slot) / PAGE) * PAGE);
      const start = Math.max(Math.ceil(slotStart / PAGE) * PAGE + lead, MiB);
      memory.push({ start, end: start + len, node });
      // Now and then firmware or the kernel holds a piece of it.
      if (r() < 0.02) {
        const off = Math.floor((r() * len) / 2 / PAGE) * PAGE;
        reserved.push({ start: start + off, end: start + off + Math.max(PAGE, Math.floor((r() * len) / 4 / PAGE) * PAGE) });
      }
    }
  }
  const nodeDistance = Array.from({ length: NODES }, (_, i) =>
    Array.from({ length: NODES }, (_, j) => (i === j ? 10 : (i >> 2) === (j >> 2) ? 16 : 32)),
  );
  return {
    memory,
    reserved,
    cmrs: [],
    holes: 'memblock',
    nodeDistance,
    maxTdmrs: 1_000_000,
    maxReservedPerTdmr: 1_000_000,
    pamtEntrySize: [16, 16, 16],
  };
}
