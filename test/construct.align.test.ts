// isAligned(x, a) is `x % a === 0` for a power of two a, without V8's fmod call.
import { describe, it, expect } from 'vitest';
import { isAligned } from '../src/construct/align.js';

describe('isAligned', () => {
  it('agrees with x % a === 0 on edge values and 20,000 seeded ones', () => {
    const edges = [0, -0, 1, -1, 4095, 4096, 4097, -4096, 2 ** 31, 2 ** 32 + 4096, 2 ** 52 - 4096, 2 ** 53 - 1, 2 ** 53, 2 ** 60, 4096.5, 0.25, NaN, Infinity, -Infinity];
    let s = 14;
    const next = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31);
    const values = [...edges, ...Array.from({ length: 20000 }, () => next() * 2 ** (next() % 23) + (next() % 2 ? 0 : next() % 4096))];
    for (const a of [1, 512, 4096, 2 ** 21, 2 ** 30]) {
      for (const x of values) expect(isAligned(x, a), `${x} / ${a}`).toBe(x % a === 0);
    }
    // Both outcomes were seen.
    expect(values.filter((x) => isAligned(x, 4096)).length).toBeGreaterThan(1000);
    expect(values.filter((x) => !isAligned(x, 4096)).length).toBeGreaterThan(1000);
  });
});
