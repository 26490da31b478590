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

/** An input word as the u64 it stands for (the boundary carries integers below 2^52). */
@inline export function wordU64(p: usize, i: usize): u64 {
  return <u64>load<f64>(p + (i << 3));
}

@inline export function maxU64(a: u64, b: u64): u64 {
  return a > b ? a : b;
}

@inline export function minU64(a: u64, b: u64): u64 {
  return a < b ? a : b;
}
