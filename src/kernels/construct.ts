// TDMR construction on the WASM kernel: pack ConstructInputs into the kernel's linear memory
// (constructAbi.ts), make one call per batch, and decode the blocks into the same ConstructResult
// the TypeScript oracle (src/reference/construct.ts) returns.

import type {
  ConstructError,
  ConstructFailure,
  ConstructInput,
  ConstructResult,
  ReservedArea,
  Tdmr,
} from '../construct/types.js';
import { TdmrTable, type ConstructTableResult } from '../construct/tdmrTable.js';
import {
  TDMRS_EXHAUSTED_TEXT,
  nidFallback,
  reservedAreasExhausted,
  tdmrsReachingLimit,
} from '../construct/warnings.js';
import {
  IN_ES_1G,
  IN_ES_2M,
  IN_ES_4K,
  IN_HEADER,
  IN_HOLES_MODE,
  IN_DYNAMIC_PAMT,
  IN_MAX_RSVD,
  IN_MAX_TDMRS,
  IN_N_DIST,
  IN_N_HOLE,
  IN_N_MEM,
  IN_N_RES,
  OUT_FAIL_BASE,
  OUT_FAIL_SIZE,
  OUT_HEADER,
  OUT_N_AREAS,
  OUT_N_TDMRS,
  OUT_N_WARN,
  OUT_PAMT_BYTES,
  OUT_STATUS,
  STATUS_OK,
  STATUS_PAMT_ALLOC_FAILED,
  STATUS_RESERVED_AREAS_EXHAUSTED,
  STATUS_TDMRS_EXHAUSTED,
  TDMR_WORDS,
  T_BASE,
  T_NID,
  T_N_AREAS,
  T_PAMT_1G,
  T_PAMT_2M,
  T_PAMT_4K,
  T_PAMT_BASE,
  T_SIZE,
  WARN_NID_FALLBACK,
  WARN_RSVD_EXHAUSTED,
  WARN_TDMRS_EXHAUSTED,
  WARN_TDMRS_REACHING_LIMIT,
  inputWords,
  outputWords,
  scratchBytes,
} from './constructAbi.js';
import { loadKernel, resetKernel } from './wasm.js';

const WASM_PAGE = 65536;
// wasm32 addresses 4 GiB at most.
const MAX_MEMORY = 65536 * WASM_PAGE;
/**
 * Memory a fresh instance (one page) grows to at its first batch, so that its first growth
 * comes before any hot code is optimized rather than in the middle of a sweep: growing detaches
 * the old ArrayBuffer, and the first detach in a process makes V8 drop every optimized function
 * that reads a typed array (its "array buffer detaching" protector). On the 73,728-row structural
 * grid that happened at the first 2-socket row and cost ~0.1-0.3 s of re-optimization (measured);
 * 1 MiB also holds every batch of that grid, so it never grows again there.
 */
const FIRST_MEMORY = 16 * WASM_PAGE;
// A batch larger than this is split into several calls so that memory stays bounded by the
// largest platform rather than by the batch; below it (every realistic batch), one call.
const CHUNK_BYTES = 256 * 1024 * 1024;

export interface BatchOptions {
  /** Memory budget of one kernel call, bytes (default 256 MiB); a platform never splits. */
  chunkBytes?: number;
}

// Per-batch sizes, in reusable typed arrays rather than one object per platform (the batch
// path runs hundreds of thousands of platforms a second; every allocation shows).
let inWordsOf = new Float64Array(256);
let outWordsOf = new Float64Array(256);
let scratchOf = new Float64Array(256);

function planAll(inputs: ConstructInput[]): void {
  if (inWordsOf.length < inputs.length) {
    const n = Math.max(inputs.length, 2 * inWordsOf.length);
    inWordsOf = new Float64Array(n);
    outWordsOf = new Float64Array(n);
    scratchOf = new Float64Array(n);
  }
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const nMem = input.memory.length;
    const nRes = input.reserved.length;
    const nHole = input.holes === 'cmr' ? input.cmrs.length : 0;
    const nDist = input.nodeDistance.length;
    inWordsOf[i] = inputWords(nMem, nRes, nHole, nDist);
    outWordsOf[i] = outputWords(nMem, nHole);
    scratchOf[i] = scratchBytes(nMem, nRes, nHole, nDist, input.maxReservedPerTdmr);
  }
}

const NO_HOLES: ConstructInput['cmrs'] = [];

/** Writes one input block at word w of the view (indexed loops: this is the hot path). */
function pack(view: Float64Array, w: number, input: ConstructInput): void {
  const memory = input.memory;
  const reserved = input.reserved;
  const cmrHoles = input.holes === 'cmr';
  const holes = cmrHoles ? input.cmrs : NO_HOLES;
  const distance = input.nodeDistance;
  const nMem = memory.length;
  const nRes = reserved.length;
  const nDist = distance.length;
  view[w + IN_N_MEM] = nMem;
  view[w + IN_N_RES] = nRes;
  view[w + IN_N_HOLE] = holes.length;
  view[w + IN_N_DIST] = nDist;
  view[w + IN_MAX_TDMRS] = input.maxTdmrs;
  view[w + IN_MAX_RSVD] = input.maxReservedPerTdmr;
  view[w + IN_ES_4K] = input.pamtEntrySize[0];
  view[w + IN_ES_2M] = input.pamtEntrySize[1];
  view[w + IN_ES_1G] = input.pamtEntrySize[2];
  view[w + IN_HOLES_MODE] = cmrHoles ? 1 : 0;
  view[w + IN_DYNAMIC_PAMT] = input.dynamicPamt ? 1 : 0;
  let p = w + IN_HEADER;
  for (let i = 0; i < nMem; i++) {
    const m = memory[i]!;
    // The kernel indexes per-node tables by node id; the matrix dimension bounds them.
    if (!(m.node >= 0 && m.node < nDist)) {
      throw new RangeError(`construct: memory node ${m.node} has no row in the ${nDist}×${nDist} distance matrix`);
    }
    view[p] = m.start;
    view[p + 1] = m.end;
    view[p + 2] = m.node;
    p += 3;
  }
  for (let i = 0; i < nRes; i++) {
    const r = reserved[i]!;
    // The kernel's reserved list holds ranges; an inverted one has no meaning to agree on.
    if (!(r.end >= r.start)) throw new RangeError(`construct: reserved range [${r.start}, ${r.end}) is inverted`);
    view[p] = r.start;
    view[p + 1] = r.end;
    p += 2;
  }
  for (let i = 0; i < holes.length; i++) {
    const c = holes[i]!;
    view[p] = c.start;
    view[p + 1] = c.end;
    p += 2;
  }
  for (let i = 0; i < nDist; i++) {
    const row = distance[i]!;
    if (row.length !== nDist) throw new RangeError('construct: the distance matrix is not square');
    for (let j = 0; j < nDist; j++) view[p + j] = row[j]!;
    p += nDist;
  }
}

function warningText(kind: number, a: number, b: number): string {
  switch (kind) {
    case WARN_TDMRS_REACHING_LIMIT:
      return tdmrsReachingLimit(a, b);
    case WARN_NID_FALLBACK:
      return nidFallback(a, b);
    case WARN_TDMRS_EXHAUSTED:
      return TDMRS_EXHAUSTED_TEXT;
    case WARN_RSVD_EXHAUSTED:
      return reservedAreasExhausted(a, b);
    default:
      throw new Error(`construct kernel: unknown warning kind ${kind}`);
  }
}

const ERRORS: Record<number, ConstructError> = {
  [STATUS_TDMRS_EXHAUSTED]: 'TDMRS_EXHAUSTED',
  [STATUS_RESERVED_AREAS_EXHAUSTED]: 'RESERVED_AREAS_EXHAUSTED',
  [STATUS_PAMT_ALLOC_FAILED]: 'PAMT_ALLOC_FAILED',
};

const area = (view: Float64Array, a: number): ReservedArea => ({ offset: view[a]!, size: view[a + 1]! });

/**
 * The n reserved areas at word a. Nine TDMRs in ten (in the vectors) have at most five: an
 * array literal is made at its final size, where pushing onto [] allocates a 17-slot backing
 * store first, and over a batch those stores are a good part of the garbage (measured: unpack
 * ~25% faster).
 */
function areasAt(view: Float64Array, a: number, n: number): ReservedArea[] {
  switch (n) {
    case 0:
      return [];
    case 1:
      return [area(view, a)];
    case 2:
      return [area(view, a), area(view, a + 2)];
    case 3:
      return [area(view, a), area(view, a + 2), area(view, a + 4)];
    case 4:
      return [area(view, a), area(view, a + 2), area(view, a + 4), area(view, a + 6)];
    case 5:
      return [area(view, a), area(view, a + 2), area(view, a + 4), area(view, a + 6), area(view, a + 8)];
    default: {
      const areas: ReservedArea[] = [];
      for (let k = 0; k < n; k++) areas.push(area(view, a + 2 * k));
      return areas;
    }
  }
}

function warningsOf(view: Float64Array, w: number): string[] {
  const nWarn = view[w + OUT_N_WARN]!;
  const warnings: string[] = [];
  for (let i = 0; i < nWarn; i++) {
    const k = w + OUT_HEADER + 3 * i;
    warnings.push(warningText(view[k]!, view[k + 1]!, view[k + 2]!));
  }
  return warnings;
}

/** Reads the output block at word w into TDMR objects. */
function unpack(view: Float64Array, w: number): ConstructResult {
  const status = view[w + OUT_STATUS]!;
  const nWarn = view[w + OUT_N_WARN]!;
  const warnings = warningsOf(view, w);
  if (status !== STATUS_OK) return failure(view, w, status, warnings);
  const nTdmrs = view[w + OUT_N_TDMRS]!;
  const tdmrs: Tdmr[] = [];
  let t = w + OUT_HEADER + 3 * nWarn;
  let a = t + TDMR_WORDS * nTdmrs;
  for (let i = 0; i < nTdmrs; i++, t += TDMR_WORDS) {
    const base4k = view[t + T_PAMT_BASE]!;
    const size4k = view[t + T_PAMT_4K]!;
    const size2m = view[t + T_PAMT_2M]!;
    const size1g = view[t + T_PAMT_1G]!;
    const nAreas = view[t + T_N_AREAS]!;
    const reserved = areasAt(view, a, nAreas);
    a += 2 * nAreas;
    tdmrs.push({
      base: view[t + T_BASE]!,
      size: view[t + T_SIZE]!,
      nid: view[t + T_NID]!,
      pamt4k: { base: base4k, size: size4k },
      pamt2m: { base: base4k + size4k, size: size2m },
      pamt1g: { base: base4k + size4k + size2m, size: size1g },
      reserved,
    });
  }
  return { ok: true, tdmrs, pamtKb: Math.floor(view[w + OUT_PAMT_BYTES]! / 1024), warnings };
}

/** Reads the output block at word w into a flat TDMR table (the model's form). */
function unpackTable(view: Float64Array, w: number): ConstructTableResult {
  const status = view[w + OUT_STATUS]!;
  const nWarn = view[w + OUT_N_WARN]!;
  const warnings = warningsOf(view, w);
  if (status !== STATUS_OK) return failure(view, w, status, warnings);
  const nTdmrs = view[w + OUT_N_TDMRS]!;
  const table = new TdmrTable(nTdmrs, view[w + OUT_N_AREAS]!);
  let t = w + OUT_HEADER + 3 * nWarn;
  const a = t + TDMR_WORDS * nTdmrs;
  for (let i = 0; i < nTdmrs; i++, t += TDMR_WORDS) {
    const base4k = view[t + T_PAMT_BASE]!;
    const size4k = view[t + T_PAMT_4K]!;
    const size2m = view[t + T_PAMT_2M]!;
    row.base = view[t + T_BASE]!;
    row.size = view[t + T_SIZE]!;
    row.nid = view[t + T_NID]!;
    row.pamt4kBase = base4k;
    row.pamt4kSize = size4k;
    row.pamt2mBase = base4k + size4k;
    row.pamt2mSize = size2m;
    row.pamt1gBase = base4k + size4k + size2m;
    row.pamt1gSize = view[t + T_PAMT_1G]!;
    table.setRow(i, row, view[t + T_N_AREAS]!);
  }
  const areas = table.areas;
  for (let k = 0; k < areas.length; k++) areas[k] = view[a + k]!;
  return { ok: true, table, pamtBytes: view[w + OUT_PAMT_BYTES]!, warnings };
}

// The decoder's one scratch row (setRow copies it).
const row = { base: 0, size: 0, nid: 0, pamt4kBase: 0, pamt4kSize: 0, pamt2mBase: 0, pamt2mSize: 0, pamt1gBase: 0, pamt1gSize: 0 };

function failure(view: Float64Array, w: number, status: number, warnings: string[]): ConstructFailure {
  const error = ERRORS[status];
  if (error === undefined) throw new Error(`construct kernel: unknown status ${status}`);
  if (status === STATUS_RESERVED_AREAS_EXHAUSTED) {
    return {
      ok: false,
      error,
      tdmr: { base: view[w + OUT_FAIL_BASE]!, size: view[w + OUT_FAIL_SIZE]! },
      warnings,
    };
  }
  return { ok: false, error, warnings };
}

// Word offsets of each platform's input and output block in the current chunk (reused).
let inAt = new Float64Array(256);
let outAt = new Float64Array(256);

/** Runs inputs[from, to) in one kernel call, writing results[from, to) as `decode` reads them. */
function runChunk<R>(inputs: ConstructInput[], from: number, to: number, results: R[], decode: (view: Float64Array, w: number) => R): void {
  const kernel = loadKernel();
  const count = to - from;
  if (inAt.length < count) {
    inAt = new Float64Array(Math.max(count, 2 * inAt.length));
    outAt = new Float64Array(inAt.length);
  }
  // Words from the first 8-aligned byte above the module's static data: inputs, the offset
  // table, outputs, then the scratch region (bytes, reused by every platform of the call).
  let word = Math.ceil(kernel.heapBase / 8);
  let scratch = 0;
  for (let i = 0; i < count; i++) {
    inAt[i] = word;
    word += inWordsOf[from + i]!;
  }
  const table = word;
  word += 2 * count;
  for (let i = 0; i < count; i++) {
    outAt[i] = word;
    word += outWordsOf[from + i]!;
    scratch = Math.max(scratch, scratchOf[from + i]!);
  }
  const scratchAt = word * 8;
  scratch = Math.ceil(scratch / 8) * 8;
  const needed = scratchAt + scratch;
  if (needed > MAX_MEMORY) {
    throw new RangeError(`construct: a platform needs ${needed} bytes of WASM memory, over the 4 GiB limit`);
  }
  const have = kernel.memory.buffer.byteLength;
  // At least FIRST_MEMORY from the first batch on: see there.
  const want = Math.max(needed, FIRST_MEMORY);
  if (want > have) {
    try {
      kernel.memory.grow(Math.ceil((want - have) / WASM_PAGE));
    } catch (e) {
      throw new RangeError(`construct: cannot grow WASM memory to ${needed} bytes: ${(e as Error).message}`, { cause: e });
    }
  }
  try {
    // grow() detaches the old buffer, so the view is taken afterwards.
    const view = kernel.view();
    for (let i = 0; i < count; i++) {
      pack(view, inAt[i]!, inputs[from + i]!);
      view[table + i] = inAt[i]!;
      view[table + count + i] = outAt[i]!;
    }
    kernel.constructBatch(table, count, scratchAt, scratch);
    for (let i = 0; i < count; i++) results[from + i] = decode(view, outAt[i]!);
  } catch (e) {
    // A half-packed batch or an output the decoder refused means the instance's memory holds
    // garbage; the next call starts from a fresh instance rather than trust it.
    resetKernel();
    throw e;
  }
}

/** Constructs every input with one call into the kernel (several only for huge batches). */
export function constructWasmBatch(inputs: ConstructInput[], options: BatchOptions = {}): ConstructResult[] {
  return runBatch(inputs, options, unpack);
}

/** constructWasmBatch with each layout as a flat TDMR table (what the model runs on). */
export function constructWasmTables(inputs: ConstructInput[], options: BatchOptions = {}): ConstructTableResult[] {
  return runBatch(inputs, options, unpackTable);
}

function runBatch<R>(inputs: ConstructInput[], options: BatchOptions, decode: (view: Float64Array, w: number) => R): R[] {
  const budget = options.chunkBytes ?? CHUNK_BYTES;
  planAll(inputs);
  const results: R[] = new Array(inputs.length);
  let from = 0;
  while (from < inputs.length) {
    let to = from;
    let bytes = 0;
    let scratch = 0;
    do {
      bytes += 8 * (inWordsOf[to]! + outWordsOf[to]! + 2);
      scratch = Math.max(scratch, scratchOf[to]!);
      to++;
    } while (to < inputs.length && bytes + scratch < budget);
    runChunk(inputs, from, to, results, decode);
    from = to;
  }
  return results;
}

export function constructWasm(input: ConstructInput): ConstructResult {
  return constructWasmBatch([input])[0]!;
}
