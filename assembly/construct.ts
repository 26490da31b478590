// construct_tdmrs for one platform: read an input block, run the kernel's phases in order,
// write an output block (constructAbi.ts describes both).

import { initAllocator } from './allocator';
import { arenaReset } from './arena';
import { getU32, getU64, setF64, setWordU64, wordU64 } from './mem';
import { buildHoleSource, buildMemoryList } from './memlist';
import { pamt1g, pamt2m, pamt4k, pamtBase, pamtBytes, pamtNid, setUpPamtAll } from './pamt';
import { areaOffset, areaSize, initReservedAreas, populateReservedAreas } from './reservedAreas';
import { fillOutTdmrs, tdBase, tdCount, tdSize } from './tdmrs';
import { resetWarnings, warn, warningCount, writeWarnings } from './warnings';
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
  OUT_WORDS_USED,
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
  WARN_RSVD_EXHAUSTED,
  WARN_TDMRS_EXHAUSTED,
  WARN_TDMRS_REACHING_LIMIT,
} from '../src/kernels/constructAbi';
import { TDMR_NR_WARN } from '../src/construct/constants';


/** Header and warnings of a block that describes no TDMRs. */
function finishFailure(out: usize, status: i32, failBase: u64, failSize: u64): void {
  writeWarnings(out, OUT_HEADER);
  setF64(out, OUT_STATUS, <f64>status);
  setF64(out, OUT_N_TDMRS, 0);
  setWordU64(out, OUT_FAIL_BASE, failBase);
  setWordU64(out, OUT_FAIL_SIZE, failSize);
  setF64(out, OUT_PAMT_BYTES, 0);
  setF64(out, OUT_N_WARN, <f64>warningCount);
  setF64(out, OUT_N_AREAS, 0);
  setF64(out, OUT_WORDS_USED, <f64>(OUT_HEADER + 3 * warningCount));
}

/** inp, out: byte addresses of the blocks; scratch: the kernel's region (see arena.ts). */
export function constructOne(inp: usize, out: usize, scratch: usize, scratchBytes: usize): void {
  arenaReset(scratch, scratchBytes);
  resetWarnings();

  const nMem = <u32>wordU64(inp, IN_N_MEM);
  const nRes = <u32>wordU64(inp, IN_N_RES);
  const nHole = <u32>wordU64(inp, IN_N_HOLE);
  const nDist = <u32>wordU64(inp, IN_N_DIST);
  const maxTdmrs = wordU64(inp, IN_MAX_TDMRS);
  const maxRsvd = wordU64(inp, IN_MAX_RSVD);
  const raw = inp + (<usize>IN_HEADER << 3);
  const reserved = raw + ((3 * <usize>nMem) << 3);
  const cmrs = reserved + ((2 * <usize>nRes) << 3);
  const dist = cmrs + ((2 * <usize>nHole) << 3);

  buildMemoryList(raw, nMem);
  buildHoleSource(<u32>wordU64(inp, IN_HOLES_MODE), cmrs, nHole);

  if (!fillOutTdmrs(maxTdmrs)) {
    warn(WARN_TDMRS_EXHAUSTED, 0, 0);
    finishFailure(out, STATUS_TDMRS_EXHAUSTED, 0, 0);
    return;
  }
  // The kernel computes this in int, so a limit below the count used still warns.
  if (<i64>maxTdmrs - <i64>tdCount < <i64>TDMR_NR_WARN) {
    warn(WARN_TDMRS_REACHING_LIMIT, <u64>tdCount, maxTdmrs);
  }

  initAllocator(raw, nMem, reserved, nRes, dist, nDist, tdCount);
  const es4k = wordU64(inp, IN_ES_4K);
  const es2m = wordU64(inp, IN_ES_2M);
  const es1g = wordU64(inp, IN_ES_1G);
  if (!setUpPamtAll(es4k, es2m, es1g, wordU64(inp, IN_DYNAMIC_PAMT) != 0)) {
    finishFailure(out, STATUS_PAMT_ALLOC_FAILED, 0, 0);
    return;
  }

  // Every warning of a successful construction is known by now, so the TDMR records can be
  // written in place; a failure below abandons them and only its header and warnings count.
  initReservedAreas(maxRsvd);
  const tdmrWord = <usize>OUT_HEADER + 3 * <usize>warningCount;
  let areaWord = tdmrWord + <usize>TDMR_WORDS * <usize>tdCount;
  let areas: u64 = 0;
  for (let t: u32 = 0; t < tdCount; t++) {
    const base = getU64(tdBase, t);
    const size = getU64(tdSize, t);
    const n = populateReservedAreas(t);
    if (n < 0) {
      warn(WARN_RSVD_EXHAUSTED, base, base + size);
      finishFailure(out, STATUS_RESERVED_AREAS_EXHAUSTED, base, size);
      return;
    }
    const w = tdmrWord + <usize>TDMR_WORDS * <usize>t;
    setWordU64(out, w + T_BASE, base);
    setWordU64(out, w + T_SIZE, size);
    setF64(out, w + T_NID, <f64>getU32(pamtNid, t));
    setWordU64(out, w + T_PAMT_BASE, getU64(pamtBase, t));
    setWordU64(out, w + T_PAMT_4K, getU64(pamt4k, t));
    setWordU64(out, w + T_PAMT_2M, getU64(pamt2m, t));
    setWordU64(out, w + T_PAMT_1G, getU64(pamt1g, t));
    setF64(out, w + T_N_AREAS, <f64>n);
    for (let k: usize = 0; k < <usize>n; k++) {
      setWordU64(out, areaWord++, getU64(areaOffset, k));
      setWordU64(out, areaWord++, getU64(areaSize, k));
    }
    areas += <u64>n;
  }

  writeWarnings(out, OUT_HEADER);
  setF64(out, OUT_STATUS, <f64>STATUS_OK);
  setF64(out, OUT_N_TDMRS, <f64>tdCount);
  setF64(out, OUT_FAIL_BASE, 0);
  setF64(out, OUT_FAIL_SIZE, 0);
  setWordU64(out, OUT_PAMT_BYTES, pamtBytes);
  setF64(out, OUT_N_WARN, <f64>warningCount);
  setWordU64(out, OUT_N_AREAS, areas);
  setF64(out, OUT_WORDS_USED, <f64>areaWord);
}
