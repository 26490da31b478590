// TDH.SYS.INIT's platform checks that the model can express: the KeyID partitioning and the
// CMR list MCHECK handed over (tdh_sys_init.c, check_key_management_config and check_cmrs).

import { MAX_CMRS, MAX_HKIDS, MAX_PA, MAX_U64, SZ_4K, type KeyIdLayout } from './configChecks.js';
import { STATUS, withOperand } from './status.js';
import type { CmrEntry } from './types.js';

/** IA32_ARCH_CAPABILITIES, the first MSR SYS.INIT rejects; used as the operand of a modeled platform failure. */
export const IA32_ARCH_CAPABILITIES = 0x10a;
/** IA32_CORE_CAPABILITIES, the first MSR LP.INIT compares with SYS.INIT's sample. */
export const IA32_CORE_CAPABILITIES = 0xcf;

/**
 * The module's defence-in-depth check of MCHECK's CMR list. Empty slots are skipped wherever
 * they are (the module does not require them to form a tail); every non-empty one must be 4 KiB
 * aligned, free of KeyID bits, below 2^52, and above the previous non-empty one without overlap.
 * More than 32 entries cannot exist in MCHECK's table, so the model reports them as invalid.
 */
export function cmrListValid(cmrs: readonly CmrEntry[], k: KeyIdLayout): boolean {
  if (cmrs.length > MAX_CMRS) return false;
  let prevStart = 0n;
  let prevLast = 0n;
  for (const c of cmrs) {
    const size = c.end - c.start;
    if (size === 0n) continue;
    if (c.start < 0n || size < 0n || c.start > MAX_U64 - size) return false;
    const last = c.start + size - 1n;
    // The module compares the last byte with 2^52 using '>', so a CMR ending exactly at 2^52 passes.
    if ((c.start & k.mask) !== 0n || (last & k.mask) !== 0n || last > 1n << BigInt(MAX_PA)) return false;
    if (c.start % SZ_4K !== 0n || size % SZ_4K !== 0n) return false;
    if (prevLast > 0n && (prevStart > c.start || prevLast > c.start)) return false;
    prevStart = c.start;
    prevLast = last;
  }
  return true;
}

/** The SYS.INIT status from the platform facts, in the module's order (MSRs, KeyIDs, CMRs). */
export function sysInitPlatformStatus(
  platformOk: boolean,
  keyids: { mktme: number; tdx: number },
  cmrs: readonly CmrEntry[],
  k: KeyIdLayout,
): bigint {
  if (!platformOk) return withOperand(STATUS.TDX_INCORRECT_MSR_VALUE, IA32_ARCH_CAPABILITIES);
  // The module adds MAX_HKIDS as the "operand", so the status reads ...00000800.
  if (keyids.mktme + keyids.tdx >= MAX_HKIDS) return withOperand(STATUS.TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED, MAX_HKIDS);
  if (!cmrListValid(cmrs, k)) return STATUS.TDX_CMR_LIST_INVALID;
  return STATUS.TDX_SUCCESS;
}
