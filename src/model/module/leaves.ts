// SEAMCALL leaf numbers of the host-side initialization interface, as enumerated by the TDX
// module (include/tdx_api_defs.h, seamcall_leaf_opcode_t) and used by Linux (tdx.h).

export const LEAF = {
  SYS_KEY_CONFIG: 31,
  SYS_INFO: 32,
  SYS_INIT: 33,
  SYS_RD: 34,
  SYS_LP_INIT: 35,
  SYS_TDMR_INIT: 36,
  SYS_RDALL: 37,
  SYS_LP_SHUTDOWN: 44,
  SYS_CONFIG: 45,
  SYS_SHUTDOWN: 52,
  SYS_UPDATE: 53,
} as const;

export type LeafName = keyof typeof LEAF;

const NAMES = new Map<number, string>(
  (Object.entries(LEAF) as [LeafName, number][]).map(([k, v]) => [v, 'TDH.' + k.replace(/_/g, '.')]),
);

/** 'TDH.SYS.TDMR.INIT' for 36; other leaves by number. */
export function leafName(leaf: number): string {
  return NAMES.get(leaf) ?? `leaf ${leaf}`;
}

/** Leaves the model implements; any other leaf that gets past the state gate is a model misuse. */
export const MODELED_LEAVES: ReadonlySet<number> = new Set([
  LEAF.SYS_KEY_CONFIG,
  LEAF.SYS_INFO,
  LEAF.SYS_INIT,
  LEAF.SYS_RD,
  LEAF.SYS_LP_INIT,
  LEAF.SYS_TDMR_INIT,
  LEAF.SYS_LP_SHUTDOWN,
  LEAF.SYS_CONFIG,
  LEAF.SYS_SHUTDOWN,
  LEAF.SYS_UPDATE,
]);
