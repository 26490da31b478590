import type { ConstructInput } from './types.js';
import type { Platform } from '../platform/types.js';

/** The part of a platform that TDMR construction reads. */
export function toConstructInput(p: Platform): ConstructInput {
  return {
    memory: p.memory,
    reserved: p.reserved,
    cmrs: p.cmrs,
    holes: p.kernel.holes,
    nodeDistance: p.nodeDistance,
    maxTdmrs: p.module.maxTdmrs,
    maxReservedPerTdmr: p.module.maxReservedPerTdmr,
    pamtEntrySize: [p.module.pamtEntrySize4k, p.module.pamtEntrySize2m, p.module.pamtEntrySize1g],
  };
}
