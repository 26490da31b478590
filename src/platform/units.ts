// Numbers in platform documents: JSON integers, "0x…" hex strings, and (sizes only) binary
// unit strings. Physical addresses are below 2^52 (MAXPHYADDR of TDX-capable CPUs, and the
// TDX module's own limit), so a validated address is an exact double.

import { invalidField } from './errors.js';
import { MAX_PA_BITS } from '../construct/constants.js';

export const ADDR_LIMIT = 2 ** MAX_PA_BITS;
const U64_MAX = (1n << 64n) - 1n;

const UNIT_SHIFT: Record<string, bigint> = { K: 10n, M: 20n, G: 30n, T: 40n, P: 50n, E: 60n };

/** Parse a u64 value exactly. `allowUnits` accepts "64G", "1.5T", "4KiB". */
export function parseU64(value: unknown, path: string, allowUnits: boolean): bigint {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidField(path, 'must be a finite number');
    if (!Number.isInteger(value)) throw invalidField(path, `must be an integer, got ${value}`);
    if (value < 0) throw invalidField(path, `must not be negative, got ${value}`);
    if (!Number.isSafeInteger(value)) {
      throw invalidField(path, 'integer too large to be exact in JSON; write it as a "0x…" hex string');
    }
    return BigInt(value);
  }
  if (typeof value === 'string') {
    const s = value.trim();
    if (/^0x[0-9a-f]+$/i.test(s)) {
      const v = BigInt(s);
      if (v > U64_MAX) throw invalidField(path, `hex value ${s} overflows 64 bits`);
      return v;
    }
    if (/^[0-9]+$/.test(s)) {
      const v = BigInt(s);
      if (v > U64_MAX) throw invalidField(path, `value ${s} overflows 64 bits`);
      return v;
    }
    const m = /^([0-9]+)(?:\.([0-9]+))?\s*([KMGTPE])(?:i?B)?$/i.exec(s);
    if (m) {
      if (!allowUnits) throw invalidField(path, `unit strings are for sizes only, got "${value}"`);
      const shift = UNIT_SHIFT[m[3].toUpperCase()];
      const frac = m[2] ?? '';
      const scaled = BigInt(m[1] + frac) << shift;
      const div = 10n ** BigInt(frac.length);
      if (scaled % div !== 0n) throw invalidField(path, `"${value}" is not a whole number of bytes`);
      const v = scaled / div;
      if (v > U64_MAX) throw invalidField(path, `"${value}" overflows 64 bits`);
      return v;
    }
    if (s.startsWith('-')) throw invalidField(path, `must not be negative, got "${value}"`);
    throw invalidField(path, `expected an integer, a "0x…" hex string${allowUnits ? ' or a size such as "64G"' : ''}, got "${value}"`);
  }
  throw invalidField(path, `expected an integer or a hex string, got ${describe(value)}`);
}

// Up to 13 hex digits: below 2^52, exact as a double.
const SHORT_HEX = /^0x[0-9a-f]{1,13}$/i;

/** An address or size that must stay below the 2^52 physical-address limit. */
export function parsePhys(value: unknown, path: string, allowUnits = false): number {
  // Documents hold millions of addresses: the common forms skip the BigInt round trip. (+ 0
  // turns -0 into 0, as the exact path does.)
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= ADDR_LIMIT) return value + 0;
  if (typeof value === 'string' && SHORT_HEX.test(value)) return Number.parseInt(value.slice(2), 16);
  const v = parseU64(value, path, allowUnits);
  if (v > BigInt(ADDR_LIMIT)) throw invalidField(path, `must not exceed 2^52 (0x10000000000000), the physical address limit`);
  return Number(v);
}

/** A small integer field (counts, node ids, limits). */
/** A plain JSON integer already in [min, max] (min ≥ 0): what parseInt accepts without parsing. */
export function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max && value >= 0;
}

export function parseInt(value: unknown, path: string, min: number, max: number): number {
  if (isIntIn(value, min, max)) return value + 0;
  const v = parseU64(value, path, false);
  if (v < BigInt(min) || v > BigInt(max)) throw invalidField(path, `must be between ${min} and ${max}, got ${v}`);
  return Number(v);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string "${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  return `${typeof value} ${String(value)}`;
}
