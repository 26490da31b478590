// Architectural constants of TDX host initialization, in one place for the whole project:
// page and mapping sizes (arch/x86/include/asm/page_types.h, linux/sizes.h), the TDX module's
// limits and the defaults platform-format.md gives for what TDH.SYS.INFO would report.
//
// AssemblyScript compiles this same file (the construct kernel under assembly/ imports it), so
// keep it to plain numeric constants, no imports and no expressions AssemblyScript and
// TypeScript would read differently. In TypeScript every value is an exact double; in
// AssemblyScript they are i32 literals that the kernel widens to u64 where it computes.
// BigInt forms (the module model's 64-bit arithmetic) are derived from these, not retyped.

/** log2 of the 4 KiB page. */
export const PAGE_SHIFT = 12;
export const SZ_4K = 0x1000;
/** The kernel's PAGE_SIZE. */
export const PAGE_SIZE = SZ_4K;
export const SZ_1M = 0x100000;
export const SZ_2M = 0x200000;
export const SZ_4M = 0x400000;
export const SZ_16M = 0x1000000;
export const SZ_1G = 0x40000000;

/** The module's MAX_PA: physical addresses are below 2^52 whatever the platform's width. */
export const MAX_PA_BITS = 52;

/** Defaults of the TDH.SYS.INFO limits when a platform document does not give them. */
export const DEFAULT_MAX_TDMRS = 64;
export const DEFAULT_MAX_RESERVED_PER_TDMR = 16;
export const DEFAULT_PAMT_ENTRY_SIZE = 16;

/** fill_out_tdmrs warns when fewer than this many TDMRs are left (TDMR_NR_WARN). */
export const TDMR_NR_WARN = 4;
