// The kernel's scratch: one region the wrapper sizes with scratchBytes() (constructAbi.ts) and
// hands over per batch. Each platform starts again at the bottom, so a batch reuses the same
// bytes and nothing is ever freed piecemeal.

let cursor: usize = 0;
let limit: usize = 0;

export function arenaReset(base: usize, bytes: usize): void {
  cursor = base;
  limit = base + bytes;
}

/** Bytes for one array, 8-byte aligned. Overrunning would corrupt the wrapper's blocks. */
@inline export function take(bytes: usize): usize {
  const p = (cursor + 7) & ~(<usize>7);
  const next = p + bytes;
  if (next > limit) abort('construct kernel: scratch region too small');
  cursor = next;
  return p;
}
