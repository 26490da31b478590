// The flat boundary between the TypeScript wrapper and the WASM construct kernel.
//
// AssemblyScript compiles this same file (assembly/ imports its constants), so the two sides
// cannot drift: keep it to plain numeric constants and `number` arithmetic, no imports.
//
// Everything crosses as f64 words in WASM linear memory that the wrapper owns: physical
// addresses are below 2^52 (the architectural limit, enforced by validation), so every value
// is an integer that a double holds exactly, and f64 <-> u64 conversion is exact on both
// sides. This avoids BigInt at the boundary and lets one Float64Array view serve the batch.
//
// INPUT BLOCK (one platform), in f64 words:
//   [0..IN_HEADER)  header, see IN_*
//   then memory     nMem  × (start, end, node)     raw memblock, merged, ascending
//   then reserved   nRes  × (start, end)           memblock reserved, any order, may overlap
//   then holeSrc    nHole × (start, end)           CMRs when holes = cmr, else nHole = 0
//   then distance   nDist × nDist                  node distance matrix, row-major
//
// OUTPUT BLOCK (one platform), in f64 words:
//   [0..OUT_HEADER) header, see OUT_*
//   then warnings   nWarn × (kind, a, b)           see WARN_*; text is made in TypeScript
//   then tdmrs      nTdmr × TDMR_WORDS             see T_*
//   then areas      sum(nAreas) × (offset, size)   reserved areas, each TDMR's run in order
//
// Batch: the wrapper writes N input blocks back to back, a table of N input offsets and N
// output offsets (word indexes into the same memory), and calls constructBatch once with
// (tableWord, N, scratchByte, scratchBytes). The kernel works in one scratch region that it
// reuses for every platform of the batch; scratchBytes() below sizes it for one platform, so
// the batch needs the maximum over its platforms. The kernel aborts (the wrapper throws)
// rather than write past the region.

export const IN_HEADER = 16;
export const IN_N_MEM = 0;
export const IN_N_RES = 1;
export const IN_N_HOLE = 2;
export const IN_N_DIST = 3;
export const IN_MAX_TDMRS = 4;
export const IN_MAX_RSVD = 5;
export const IN_ES_4K = 6;
export const IN_ES_2M = 7;
export const IN_ES_1G = 8;
export const IN_HOLES_MODE = 9; // 0 = memblock holes, 1 = CMR holes
export const IN_DYNAMIC_PAMT = 10; // 1 = the 4K PAMT level is a bitmap (Dynamic PAMT)

export const OUT_HEADER = 8;
export const OUT_STATUS = 0; // STATUS_*
export const OUT_N_TDMRS = 1; // TDMRs described in the output (on success: all consumed)
export const OUT_FAIL_BASE = 2; // RESERVED_AREAS_EXHAUSTED: the TDMR that ran out
export const OUT_FAIL_SIZE = 3;
export const OUT_PAMT_BYTES = 4; // sum of all PAMT allocations, bytes
export const OUT_N_WARN = 5;
export const OUT_N_AREAS = 6; // total reserved areas written
export const OUT_WORDS_USED = 7; // total f64 words written, header included

export const STATUS_OK = 0;
export const STATUS_TDMRS_EXHAUSTED = 1;
export const STATUS_RESERVED_AREAS_EXHAUSTED = 2;
export const STATUS_PAMT_ALLOC_FAILED = 3;

export const WARN_TDMRS_REACHING_LIMIT = 1; // a = used, b = max
export const WARN_NID_FALLBACK = 2; // a = base, b = end
export const WARN_TDMRS_EXHAUSTED = 3;
export const WARN_RSVD_EXHAUSTED = 4; // a = base, b = end

export const TDMR_WORDS = 8;
export const T_BASE = 0;
export const T_SIZE = 1;
export const T_NID = 2;
export const T_PAMT_BASE = 3; // the one contiguous allocation: 4K, then 2M, then 1G
export const T_PAMT_4K = 4; // sizes in bytes
export const T_PAMT_2M = 5;
export const T_PAMT_1G = 6;
export const T_N_AREAS = 7;

/** Words an input block needs. */
export function inputWords(nMem: number, nRes: number, nHole: number, nDist: number): number {
  return IN_HEADER + 3 * nMem + 2 * nRes + 2 * nHole + nDist * nDist;
}

/**
 * Upper bound on the words an output block needs. A memory block lies in at most two TDMRs
 * (fill_out_tdmrs gives the uncovered rest of a block one new TDMR), so holes over all TDMRs
 * are at most 2·blocks + TDMRs; PAMT overlaps at most 2·TDMRs (PAMTs and TDMRs are each
 * disjoint); TDMRs at most blocks + 1. Warnings: at most one of each kind.
 */
export function outputWords(nMem: number, nHole: number): number {
  const blocks = Math.max(nMem, nHole);
  const tdmrs = nMem + 1;
  const areas = 2 * blocks + 3 * tdmrs + 2;
  return OUT_HEADER + 3 * 4 + TDMR_WORDS * tdmrs + 2 * areas;
}

/**
 * Bytes of kernel scratch one platform needs (the batch: the maximum over its platforms).
 * Mirrors the arrays the kernel carves, in its units: M memory blocks, R reserved ranges,
 * H CMRs, D nodes; TDMRs at most M + 1; free runs at most M + R (each reserved range splits
 * at most one run); treap nodes: the runs, one more per PAMT carve, and the null node; the
 * allocator's progression cache: one slot per TDMR rounded up to a power of two (< 2 per
 * TDMR), at least SCRATCH_CACHE_MIN_SLOTS; the reserved areas of one TDMR: at most one hole
 * per walked block plus the trailing hole plus one per PAMT, and never more than
 * maxReservedPerTdmr. Each array may lose 8 bytes to alignment, hence the slack term.
 */
export function scratchBytes(
  nMem: number,
  nRes: number,
  nHole: number,
  nDist: number,
  maxRsvd: number,
): number {
  const tdmrs = nMem + 1;
  const runs = nMem + nRes;
  const treapNodes = runs + tdmrs + 1;
  const areaCap = Math.min(maxRsvd, Math.max(nMem, nHole) + tdmrs + 1);
  return (
    SCRATCH_ARRAYS * 8 +
    SCRATCH_WARN_BYTES +
    20 * nMem + // memory list: start, end (u64), node (u32)
    16 * nHole + // CMR list: start, end
    32 * nRes + // reserved pages and their merge-sort buffer
    24 * runs + // free runs before bucketing (start, end, node) + the counting sort's slots
    36 * treapNodes + // treap: start, end, max run length (u64), left, right, priority (u32)
    48 * nDist + // per node: span (u64 × 2), root, presence, order, run count, next slot,
    //              flat slice first, count, limit (u32)
    16 * (FLAT_RUNS_MAX + 1) + // the flat form of the free runs (start, end), small platforms
    20 * SCRATCH_CACHE_MIN_SLOTS +
    116 * tdmrs + // TDMRs: 7 u64 + nid; PAMT order, overlap run, sort buffer; 2 cache slots
    16 * areaCap // one TDMR's reserved areas
  );
}

/**
 * The allocator keeps the free runs as flat per-node slices (scanned, shifted in place) when
 * the runs plus one split per PAMT for every node fit this many slots; above it, as treaps.
 */
export const FLAT_RUNS_MAX = 256;
/** Upper bound on the separate arrays the kernel carves (alignment slack in scratchBytes). */
export const SCRATCH_ARRAYS = 48;
/** The allocator's progression cache never has fewer slots (20 bytes each). */
export const SCRATCH_CACHE_MIN_SLOTS = 16;
/** The kernel's warning buffer: up to 4 × (kind u32 + a, b u64). */
export const SCRATCH_WARN_BYTES = 4 * 24;
