// parsePhys and parseInt take a shortcut for plain numbers and short hex strings (documents hold
// millions of addresses). The shortcut must give exactly what the exact BigInt path gives:
// the same value (never -0) or the same error, for any input.
import { describe, it, expect } from 'vitest';
import { parsePhys, parseInt as parseIntField, parseU64, ADDR_LIMIT } from '../src/platform/units.js';
import { rng } from './helpers/randomPlatform.js';

const outcome = (f: () => number): { value?: number; error?: string } => {
  try {
    const value = f();
    return { value: Object.is(value, -0) ? NaN : value };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

// The exact path, as units.ts had it before the shortcut.
const exactPhys = (v: unknown): number => {
  const b = parseU64(v, 'x', false);
  if (b > BigInt(ADDR_LIMIT)) throw new Error('x: must not exceed 2^52 (0x10000000000000), the physical address limit');
  return Number(b);
};
const exactInt = (v: unknown, min: number, max: number): number => {
  const b = parseU64(v, 'x', false);
  if (b < BigInt(min) || b > BigInt(max)) throw new Error(`x: must be between ${min} and ${max}, got ${b}`);
  return Number(b);
};

function values(seed: number, n: number): unknown[] {
  const r = rng(seed);
  const out: unknown[] = [0, -0, 1, -1, 0.5, NaN, Infinity, ADDR_LIMIT, ADDR_LIMIT + 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER,
    '0x0', '0X1F', '0xfffffffffffff', '0x10000000000000', '0x0000000000001', ' 0x10', '0x', '0xg', '-0x1', '12', '64G', '', null, true, [], {}];
  for (let i = 0; i < n; i++) {
    const x = Math.floor(r() * 2 ** (r() * 60));
    const k = r();
    if (k < 0.3) out.push(x);
    else if (k < 0.35) out.push(-x);
    else if (k < 0.4) out.push(x + 0.25);
    else {
      const digits = x.toString(16);
      const pad = r() < 0.2 ? '0'.repeat(Math.floor(r() * 4)) : '';
      out.push(`0${r() < 0.5 ? 'x' : 'X'}${pad}${r() < 0.5 ? digits : digits.toUpperCase()}`);
    }
  }
  return out;
}

describe('number shortcuts in document parsing', () => {
  it('parsePhys equals the exact path on 20,000 values', () => {
    for (const v of values(0x5eed, 20_000)) {
      expect(outcome(() => parsePhys(v, 'x')), String(v)).toEqual(outcome(() => exactPhys(v)));
    }
  });

  it('parseInt equals the exact path on 20,000 values and bounds', () => {
    const r = rng(0xb0b);
    for (const v of values(0xb0b1, 20_000)) {
      const min = r() < 0.5 ? 0 : Math.floor(r() * 100);
      const max = r() < 0.5 ? 255 : min + Math.floor(r() * 2 ** (r() * 40));
      expect(outcome(() => parseIntField(v, 'x', min, max)), `${String(v)} in [${min}, ${max}]`).toEqual(outcome(() => exactInt(v, min, max)));
    }
  });
});
