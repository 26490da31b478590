// A validated platform is its caller's own: nothing in it is frozen or shared with another
// platform, so a library user may change it (and prepare it again) without surprises. What the
// model derives from a platform is derived once by its PreparedPlatform (test/prepared.test.ts),
// not by validation remembering parts across documents.
import { describe, it, expect } from 'vitest';
import { validatePlatform } from '../src/platform/validate.js';
import { InputError } from '../src/platform/errors.js';

const doc = (cpus: Record<string, unknown>) => ({
  memory: [{ start: '0x100000', end: '0x80000000', node: 0 }, { start: '0x100000000', end: '0x180000000', node: 1 }],
  cpus: { packages: 2, coresPerPackage: 4, threadsPerCore: 2, ...cpus },
});

describe('LP lists built from counts', () => {
  it('may be changed by the caller: an LP taken offline stays the one platform\'s', () => {
    const a = validatePlatform(doc({}));
    const b = validatePlatform(doc({}));
    expect(Object.isFrozen(a.cpus.lps) || a.cpus.lps.some((l) => Object.isFrozen(l))).toBe(false);
    a.cpus.lps[3].online = false;
    expect(a.cpus.lps[3].online).toBe(false);
    expect(b.cpus.lps[3].online).toBe(true);
    expect(validatePlatform(doc({})).cpus.lps[3].online).toBe(true);
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

describe('distance matrices', () => {
  it('are copied: changing the document afterwards changes no platform', () => {
    const given = [[10, 21], [21, 10]];
    const a = validatePlatform({ ...doc({}), nodeDistance: given }).nodeDistance;
    given[0][1] = 30;
    given[1][0] = 30;
    expect(a).toEqual([[10, 21], [21, 10]]);
    expect(validatePlatform({ ...doc({}), nodeDistance: given }).nodeDistance).toEqual([[10, 30], [30, 10]]);
  });

  it('a frozen matrix is read like any other, and its platform\'s copy is not frozen', () => {
    const matrix = Object.freeze([Object.freeze([10, 21]), Object.freeze([21, 10])]);
    const a = validatePlatform({ ...doc({}), nodeDistance: matrix }).nodeDistance;
    expect(a).toEqual([[10, 21], [21, 10]]);
    expect(Object.isFrozen(a) || a.some((r) => Object.isFrozen(r))).toBe(false);
    const three = { ...doc({}), nodeDistance: matrix };
    three.memory = [...three.memory, { start: '0x200000000', end: '0x280000000', node: 2 }];
    expect(() => validatePlatform(three)).toThrow(/nodeDistance: node 2 has no distance entries/);
  });
});
