// Hostile TD documents: whatever the input, validation either accepts it or throws an
// InputError naming a field; never another kind of error.
import { describe, it, expect } from 'vitest';
import { validateTd, applyTdSets } from '../src/guest/document.js';
import { resolveGuestCosts } from '../src/guest/costs.js';
import { InputError } from '../src/platform/errors.js';

const VALUES: unknown[] = [null, true, 0, -1, 1.5, 2 ** 53, Number.MAX_VALUE, '', '6.8', '7.0', 'lazy', 'eager', '4K', '2M', [], [1], {}, { a: 1 }, 'x'.repeat(5000), '\u202e'];
const PATHS = ['vcpus', 'memoryGiB', 'name', 'firmware', 'firmware.accept', 'firmware.lazyAcceptMiB', 'kernel', 'kernel.version', 'kernel.hz',
  'kernel.acceptMemory', 'kernel.swiotlbMiB', 'host', 'host.privatePageSize', 'host.platform', 'workload.allocators', 'attestation.pollMs',
  'attestation.qgs', 'attestation.requests', 'costs', 'costs.acceptPageUs', 'costs.acceptJitter', '__proto__', 'extra'];

describe('TD document fuzz', () => {
  it('5000 random documents: accepted, or refused with one InputError line', () => {
    let s = 7;
    const r = (n: number): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const doc: Record<string, unknown> = { vcpus: 4, memoryGiB: 8 };
      for (let k = r(4); k >= 0; k--) {
        const path = PATHS[r(PATHS.length)].split('.');
        let o = doc;
        for (const p of path.slice(0, -1)) {
          if (typeof o[p] !== 'object' || o[p] === null || Array.isArray(o[p])) o[p] = {};
          o = o[p] as Record<string, unknown>;
        }
        Object.defineProperty(o, path[path.length - 1], { value: VALUES[r(VALUES.length)], enumerable: true, writable: true, configurable: true });
      }
      try {
        const { td } = validateTd(doc);
        resolveGuestCosts(td.costs);
        accepted++;
      } catch (e) {
        if (!(e instanceof InputError)) throw new Error(`document ${i} ${JSON.stringify(doc).slice(0, 200)}: ${String(e)}`);
        expect(e.message).not.toMatch(/\n/);
        expect(e.message.length).toBeLessThan(2500);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('--set cannot reach the prototype', () => {
    const doc = { vcpus: 4, memoryGiB: 8 };
    expect(() => applyTdSets(doc, ['__proto__.polluted=1'])).toThrow(InputError);
    expect(() => applyTdSets(doc, ['kernel.constructor.x=1'])).toThrow(InputError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
