// The flat boundary between the TypeScript wrapper (src/kernels/trials.ts), the oracle
// (src/reference/trials.ts) and the trials kernel (assembly/trials.ts, which documents the
// PROGRAM/OUTPUT/SCRATCH layout): the constants both sides must agree on, defined once.
//
// AssemblyScript compiles this same file (like constructAbi.ts for the construct kernel), so
// keep it to plain numeric constants, no imports.

/** Op codes of the encoded trial program. */
export const OP_FIXED = 0;
export const OP_SERIAL = 1;
export const OP_PARALLEL = 2;
export const OP_TDMRS = 3;

/**
 * Above this many calls a TDMR's TDMR.INIT time is drawn as one normal instead of per call (a
 * 64 TiB host has millions of 4 MiB chunks per TDMR).
 */
export const EXACT_CALLS_MAX = 64;
