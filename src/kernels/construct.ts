// TDMR construction on the WASM kernel: pack ConstructInputs into the kernel's linear memory
// (layout.ts), make one call per batch, and decode the blocks into the same ConstructResult
// the TypeScript oracle (src/reference/construct.ts) returns.

import type {
  ConstructError,
  ConstructInput,
  ConstructResult,
  ReservedArea,
  Tdmr,
} from '../construct/types.js';
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
} from './layout.js';
import { loadKernel, resetKernel } from './wasm.js';

const WASM_PAGE = 65536;
// wasm32 addresses 4 GiB at most.
const MAX_MEMORY = 65536 * WASM_PAGE;
// A batch larger than this is split into several calls so that memory stays bounded by the
// largest platform rather than by the batch; below it (every realistic batch), one call.
const CHUNK_BYTES = 256 * 1024 * 1024;

export interface BatchOptions {
  /** Memory budget of one kernel call, bytes (default 256 MiB); a platform never splits. */
  chunkBytes?: number;
}

interface Plan {
  inWords: number;
  outWords: number;
  scratch: number;
}

function plan(input: ConstructInput): Plan {
  const nMem = input.memory.length;
  const nHole = input.holes === 'cmr' ? input.cmrs.length : 0;
  const nDist = input.nodeDistance.length;
  return {
    inWords: inputWords(nMem, input.reserved.length, nHole, nDist),
    outWords: outputWords(nMem, nHole),
    scratch: scratchBytes(nMem, input.reserved.length, nHole, nDist, input.maxReservedPerTdmr),
  };
}

/** Writes one input block at word w of the view. */
function pack(view: Float64Array, w: number, input: ConstructInput): void {
  const nMem = input.memory.length;
  const nRes = input.reserved.length;
  const holes = input.holes === 'cmr' ? input.cmrs : [];
  const nDist = input.nodeDistance.length;
  view[w + IN_N_MEM] = nMem;
  view[w + IN_N_RES] = nRes;
  view[w + IN_N_HOLE] = holes.length;
  view[w + IN_N_DIST] = nDist;
  view[w + IN_MAX_TDMRS] = input.maxTdmrs;
  view[w + IN_MAX_RSVD] = input.maxReservedPerTdmr;
  view[w + IN_ES_4K] = input.pamtEntrySize[0];
  view[w + IN_ES_2M] = input.pamtEntrySize[1];
  view[w + IN_ES_1G] = input.pamtEntrySize[2];
  view[w + IN_HOLES_MODE] = input.holes === 'cmr' ? 1 : 0;
  view[w + IN_DYNAMIC_PAMT] = input.dynamicPamt ? 1 : 0;
  let p = w + IN_HEADER;
  for (const m of input.memory) {
    // The kernel indexes per-node tables by node id; the matrix dimension bounds them.
    if (!(m.node >= 0 && m.node < nDist)) {
      throw new RangeError(`construct: memory node ${m.node} has no row in the ${nDist}×${nDist} distance matrix`);
    }
    view[p++] = m.start;
    view[p++] = m.end;
    view[p++] = m.node;
  }
  for (const r of input.reserved) {
    // The kernel's reserved list holds ranges; an inverted one has no meaning to agree on.
    if (!(r.end >= r.start)) throw new RangeError(`construct: reserved range [${r.start}, ${r.end}) is inverted`);
    view[p++] = r.start;
    view[p++] = r.end;
  }
  for (const c of holes) {
    view[p++] = c.start;
    view[p++] = c.end;
  }
  for (const row of input.nodeDistance) {
    if (row.length !== nDist) throw new RangeError('construct: the distance matrix is not square');
    for (const d of row) view[p++] = d;
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

/** Reads the output block at word w. */
function unpack(view: Float64Array, w: number): ConstructResult {
  const status = view[w + OUT_STATUS]!;
  const nWarn = view[w + OUT_N_WARN]!;
  const warnings: string[] = [];
  for (let i = 0; i < nWarn; i++) {
    const k = w + OUT_HEADER + 3 * i;
    warnings.push(warningText(view[k]!, view[k + 1]!, view[k + 2]!));
  }
  if (status !== STATUS_OK) {
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
  const nTdmrs = view[w + OUT_N_TDMRS]!;
  const tdmrs: Tdmr[] = new Array(nTdmrs);
  let t = w + OUT_HEADER + 3 * nWarn;
  let a = t + TDMR_WORDS * nTdmrs;
  for (let i = 0; i < nTdmrs; i++, t += TDMR_WORDS) {
    const base4k = view[t + T_PAMT_BASE]!;
    const size4k = view[t + T_PAMT_4K]!;
    const size2m = view[t + T_PAMT_2M]!;
    const size1g = view[t + T_PAMT_1G]!;
    const nAreas = view[t + T_N_AREAS]!;
    const reserved: ReservedArea[] = new Array(nAreas);
    for (let k = 0; k < nAreas; k++, a += 2) reserved[k] = { offset: view[a]!, size: view[a + 1]! };
    tdmrs[i] = {
      base: view[t + T_BASE]!,
      size: view[t + T_SIZE]!,
      nid: view[t + T_NID]!,
      pamt4k: { base: base4k, size: size4k },
      pamt2m: { base: base4k + size4k, size: size2m },
      pamt1g: { base: base4k + size4k + size2m, size: size1g },
      reserved,
    };
  }
  return { ok: true, tdmrs, pamtKb: Math.floor(view[w + OUT_PAMT_BYTES]! / 1024), warnings };
}

/** Runs inputs[from, to) in one kernel call, writing results[from, to). */
function runChunk(
  inputs: ConstructInput[],
  plans: Plan[],
  from: number,
  to: number,
  results: ConstructResult[],
): void {
  const kernel = loadKernel();
  const count = to - from;
  // Words from the first 8-aligned byte above the module's static data: inputs, the offset
  // table, outputs, then the scratch region (bytes, reused by every platform of the call).
  let word = Math.ceil(kernel.heapBase / 8);
  const inAt: number[] = new Array(count);
  const outAt: number[] = new Array(count);
  let scratch = 0;
  for (let i = 0; i < count; i++) {
    inAt[i] = word;
    word += plans[from + i]!.inWords;
  }
  const table = word;
  word += 2 * count;
  for (let i = 0; i < count; i++) {
    outAt[i] = word;
    word += plans[from + i]!.outWords;
    scratch = Math.max(scratch, plans[from + i]!.scratch);
  }
  const scratchAt = word * 8;
  scratch = Math.ceil(scratch / 8) * 8;
  const needed = scratchAt + scratch;
  if (needed > MAX_MEMORY) {
    throw new RangeError(`construct: a platform needs ${needed} bytes of WASM memory, over the 4 GiB limit`);
  }
  const have = kernel.memory.buffer.byteLength;
  if (needed > have) {
    try {
      kernel.memory.grow(Math.ceil((needed - have) / WASM_PAGE));
    } catch (e) {
      throw new RangeError(`construct: cannot grow WASM memory to ${needed} bytes: ${(e as Error).message}`, { cause: e });
    }
  }
  try {
    // grow() detaches the old buffer, so the view is taken afterwards.
    const view = new Float64Array(kernel.memory.buffer);
    for (let i = 0; i < count; i++) {
      pack(view, inAt[i]!, inputs[from + i]!);
      view[table + i] = inAt[i]!;
      view[table + count + i] = outAt[i]!;
    }
    kernel.constructBatch(table, count, scratchAt, scratch);
    for (let i = 0; i < count; i++) results[from + i] = unpack(view, outAt[i]!);
  } catch (e) {
    // A half-packed batch or an output the decoder refused means the instance's memory holds
    // garbage; the next call starts from a fresh instance rather than trust it.
    resetKernel();
    throw e;
  }
}

/** Constructs every input with one call into the kernel (several only for huge batches). */
export function constructWasmBatch(inputs: ConstructInput[], options: BatchOptions = {}): ConstructResult[] {
  const budget = options.chunkBytes ?? CHUNK_BYTES;
  const plans = inputs.map(plan);
  const results: ConstructResult[] = new Array(inputs.length);
  let from = 0;
  while (from < inputs.length) {
    let to = from;
    let bytes = 0;
    let scratch = 0;
    do {
      const p = plans[to]!;
      bytes += 8 * (p.inWords + p.outWords + 2);
      scratch = Math.max(scratch, p.scratch);
      to++;
    } while (to < inputs.length && bytes + scratch < budget);
    runChunk(inputs, plans, from, to, results);
    from = to;
  }
  return results;
}

export function constructWasm(input: ConstructInput): ConstructResult {
  return constructWasmBatch([input])[0]!;
}
