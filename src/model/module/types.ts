// The module model's inputs and the register-level shape of a SEAMCALL.

import type { TdmrTable } from '../../construct/tdmrTable.js';

/** Every BIOS-enabled LP (MCHECK counts them all), online in Linux or not. */
export interface ModuleLp {
  id: number;
  package: number;
  /** false: this LP's MSRs differ from those TDH.SYS.INIT sampled → TDX_INCONSISTENT_MSR on LP.INIT. */
  msrOk?: boolean;
  /** false: this LP's CPUID differs → TDX_INCONSISTENT_CPUID_FIELD on LP.INIT. */
  cpuidOk?: boolean;
}

export interface ReservedAreaInfo {
  offset: bigint;
  size: bigint;
}

/**
 * One TDMR_INFO entry. The module reads exactly maxReservedPerTdmr reserved-area slots; entries
 * missing from `reserved` are empty slots (size 0). More entries than slots cannot be expressed
 * in the real structure, so the model refuses them (RangeError) instead of silently dropping them.
 */
export interface TdmrInfo {
  base: bigint;
  size: bigint;
  pamt4kBase: bigint;
  pamt4kSize: bigint;
  pamt2mBase: bigint;
  pamt2mSize: bigint;
  pamt1gBase: bigint;
  pamt1gSize: bigint;
  reserved: ReservedAreaInfo[];
}

export interface CmrEntry {
  start: bigint;
  end: bigint;
}

export interface ModuleConfig {
  loaded: boolean;
  /** "1.0.x" → 1.0 semantics; "1.5.x", "2.x" → 1.5 semantics (state.ts, semanticsOf). */
  version: string;
  maxTdmrs: number;
  maxReservedPerTdmr: number;
  /** Bytes per PAMT entry at the 4K, 2M and 1G levels (16 on every module so far). */
  pamtEntrySize: [number, number, number];
  /** TDX_FEATURES0: bit 18 NO_RBP_MOD, bit 36 DYNAMIC_PAMT. */
  features0: bigint;
  /** totalLps = lps.length, totalPkgs = number of distinct packages. */
  lps: ModuleLp[];
  /** MCHECK's CMR list in slot order (at most 32 slots; an entry with start === end is an empty slot). */
  cmrs: readonly CmrEntry[];
  /** KeyID partitioning: TDX private KeyIDs are [mktme + 1, mktme + tdx + 1). */
  keyids: { mktme: number; tdx: number };
  /** false → TDH.SYS.INIT fails its platform check with TDX_INCORRECT_MSR_VALUE. */
  sysInitPlatformOk?: boolean;
  /** Physical address width; the KeyID bits are its top bits. Default 52. */
  maxPaBits?: number;
  /** TDH.SYS.UPDATE finds a valid hand-off from a previous module (default false). */
  handoffValid?: boolean;
  /** Reported by TDH.SYS.RD / TDH.SYS.INFO only; 0 when unknown. */
  buildNum?: number;
  buildDate?: number;
}

export interface SeamcallArgs {
  rcx?: bigint;
  rdx?: bigint;
  r8?: bigint;
  r9?: bigint;
  /**
   * TDH.SYS.CONFIG: the TDMR_INFO array RCX points to (rcx = its address; default a 512-aligned
   * kernel address): register-exact entries, or a construction's flat table.
   */
  tdmrs?: readonly TdmrInfo[] | TdmrTable;
  /** TDH.SYS.CONFIG: the address of each TDMR_INFO (the entries of the array at RCX); default 512-aligned kernel addresses. */
  tdmrPas?: bigint[];
  /** TDH.SYS.RD: the metadata field id (else taken from rdx). */
  field?: bigint;
}

/** TDH.SYS.INFO's TDSYSINFO_STRUCT, the fields the kernel uses, and the CMR_INFO array. */
export interface SysInfoStruct {
  vendorId: number;
  majorVersion: number;
  minorVersion: number;
  buildNum: number;
  buildDate: number;
  /** The module tells the VMM to use TDH.SYS.RD* (1.5+). */
  sysRd: boolean;
  maxTdmrs: number;
  maxReservedPerTdmr: number;
  /** One entry size for all levels (the legacy struct has a single field). */
  pamtEntrySize: number;
  /** All 32 slots, empty ones included. */
  cmrs: { base: bigint; size: bigint }[];
}

export interface SeamcallResult {
  status: bigint;
  /** statusName(status). */
  name: string;
  rdx?: bigint;
  r8?: bigint;
  r9?: bigint;
  /** TDH.SYS.INFO only. */
  info?: SysInfoStruct;
}
