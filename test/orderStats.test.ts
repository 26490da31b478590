// The trials' summaries select their percentiles instead of sorting: the values must be exactly
// those a sort puts at the nearest ranks, whatever the column holds.
import { describe, it, expect } from 'vitest';
import { distribution, rankIndex, select } from '../src/util/orderStats.js';
import { Rng } from './helpers/fuzz.js';

/** What the summaries were before: sort, then read the ranks. */
function bySorting(values: Float64Array): ReturnType<typeof distribution> {
  let sum = 0;
  for (const v of values) sum += v;
  const s = values.slice().sort();
  const n = s.length;
  return { mean: sum / n, p50: s[rankIndex(n, 50)], p95: s[rankIndex(n, 95)], p99: s[rankIndex(n, 99)], min: s[0], max: s[n - 1] };
}

// The fuzz tests' seeded generator, so a failure names a reproducible case.
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

const shapes: Record<string, (n: number, r: () => number) => number[]> = {
  'log-normal draws': (n, r) => Array.from({ length: n }, () => 1000 * Math.exp(2 * (r() - 0.5))),
  'few distinct values': (n, r) => Array.from({ length: n }, () => Math.floor(r() * 4)),
  'all equal (σ = 0)': (n) => Array.from({ length: n }, () => 42.5),
  ascending: (n) => Array.from({ length: n }, (_, i) => i),
  descending: (n) => Array.from({ length: n }, (_, i) => n - i),
  'organ pipe': (n) => Array.from({ length: n }, (_, i) => Math.min(i, n - i)),
  'median-of-three killer': (n) => Array.from({ length: n }, (_, i) => (i % 2 ? i : n + i)),
};

describe('distribution (select instead of sort)', () => {
  for (const [name, shape] of Object.entries(shapes)) {
    it(`gives what sorting gives: ${name}, sizes 1 to 2,000`, () => {
      const r = rng(name.length * 7919);
      for (const n of [1, 2, 3, 5, 19, 20, 99, 100, 101, 1000, 2000]) {
        const values = Float64Array.from(shape(n, r));
        expect(distribution(values.slice()), `${name}, n = ${n}`).toEqual(bySorting(values));
      }
    });
  }

  it('gives what sorting gives on 2,000 random columns of random length', () => {
    const r = rng(12345);
    for (let c = 0; c < 2000; c++) {
      const n = 1 + Math.floor(r() * 300);
      const values = Float64Array.from({ length: n }, () => Math.round(r() * 50) / 4);
      expect(distribution(values.slice()), `column ${c}`).toEqual(bySorting(values));
    }
  });

  it('sums the mean in the given order, before reordering', () => {
    const values = Float64Array.from([1e16, 1, -1e16, 1]);
    expect(distribution(values.slice()).mean).toBe((1e16 + 1 - 1e16 + 1) / 4);
  });

  it('a column with NaN reads as its sorted form did (NaN sorts last)', () => {
    const values = Float64Array.from([3, NaN, 1, 2]);
    const d = distribution(values.slice());
    expect(d).toEqual(bySorting(values));
    expect(d.max).toBeNaN();
  });
});

describe('select', () => {
  it('leaves nothing greater before the k-th value and nothing smaller after it', () => {
    const r = rng(99);
    const a = Float64Array.from({ length: 5000 }, () => Math.floor(r() * 100));
    const k = 3210;
    const v = select(a, k);
    expect(a[k]).toBe(v);
    expect(a.subarray(0, k).every((x) => x <= v)).toBe(true);
    expect(a.subarray(k).every((x) => x >= v)).toBe(true);
  });
});

describe('rankIndex', () => {
  it('is ceil(pct/100 · n) − 1 without rounding error', () => {
    expect(rankIndex(100, 95)).toBe(94);
    expect(rankIndex(100, 99)).toBe(98);
    expect(rankIndex(1, 50)).toBe(0);
    expect(rankIndex(3, 50)).toBe(1);
    expect(rankIndex(200, 50)).toBe(99);
  });
});
