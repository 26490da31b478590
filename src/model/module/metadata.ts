// What the module reports about itself: the TDH.SYS.RD global-metadata fields the Linux kernel
// reads (field ids from arch/x86/virt/vmx/tdx/tdx.h / tdx_global_metadata.c, "TDX 1.5 ABI
// definitions"), and the legacy TDH.SYS.INFO structure the 2022 kernels read instead.

import { MAX_CMRS } from './configChecks.js';
import { STATUS } from './status.js';
import type { ModuleConfig, SysInfoStruct } from './types.js';

export const MD_FIELD = {
  SYS_ATTRIBUTES: 0x0a00000200000000n,
  TDX_FEATURES0: 0x0a00000300000008n,
  BUILD_DATE: 0x8800000200000001n,
  BUILD_NUM: 0x8800000100000002n,
  MINOR_VERSION: 0x0800000100000003n,
  MAJOR_VERSION: 0x0800000100000004n,
  UPDATE_VERSION: 0x0800000100000005n,
  INTERNAL_VERSION: 0x0800000100000006n,
  NUM_CMRS: 0x9000000100000000n,
  MAX_TDMRS: 0x9100000100000008n,
  MAX_RESERVED_PER_TDMR: 0x9100000100000009n,
  PAMT_4K_ENTRY_SIZE: 0x9100000100000010n,
  PAMT_2M_ENTRY_SIZE: 0x9100000100000011n,
  PAMT_1G_ENTRY_SIZE: 0x9100000100000012n,
} as const;

/** CMR_BASE / CMR_SIZE are arrays: element i has field id base + i. */
export function cmrBaseField(i: number): bigint {
  return 0x9000000300000080n + BigInt(i);
}
export function cmrSizeField(i: number): bigint {
  return 0x9000000300000100n + BigInt(i);
}

/** The kernel's 'no next field' marker (MD_FIELD_ID_NA). */
export const MD_FIELD_ID_NA = 0xffffffffffffffffn;

export interface ModuleVersion {
  major: number;
  minor: number;
  update: number;
  internal: number;
}

/** "1.5.06.00" → 1, 5, 6, 0; missing parts are 0. */
export function parseVersion(version: string): ModuleVersion {
  const [major = 0, minor = 0, update = 0, internal = 0] = version
    .trim()
    .split('.')
    .map((p) => Number.parseInt(p, 10))
    .map((n) => (Number.isFinite(n) ? n : 0));
  return { major, minor, update, internal };
}

function cmrSlot(cfg: ModuleConfig, i: number): { base: bigint; size: bigint } {
  const c = cfg.cmrs[i];
  return c ? { base: c.start, size: c.end - c.start } : { base: 0n, size: 0n };
}

// The set of modeled fields does not depend on the configuration, only their values do: the
// walk order (and each field's successor) is fixed once, and a read computes just its value,
// so no per-module table is built (a sweep builds a module per row). Each field id maps to its
// place in the walk; what it reads is found by that place (a switch on BigInt ids compared
// every case, a handful of BigInt comparisons per read).
const FIELD_ORDER: readonly bigint[] = [
  ...Object.values(MD_FIELD),
  ...Array.from({ length: MAX_CMRS }, (_, i) => [cmrBaseField(i), cmrSizeField(i)]).flat(),
].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const PLACE: ReadonlyMap<bigint, number> = new Map(FIELD_ORDER.map((id, i) => [id, i]));
const CMR_BASE_0 = cmrBaseField(0);
const CMR_SIZE_0 = cmrSizeField(0);
/** By place: the MD_FIELD name, or a CMR slot (base: slot, size: MAX_CMRS + slot). */
const WHAT: readonly (keyof typeof MD_FIELD | number)[] = FIELD_ORDER.map((id) => {
  const name = (Object.keys(MD_FIELD) as (keyof typeof MD_FIELD)[]).find((k) => MD_FIELD[k] === id);
  return name ?? (id >= CMR_SIZE_0 ? MAX_CMRS + Number(id - CMR_SIZE_0) : Number(id - CMR_BASE_0));
});

function versionOf(cfg: ModuleConfig): ModuleVersion {
  return parseVersion(cfg.version);
}

/** The value of the modeled field at `place` in the walk. */
function fieldValue(cfg: ModuleConfig, place: number): bigint {
  const what = WHAT[place]!;
  if (typeof what === 'number') return what < MAX_CMRS ? cmrSlot(cfg, what).base : cmrSlot(cfg, what - MAX_CMRS).size;
  switch (what) {
    case 'MINOR_VERSION': return BigInt(versionOf(cfg).minor);
    case 'MAJOR_VERSION': return BigInt(versionOf(cfg).major);
    case 'UPDATE_VERSION': return BigInt(versionOf(cfg).update);
    case 'INTERNAL_VERSION': return BigInt(versionOf(cfg).internal);
    case 'SYS_ATTRIBUTES': return 0n;
    case 'TDX_FEATURES0': return cfg.features0;
    case 'BUILD_NUM': return BigInt(cfg.buildNum ?? 0);
    case 'BUILD_DATE': return BigInt(cfg.buildDate ?? 0);
    case 'NUM_CMRS': return BigInt(Math.min(cfg.cmrs.length, MAX_CMRS));
    case 'MAX_TDMRS': return BigInt(cfg.maxTdmrs);
    case 'MAX_RESERVED_PER_TDMR': return BigInt(cfg.maxReservedPerTdmr);
    case 'PAMT_4K_ENTRY_SIZE': return BigInt(cfg.pamtEntrySize[0]);
    case 'PAMT_2M_ENTRY_SIZE': return BigInt(cfg.pamtEntrySize[1]);
    case 'PAMT_1G_ENTRY_SIZE': return BigInt(cfg.pamtEntrySize[2]);
  }
}

/**
 * One TDH.SYS.RD: R8 = the value, RDX = the next field id (how the module lets a VMM walk the
 * context). Unknown fields: TDX_METADATA_FIELD_ID_INCORRECT. Only the fields above are modeled;
 * the real module knows many more (CPUID configs, TD limits) that host initialization never reads.
 */
export function readSysField(cfg: ModuleConfig, field: bigint): { status: bigint; rdx: bigint; r8: bigint } {
  const place = PLACE.get(field);
  if (place === undefined) return { status: STATUS.TDX_METADATA_FIELD_ID_INCORRECT, rdx: MD_FIELD_ID_NA, r8: 0n };
  return { status: STATUS.TDX_SUCCESS, rdx: FIELD_ORDER[place + 1] ?? MD_FIELD_ID_NA, r8: fieldValue(cfg, place) };
}

/** TDH.SYS.INFO's output: the fields Linux's 2022 series used, and all 32 CMR slots. */
export function sysInfoStruct(cfg: ModuleConfig): SysInfoStruct {
  const v = parseVersion(cfg.version);
  const cmrs: { base: bigint; size: bigint }[] = [];
  for (let i = 0; i < MAX_CMRS; i++) cmrs.push(cmrSlot(cfg, i));
  return {
    vendorId: 0x8086,
    majorVersion: v.major,
    minorVersion: v.minor,
    buildNum: cfg.buildNum ?? 0,
    buildDate: cfg.buildDate ?? 0,
    sysRd: !(v.major === 1 && v.minor === 0),
    maxTdmrs: cfg.maxTdmrs,
    maxReservedPerTdmr: cfg.maxReservedPerTdmr,
    // The legacy struct has one entry size for all levels; the module fills it with the 4K one.
    pamtEntrySize: cfg.pamtEntrySize[0],
    cmrs,
  };
}

/** The size of TDSYSINFO_STRUCT, which TDH.SYS.INFO returns in RDX. */
export const SYS_INFO_STRUCT_SIZE = 1024n;
