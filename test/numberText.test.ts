// writeNumberText(out, x) writes String(x) for every number: the sweep's CSV and JSON Lines
// cells depend on it byte for byte. Checked on the values rows hold
// (integers, 3-decimal times) at every magnitude, on arbitrary doubles (random bit patterns), and
// on the edges of its fast path.

import { describe, expect, it } from 'vitest';
import { writeNumberText } from '../src/util/numberText.js';
import { ByteText, textOf } from '../src/util/byteText.js';
import { rng } from './helpers/randomPlatform.js';

/** The first value (if any) whose written text differs from String's, with both texts. */
function firstMismatch(values: Iterable<number>): { x: number; got: string; want: string } | null {
  const out = new ByteText(64);
  let batch: number[] = [];
  // Written a thousand at a time, one per line, and read back.
  const check = (): { x: number; got: string; want: string } | null => {
    const lines = textOf(out.take()).split('\n');
    for (let i = 0; i < batch.length; i++) {
      if (lines[i] !== String(batch[i])) return { x: batch[i], got: lines[i], want: String(batch[i]) };
    }
    batch = [];
    return null;
  };
  for (const x of values) {
    writeNumberText(out, x);
    out.ascii(10);
    batch.push(x);
    if (batch.length === 1000) {
      const bad = check();
      if (bad) return bad;
    }
  }
  return check();
}

function* randomValues(seed: number, count: number, make: (r: () => number) => number): Generator<number> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) yield make(r);
}

/** A magnitude between 1e-9 and 1e22, log-uniform, either sign. */
function magnitude(r: () => number): number {
  return (r() < 0.5 ? -1 : 1) * 10 ** (-9 + r() * 31);
}

describe('writeNumberText', () => {
  it('equals String(x) on a million values rounded to 3 decimals, at every magnitude', () => {
    expect(firstMismatch(randomValues(1, 1_000_000, (r) => Math.round(magnitude(r) * 1000) / 1000))).toBeNull();
  });

  it('equals String(x) on a million values with 0 to 6 decimals (what r3 leaves and what it does not)', () => {
    expect(firstMismatch(randomValues(2, 1_000_000, (r) => {
      const d = 10 ** Math.floor(r() * 7);
      return Math.round(magnitude(r) * d) / d;
    }))).toBeNull();
  });

  it('equals String(x) on a million integers and a million arbitrary doubles (random bits)', () => {
    expect(firstMismatch(randomValues(3, 1_000_000, (r) => Math.round(magnitude(r))))).toBeNull();
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    expect(firstMismatch(randomValues(4, 1_000_000, (r) => {
      words[0] = Math.floor(r() * 2 ** 32);
      words[1] = Math.floor(r() * 2 ** 32);
      return bits[0]!;
    }))).toBeNull();
  });

  it('equals String(x) on the edges: zeros, int32 limits, the fast path limit, exponent boundaries, tiny and odd values', () => {
    const edges = [
      0, -0, 1, -1, 0.001, -0.001, 0.0005, -0.0005, 0.0015, 0.999, 0.1, 0.01, 0.5, 1.5, -1.5, 0.1 + 0.2, 1 / 3, 2 / 3,
      2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 31 - 0.001, 2 ** 31 - 1 + 0.5, 2147483646.999, -2147483646.999, 2147483647.001,
      2 ** 32, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e15 + 0.125, 1e20, 1e21, 1e21 + 65536, 123456789012345680000, 1e22,
      1e-6, 1e-7, 9.999e-7, 1.5e-6, 5e-324, 2.2250738585072014e-308, Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON,
      Infinity, -Infinity, NaN, 169040.697, 896.56, 97616.697, 262664, 63.173,
    ];
    const near = edges.flatMap((x) => [x, x * (1 + Number.EPSILON), x * (1 - Number.EPSILON), x + 0.001, x - 0.001]);
    expect(firstMismatch(near)).toBeNull();
  });
});
