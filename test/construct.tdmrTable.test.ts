// TDMR tables are cut from shared buffers: each table's arrays are its own.
import { describe, it, expect } from 'vitest';
import { TdmrTable, FIELDS } from '../src/construct/tdmrTable.js';

describe('TdmrTable storage', () => {
  it('a new table reads zeros, and no table\'s arrays overlap another\'s, small and large alike', () => {
    const tables: TdmrTable[] = [];
    // Sizes across the slab boundary, with tables too large for a slab between small ones.
    for (let k = 0; k < 600; k++) {
      const t = k % 97 === 0 ? new TdmrTable(700, 3000) : new TdmrTable(1 + (k % 9), k % 23);
      expect(t.words.length).toBe(t.count * FIELDS);
      expect(t.words.every((w) => w === 0) && t.areas.every((a) => a === 0)).toBe(true);
      t.words.fill(k + 1);
      t.areas.fill(-(k + 1));
      tables.push(t);
    }
    tables.forEach((t, k) => {
      expect(t.words.every((w) => w === k + 1), `table ${k} words`).toBe(true);
      expect(t.areas.every((a) => a === -(k + 1)), `table ${k} areas`).toBe(true);
    });
  });

  it('an empty table has empty arrays', () => {
    const t = new TdmrTable(0, 0);
    expect([t.words.length, t.areas.length]).toEqual([0, 0]);
  });
});
