// Kernel error numbers as the kernel prints them ("module initialization failed (-28)").

export const ERRNO = {
  EPERM: 1, EIO: 5, ENOMEM: 12, EFAULT: 14, ENODEV: 19, EINVAL: 22, ENOSPC: 28, E2BIG: 7,
  EACCES: 13, EOPNOTSUPP: 95,
} as const;

export type ErrnoName = keyof typeof ERRNO;

/** "-ENOSPC" style name and the negative number the kernel returns. */
export function errnoValue(name: ErrnoName): number {
  return -ERRNO[name];
}

// Statuses Linux synthesizes when the SEAMCALL itself does not reach the module.
export const SEAMCALL_VMFAILINVALID = 0x8000ff00ffff0000n;
export const SEAMCALL_GP = 0x8000ff000000000dn;
export const SEAMCALL_UD = 0x8000ff0000000006n;

/** sc_retry_prerr(): how the kernel turns a non-zero SEAMCALL status into an errno. */
export function seamcallErrno(status: bigint): ErrnoName {
  if (status === SEAMCALL_VMFAILINVALID) return 'ENODEV';
  if (status === SEAMCALL_GP) return 'EOPNOTSUPP';
  if (status === SEAMCALL_UD) return 'EACCES';
  return 'EIO';
}
