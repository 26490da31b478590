// SEAMCALL leaf numbers the kernel policies issue, and their printable names.

export const LEAF = {
  SYS_KEY_CONFIG: 31,
  SYS_INFO: 32,
  SYS_INIT: 33,
  SYS_RD: 34,
  SYS_LP_INIT: 35,
  SYS_TDMR_INIT: 36,
  SYS_LP_SHUTDOWN: 44,
  SYS_CONFIG: 45,
} as const;

export const LEAF_NAMES: Record<number, string> = {
  31: 'TDH.SYS.KEY.CONFIG',
  32: 'TDH.SYS.INFO',
  33: 'TDH.SYS.INIT',
  34: 'TDH.SYS.RD',
  35: 'TDH.SYS.LP.INIT',
  36: 'TDH.SYS.TDMR.INIT',
  44: 'TDH.SYS.LP.SHUTDOWN',
  45: 'TDH.SYS.CONFIG',
  52: 'TDH.SYS.SHUTDOWN',
  53: 'TDH.SYS.UPDATE',
};
