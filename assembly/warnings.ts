// Warnings in the order the kernel prints them. Only kinds and numbers cross the boundary;
// the wrapper turns them into the kernel's texts (src/construct/warnings.ts).

import { take } from './arena';
import { getU32, getU64, setF64, setU32, setU64, setWordU64 } from './mem';

// A construction prints at most: the reaching-limit line, one nid fallback (only the single
// [0, 0) TDMR of an empty memory list can lack a node), and one failure line.
const CAPACITY: u32 = 4;

let kinds: usize = 0;
let firsts: usize = 0;
let seconds: usize = 0;
export let warningCount: u32 = 0;

export function resetWarnings(): void {
  kinds = take(<usize>CAPACITY << 2);
  firsts = take(<usize>CAPACITY << 3);
  seconds = take(<usize>CAPACITY << 3);
  warningCount = 0;
}

export function warn(kind: u32, a: u64, b: u64): void {
  if (warningCount == CAPACITY) abort('construct kernel: more warnings than the kernel can print');
  setU32(kinds, warningCount, kind);
  setU64(firsts, warningCount, a);
  setU64(seconds, warningCount, b);
  warningCount++;
}

/** Writes the warnings as (kind, a, b) words starting at word `at` of the output block. */
export function writeWarnings(out: usize, at: usize): void {
  for (let i: u32 = 0; i < warningCount; i++) {
    const w = at + 3 * <usize>i;
    setF64(out, w, <f64>getU32(kinds, i));
    setWordU64(out, w + 1, getU64(firsts, i));
    setWordU64(out, w + 2, getU64(seconds, i));
  }
}
