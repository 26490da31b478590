// Typed access to flat arrays in the wrapper-owned linear memory. The kernel keeps every
// table as a structure of arrays at raw pointers: element i of a u64 array at p is at p + 8i.
// Nothing here allocates; the runtime is "stub" and the hot path must not touch its heap.

@inline export function getU64(p: usize, i: usize): u64 {
  return load<u64>(p + (i << 3));
}

@inline export function setU64(p: usize, i: usize, v: u64): void {
  store<u64>(p + (i << 3), v);
}

@inline export function getU32(p: usize, i: usize): u32 {
  return load<u32>(p + (i << 2));
}

@inline export function setU32(p: usize, i: usize, v: u32): void {
  store<u32>(p + (i << 2), v);
}

@inline export function getF64(p: usize, i: usize): f64 {
  return load<f64>(p + (i << 3));
}

@inline export function setF64(p: usize, i: usize, v: f64): void {
  store<f64>(p + (i << 3), v);
}

// Words cross the boundary as integers below 2^52 (constructAbi.ts), so the signed
// conversions are exact; they are one instruction each on x86-64, where the unsigned ones
// are a compare-and-branch sequence, and they run for every word in and out.

/** An input word as the u64 it stands for. */
@inline export function wordU64(p: usize, i: usize): u64 {
  return <u64><i64>load<f64>(p + (i << 3));
}

/** Writes a u64 below 2^52 as an output word. */
@inline export function setWordU64(p: usize, i: usize, v: u64): void {
  store<f64>(p + (i << 3), <f64><i64>v);
}

@inline export function maxU64(a: u64, b: u64): u64 {
  return a > b ? a : b;
}

@inline export function minU64(a: u64, b: u64): u64 {
  return a < b ? a : b;
}

/**
 * Zeroes n u32 at p. The per-node and cache tables are a few words long: a loop beats
 * memory.fill, which V8 runs as a call out of the module.
 */
@inline export function zeroU32(p: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) store<u32>(p + (i << 2), 0);
}
