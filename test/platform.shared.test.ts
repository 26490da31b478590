// Parts that platforms share once validated: one frozen LP list per (counts, nodes, offline
// lists), and the parsed form of a frozen distance matrix (the sweep builder's). What the model
// derives from them is then derived once. Sharing must never leak one document's offline lists,
// or a refused document's partial work, into another platform, nor skip a check.
import { describe, it, expect } from 'vitest';
import { validatePlatform } from '../src/platform/validate.js';
import { InputError } from '../src/platform/errors.js';

const doc = (cpus: Record<string, unknown>) => ({
  memory: [{ start: '0x100000', end: '0x80000000', node: 0 }, { start: '0x100000000', end: '0x180000000', node: 1 }],
  cpus: { packages: 2, coresPerPackage: 4, threadsPerCore: 2, ...cpus },
});

describe('LP lists built from counts', () => {
  it('the same counts give the same frozen list; other counts or offline lists another', () => {
    const a = validatePlatform(doc({})).cpus.lps;
    const b = validatePlatform(doc({})).cpus.lps;
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && a.every((l) => Object.isFrozen(l))).toBe(true);
    const smt = validatePlatform(doc({ offline: 'smt' })).cpus.lps;
    expect(smt).not.toBe(a);
    expect(smt.filter((l) => l.online).length).toBe(8);
    expect(a.filter((l) => l.online).length).toBe(16);
    const three = validatePlatform(doc({ coresPerPackage: 3 })).cpus.lps;
    expect(three.length).toBe(12);
  });

  it('a refused offline list leaves nothing behind: refused again, and the valid list is untouched', () => {
    const bad = doc({ offlinedAfterLpInit: [3, 99] });
    expect(() => validatePlatform(bad)).toThrow(InputError);
    expect(() => validatePlatform(bad)).toThrow(/cpus\.offlinedAfterLpInit\[1\]: .*LP 99 does not exist/);
    const good = validatePlatform(doc({ offlinedAfterLpInit: [3] })).cpus.lps;
    expect(good[3]).toMatchObject({ online: false, offlinedAfterLpInit: true });
    expect(good.filter((l) => !l.online).length).toBe(1);
    expect(validatePlatform(doc({})).cpus.lps[3]).toMatchObject({ online: true, offlinedAfterLpInit: false });
  });

  it('explicit LP lists are the document\'s own, not shared', () => {
    const lps = [{ id: 0, package: 0, node: 0 }, { id: 1, package: 1, node: 1 }];
    const a = validatePlatform({ ...doc({}), cpus: { lps } }).cpus.lps;
    const b = validatePlatform({ ...doc({}), cpus: { lps } }).cpus.lps;
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });
});

describe('frozen distance matrices', () => {
  const matrix = Object.freeze([Object.freeze([10, 21]), Object.freeze([21, 10])]);
  it('are parsed once, and the parsed form is frozen', () => {
    const a = validatePlatform({ ...doc({}), nodeDistance: matrix }).nodeDistance;
    const b = validatePlatform({ ...doc({}), nodeDistance: matrix }).nodeDistance;
    expect(b).toBe(a);
    expect(a).toEqual([[10, 21], [21, 10]]);
    expect(Object.isFrozen(a) && a.every((r) => Object.isFrozen(r))).toBe(true);
  });

  it('still refuse a document with a node the matrix does not cover, after a hit', () => {
    validatePlatform({ ...doc({}), nodeDistance: matrix });
    const three = { ...doc({}), nodeDistance: matrix };
    three.memory = [...three.memory, { start: '0x200000000', end: '0x280000000', node: 2 }];
    expect(() => validatePlatform(three)).toThrow(/nodeDistance: node 2 has no distance entries/);
  });

  it('a matrix that is not frozen is parsed every time', () => {
    const open = [[10, 21], [21, 10]];
    const a = validatePlatform({ ...doc({}), nodeDistance: open }).nodeDistance;
    open[0][1] = 30;
    open[1][0] = 30;
    expect(validatePlatform({ ...doc({}), nodeDistance: open }).nodeDistance).toEqual([[10, 30], [30, 10]]);
    expect(a).toEqual([[10, 21], [21, 10]]);
  });
});
