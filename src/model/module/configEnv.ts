// What TDH.SYS.CONFIG's checks read, shared by the exact checks (configChecks.ts) and their
// plain-number fast path (configPlain.ts): the environment, the operands, the KeyID layout and
// the default addresses. A file of its own so that neither of the two imports the other's
// neighbour back (configChecks uses configPlain; both use this).

import * as C from '../../construct/constants.js';
import type { CmrEntry, TdmrInfo } from './types.js';
import type { TdmrTable } from '../../construct/tdmrTable.js';

/** The module's MAX_PA: addresses must be below 2^52 whatever the platform's width. */
export const MAX_PA = C.MAX_PA_BITS;
/** TDMR_INFO and the array of their addresses: Linux aligns both to 512 bytes, the module requires it. */
export const TDMR_INFO_ALIGNMENT = 512n;

/** Where the model puts the kernel's TDMR address array and TDMR_INFO entries when the caller does not say. */
export const DEFAULT_TDMR_ARRAY_PA = 0x1_0000_0000n;
export const DEFAULT_TDMR_INFO_PA = 0x1_0001_0000n;

export interface KeyIdLayout {
  /** KeyID bits in a physical address (the top bits below maxPaBits). */
  bits: number;
  /** Lowest KeyID bit (the module's hkid_start_bit). */
  start: number;
  mask: bigint;
  /** TDX private KeyIDs are [privateMin, privateMax] (inclusive, as the module stores them). */
  privateMin: number;
  privateMax: number;
}

/** Environment the checks depend on: a ModuleConfig satisfies it. */
export interface ConfigEnv {
  cmrs: readonly CmrEntry[];
  maxTdmrs: number;
  maxReservedPerTdmr: number;
  pamtEntrySize: readonly [number, number, number];
  keyids: { mktme: number; tdx: number };
  features0: bigint;
  maxPaBits?: number;
}

/** The SEAMCALL operands. Defaults are what the Linux kernel passes. */
export interface ConfigOperands {
  /**
   * The TDMR_INFO array: register-exact entries, or the flat table a construction produced
   * (each TDMR's first maxReservedPerTdmr areas fill its slots, as the kernel copies them).
   */
  tdmrs: readonly TdmrInfo[] | TdmrTable;
  /** Address of the TDMR address array (default DEFAULT_TDMR_ARRAY_PA). */
  rcx?: bigint;
  /** Number of TDMRs (default tdmrs.length). */
  rdx?: bigint;
  /** Global KeyID and options (default the first TDX KeyID, no options). */
  r8?: bigint;
  /** Address of each TDMR_INFO (default DEFAULT_TDMR_INFO_PA + 512·i). */
  tdmrPas?: readonly bigint[];
}
