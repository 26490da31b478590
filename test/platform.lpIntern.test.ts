// Platforms built from CPU counts share one frozen LP list per (counts, nodes, offline lists):
// what the model derives per LP list is then derived once. Sharing must never leak one
// document's offline lists, or a refused document's partial work, into another platform.
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
