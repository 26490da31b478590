// The module's global state (sys_state) and the dispatcher's gate in front of every leaf.

import { LEAF } from './leaves.js';
import { STATUS } from './status.js';

export type ModuleState = 'SYSINIT_PENDING' | 'SYSINIT_DONE' | 'SYSCONFIG_DONE' | 'SYS_READY' | 'SYS_SHUTDOWN';

/**
 * Which module generation's rules apply. 1.0 modules lacked TDH.SYS.RD before SYS_READY (the
 * reason 6.8+ kernels cannot initialize them) and really shut down on TDH.SYS.LP.SHUTDOWN;
 * 1.5 and later made LP.SHUTDOWN a no-op kept for legacy VMMs.
 */
export type ModuleSemantics = '1.0' | '1.5';

export function semanticsOf(version: string): ModuleSemantics {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!m) throw new RangeError(`module version "${version}" is not "major.minor[...]"`);
  return Number(m[1]) === 1 && Number(m[2]) === 0 ? '1.0' : '1.5';
}

const PRE_READY_15: ReadonlySet<number> = new Set([
  LEAF.SYS_INFO,
  LEAF.SYS_RD,
  LEAF.SYS_RDALL,
  LEAF.SYS_INIT,
  LEAF.SYS_LP_INIT,
  LEAF.SYS_CONFIG,
  LEAF.SYS_KEY_CONFIG,
  LEAF.SYS_LP_SHUTDOWN,
  LEAF.SYS_UPDATE,
]);

const PRE_READY_10: ReadonlySet<number> = new Set([
  LEAF.SYS_INFO,
  LEAF.SYS_INIT,
  LEAF.SYS_LP_INIT,
  LEAF.SYS_CONFIG,
  LEAF.SYS_KEY_CONFIG,
  LEAF.SYS_LP_SHUTDOWN,
]);

/** Leaves that may run while the module is not yet SYS_READY. */
export function preReadyLeaves(sem: ModuleSemantics): ReadonlySet<number> {
  return sem === '1.0' ? PRE_READY_10 : PRE_READY_15;
}

/**
 * The dispatcher's check before any leaf handler runs: null to proceed, else the status the
 * SEAMCALL returns. Shutdown is checked first, so a shut-down module says TDX_SYS_SHUTDOWN
 * even for leaves that would also be refused as not ready.
 */
export function gate(state: ModuleState, leaf: number, sem: ModuleSemantics): bigint | null {
  if (state === 'SYS_SHUTDOWN' && leaf !== LEAF.SYS_LP_SHUTDOWN) return STATUS.TDX_SYS_SHUTDOWN;
  if (state !== 'SYS_READY' && !preReadyLeaves(sem).has(leaf)) return STATUS.TDX_SYS_NOT_READY;
  return null;
}
