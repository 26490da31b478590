// The normalized input and the result of TDMR construction, shared by the TypeScript oracle
// (src/reference/construct.ts) and the WASM engine wrapper (src/kernels/construct.ts).
//
// Addresses and sizes are JS numbers. Physical addresses are below 2^52 (validated on input),
// so every address, size and sum of sizes here is an integer below 2^53 that a double holds
// exactly; BigInt would be exact too but is an order of magnitude slower on the hot paths.

export interface MemRange {
  start: number;
  end: number;
}

export interface NodeRange extends MemRange {
  node: number;
}

export type HolesMode = 'memblock' | 'cmr';

export interface ConstructInput {
  /** Raw memblock memory: ascending, non-overlapping, touching same-node ranges merged. */
  memory: NodeRange[];
  /** Memblock reserved ranges: any order, may overlap. PAMTs avoid them. */
  reserved: MemRange[];
  /** CMRs (ascending, non-overlapping); the hole source when holes === 'cmr'. */
  cmrs: MemRange[];
  holes: HolesMode;
  /** Square matrix, dimension at least (highest node id + 1). */
  nodeDistance: number[][];
  maxTdmrs: number;
  maxReservedPerTdmr: number;
  /** PAMT entry sizes in bytes for the 4K, 2M and 1G levels. */
  pamtEntrySize: [number, number, number];
  /**
   * Dynamic PAMT (module feature bit 36, requested at CONFIG): the 4K level is a bitmap of one
   * bit per 4 KiB page, rounded up to a page; the 2M and 1G levels are unchanged.
   */
  dynamicPamt?: boolean;
}

export interface PamtRange {
  base: number;
  size: number;
}

export interface ReservedArea {
  offset: number;
  size: number;
}

export interface Tdmr {
  base: number;
  size: number;
  nid: number;
  pamt4k: PamtRange;
  pamt2m: PamtRange;
  pamt1g: PamtRange;
  reserved: ReservedArea[];
}

export type ConstructError = 'TDMRS_EXHAUSTED' | 'RESERVED_AREAS_EXHAUSTED' | 'PAMT_ALLOC_FAILED';

export interface ConstructSuccess {
  ok: true;
  tdmrs: Tdmr[];
  pamtKb: number;
  warnings: string[];
}

export interface ConstructFailure {
  ok: false;
  error: ConstructError;
  /** Only for RESERVED_AREAS_EXHAUSTED: the TDMR that ran out. */
  tdmr?: { base: number; size: number };
  warnings: string[];
}

export type ConstructResult = ConstructSuccess | ConstructFailure;

