// The kernel's own texts (arch/x86/virt/vmx/tdx/tdx.c), without the "virt/tdx: " prefix and
// the trailing newline, exactly as tdmr-construction.md §5 records them.

import { hex } from './hex.js';

export function tdmrsReachingLimit(used: number, max: number): string {
  return `consumed TDMRs reaching limit: ${used} used out of ${max}`;
}

export function nidFallback(base: number, end: number): string {
  return `TDMR [${hex(base)}, ${hex(end)}): unable to find local NUMA node for PAMT allocation, fallback to use node 0.`;
}

export const TDMRS_EXHAUSTED_TEXT = 'initialization failed: TDMRs exhausted.';

export function reservedAreasExhausted(base: number, end: number): string {
  return `initialization failed: TDMR [${hex(base)}, ${hex(end)}): reserved areas exhausted.`;
}
