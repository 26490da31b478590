// SEAMCALL completion status codes (RAX) and the module's way of packing detail into them.
//
// Values are those of the TDX module's generated error-code header (intel/tdx-module,
// include/auto_gen*/tdx_error_codes_defs.h). The low 32 bits carry operand ids or index bytes
// (api_error_with_operand_id / api_error_with_multiple_info), so a status is identified by its
// upper 32 bits; the exact 64-bit value matters to anyone comparing against a real log.

import { hexPadded } from '../../construct/hex.js';

export const STATUS = {
  TDX_SUCCESS: 0x0000000000000000n,
  TDX_OPERAND_INVALID: 0xc000010000000000n,
  TDX_OPERAND_BUSY: 0x8000020000000000n,
  TDX_SYS_BUSY: 0x8000020200000000n,
  TDX_RND_NO_ENTROPY: 0x8000020300000000n,
  TDX_SYS_INIT_NOT_PENDING: 0xc000050000000000n,
  TDX_SYS_LP_INIT_NOT_DONE: 0xc000050200000000n,
  TDX_SYS_LP_INIT_DONE: 0xc000050300000000n,
  TDX_SYS_NOT_READY: 0xc000050500000000n,
  TDX_SYS_SHUTDOWN: 0xc000050600000000n,
  TDX_SYS_KEY_CONFIG_NOT_PENDING: 0xc000050700000000n,
  TDX_SYS_STATE_INCORRECT: 0xc000050800000000n,
  TDX_SYS_INVALID_HANDOFF: 0xc000050900000000n,
  TDX_SYS_LP_INIT_NOT_PENDING: 0xc000050b00000000n,
  TDX_SYS_CONFIG_NOT_PENDING: 0xc000050c00000000n,
  TDX_KEY_GENERATION_FAILED: 0x8000080000000000n,
  TDX_KEY_CONFIGURED: 0x0000081500000000n,
  TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED: 0xc000082500000000n,
  TDX_INCORRECT_CPUID_VALUE: 0xc000090000000000n,
  TDX_INCONSISTENT_CPUID_FIELD: 0xc000090200000000n,
  TDX_INVALID_PKG_ID: 0xc000090600000000n,
  TDX_INCONSISTENT_MSR: 0xc000092000000000n,
  TDX_INCORRECT_MSR_VALUE: 0xc000092100000000n,
  TDX_INVALID_TDMR: 0xc0000a0000000000n,
  TDX_NON_ORDERED_TDMR: 0xc0000a0100000000n,
  TDX_TDMR_OUTSIDE_CMRS: 0xc0000a0200000000n,
  TDX_TDMR_ALREADY_INITIALIZED: 0x00000a0300000000n,
  TDX_INVALID_PAMT: 0xc0000a1000000000n,
  TDX_PAMT_OUTSIDE_CMRS: 0xc0000a1100000000n,
  TDX_PAMT_OVERLAP: 0xc0000a1200000000n,
  TDX_INVALID_RESERVED_IN_TDMR: 0xc0000a2000000000n,
  TDX_NON_ORDERED_RESERVED_IN_TDMR: 0xc0000a2100000000n,
  TDX_CMR_LIST_INVALID: 0xc0000a2200000000n,
  TDX_METADATA_FIELD_ID_INCORRECT: 0xc0000c0000000000n,
  // Not produced by the module: the kernel's SEAMCALL wrapper synthesizes these from a
  // VMfailInvalid, a #GP and a #UD on the SEAMCALL instruction itself.
  VMFAILINVALID: 0x8000ff00ffff0000n,
  SEAMCALL_GP: 0x8000ff000000000dn,
  SEAMCALL_UD: 0x8000ff0000000006n,
} as const satisfies Record<string, bigint>;

export type StatusName = keyof typeof STATUS;

/** Operand ids the module adds to TDX_OPERAND_INVALID / TDX_OPERAND_BUSY (register numbers). */
export const OPERAND = { RAX: 0, RCX: 1, RDX: 2, R8: 8, R9: 9 } as const;

/** Page-size byte of PAMT-related statuses (the module's PT_4KB / PT_2MB / PT_1GB). */
export const PS = { K4: 0, M2: 1, G1: 2 } as const;
export type PageSizeIndex = 0 | 1 | 2;

/** Synthesized codes are matched on their full value: their low bits are not detail. */
const SYNTHESIZED = new Set<bigint>([STATUS.VMFAILINVALID, STATUS.SEAMCALL_GP, STATUS.SEAMCALL_UD]);

const HIGH_MASK = 0xffffffff00000000n;
const BY_HIGH = new Map<bigint, StatusName>();
const BY_FULL = new Map<bigint, StatusName>();
for (const [name, value] of Object.entries(STATUS) as [StatusName, bigint][]) {
  if (SYNTHESIZED.has(value)) BY_FULL.set(value, name);
  else BY_HIGH.set(value & HIGH_MASK, name);
}

/** The status class name, ignoring operand ids and index bytes. */
export function statusName(s: bigint): string {
  // Success is by far the most frequent answer; skip the BigInt-keyed map for it.
  if (s === 0n) return 'TDX_SUCCESS';
  const full = BY_FULL.get(s);
  if (full) return full;
  return BY_HIGH.get(s & HIGH_MASK) ?? `UNKNOWN_${hexStatus(s)}`;
}

/** The status with its detail bits cleared (TDX_PAMT_OVERLAP for 0xC0000A1200000102). */
export function statusBase(s: bigint): bigint {
  return SYNTHESIZED.has(s) ? s : s & HIGH_MASK;
}

/** Bit 63: the SEAMCALL failed. TDX_KEY_CONFIGURED and TDX_TDMR_ALREADY_INITIALIZED lack it. */
export function isError(s: bigint): boolean {
  return (s >> 63n) & 1n ? true : false;
}

/** Bit 62: the failure is not recoverable by retrying. */
export function isNonRecoverable(s: bigint): boolean {
  return (s >> 62n) & 1n ? true : false;
}

/** Same arithmetic as the module's api_error_with_operand_id: an addition, not an OR. */
export function withOperand(code: bigint, operandId: number | bigint): bigint {
  return code + BigInt(operandId);
}

/**
 * api_error_with_multiple_info: byte 0 = TDMR index i, byte 1 = page size (0/1/2) or reserved-
 * area index j, byte 2 = the other TDMR's index. The module casts each to uint8_t, so indexes of
 * 256 and above wrap; that is reproduced rather than hidden.
 */
export function packIndex(code: bigint, b0: number, b1 = 0, b2 = 0, b3 = 0): bigint {
  const byte = (n: number) => BigInt(n & 0xff);
  return code + byte(b0) + (byte(b1) << 8n) + (byte(b2) << 16n) + (byte(b3) << 24n);
}

/** The index bytes of a packed status, for reports. */
export function unpackIndex(s: bigint): [number, number, number, number] {
  const b = (k: bigint) => Number((s >> k) & 0xffn);
  return [b(0n), b(8n), b(16n), b(24n)];
}

/** '0x' and 16 lowercase hex digits, the form the kernel prints (SEAMCALL ... failed: 0x%016llx). */
export function hexStatus(s: bigint): string {
  return hexPadded(BigInt.asUintN(64, s), 16);
}
