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

// Sweeps simulate thousands of platforms whose modules differ in a handful of ways: the table
// is the same for the same module identity, limits and CMRs, so it is built once per identity.
const metadataCache = new Map<string, SysMetadata>();
const METADATA_CACHE_MAX = 256;
// A frozen configuration (the simulator's, one per platform) cannot change: found by identity.
const metadataOfFrozen = new WeakMap<ModuleConfig, SysMetadata>();

/** The modeled fields, and for each the next field id TDH.SYS.RD reports (MD_FIELD_ID_NA after the last). */
export interface SysMetadata {
  values: ReadonlyMap<bigint, bigint>;
  next: ReadonlyMap<bigint, bigint>;
}

/** sysMetadata() with its next-field links, shared between modules with the same configuration. */
export function cachedSysMetadata(cfg: ModuleConfig): SysMetadata {
  const frozen = Object.isFrozen(cfg);
  let m = frozen ? metadataOfFrozen.get(cfg) : undefined;
  if (m) return m;
  m = cachedByValue(cfg);
  if (frozen) metadataOfFrozen.set(cfg, m);
  return m;
}

function cachedByValue(cfg: ModuleConfig): SysMetadata {
  const key = [cfg.version, cfg.features0, cfg.buildNum ?? 0, cfg.buildDate ?? 0, cfg.maxTdmrs, cfg.maxReservedPerTdmr,
    cfg.pamtEntrySize.join(','), cfg.cmrs.map((c) => `${c.start}-${c.end}`).join(',')].join('|');
  let m = metadataCache.get(key);
  if (!m) {
    if (metadataCache.size >= METADATA_CACHE_MAX) metadataCache.clear();
    const values = sysMetadata(cfg);
    const ids = [...values.keys()];
    m = { values, next: new Map(ids.map((id, i) => [id, i + 1 < ids.length ? ids[i + 1] : MD_FIELD_ID_NA])) };
    metadataCache.set(key, m);
  }
  return m;
}

/** Every modeled field and its value, in ascending field-id order (the order TDH.SYS.RD walks). */
export function sysMetadata(cfg: ModuleConfig): Map<bigint, bigint> {
  const v = parseVersion(cfg.version);
  const fields: [bigint, bigint][] = [
    [MD_FIELD.MINOR_VERSION, BigInt(v.minor)],
    [MD_FIELD.MAJOR_VERSION, BigInt(v.major)],
    [MD_FIELD.UPDATE_VERSION, BigInt(v.update)],
    [MD_FIELD.INTERNAL_VERSION, BigInt(v.internal)],
    [MD_FIELD.SYS_ATTRIBUTES, 0n],
    [MD_FIELD.TDX_FEATURES0, cfg.features0],
    [MD_FIELD.BUILD_NUM, BigInt(cfg.buildNum ?? 0)],
    [MD_FIELD.BUILD_DATE, BigInt(cfg.buildDate ?? 0)],
    [MD_FIELD.NUM_CMRS, BigInt(Math.min(cfg.cmrs.length, MAX_CMRS))],
    [MD_FIELD.MAX_TDMRS, BigInt(cfg.maxTdmrs)],
    [MD_FIELD.MAX_RESERVED_PER_TDMR, BigInt(cfg.maxReservedPerTdmr)],
    [MD_FIELD.PAMT_4K_ENTRY_SIZE, BigInt(cfg.pamtEntrySize[0])],
    [MD_FIELD.PAMT_2M_ENTRY_SIZE, BigInt(cfg.pamtEntrySize[1])],
    [MD_FIELD.PAMT_1G_ENTRY_SIZE, BigInt(cfg.pamtEntrySize[2])],
  ];
  for (let i = 0; i < MAX_CMRS; i++) {
    const s = cmrSlot(cfg, i);
    fields.push([cmrBaseField(i), s.base], [cmrSizeField(i), s.size]);
  }
  fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(fields);
}

/**
 * One TDH.SYS.RD: R8 = the value, RDX = the next field id (how the module lets a VMM walk the
 * context). Unknown fields: TDX_METADATA_FIELD_ID_INCORRECT. Only the fields above are modeled;
 * the real module knows many more (CPUID configs, TD limits) that host initialization never reads.
 */
export function readSysField(meta: SysMetadata, field: bigint): { status: bigint; rdx: bigint; r8: bigint } {
  const value = meta.values.get(field);
  if (value === undefined) return { status: STATUS.TDX_METADATA_FIELD_ID_INCORRECT, rdx: MD_FIELD_ID_NA, r8: 0n };
  return { status: STATUS.TDX_SUCCESS, rdx: meta.next.get(field)!, r8: value };
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
