// The structural axes rebuild a base's memory map from its socket layout; for every built-in
// preset, reading the layout back and rebuilding it must give the preset's own map, or a
// sweep over "the default machine with 4 sockets" would also change things nobody asked for.
import { describe, it, expect } from 'vitest';
import { PRESETS } from '../src/platform/presets.js';
import { validatePlatform } from '../src/platform/validate.js';
import { buildLayout } from '../src/platform/presets/socketMemoryMap.js';
import { inferLayout, socketLayout } from '../src/model/sweep/inferSocketLayout.js';

describe('sweep layout inference', () => {
  for (const p of PRESETS) {
    it(`rebuilds preset ${p.name} exactly`, () => {
      const doc = structuredClone(p.doc);
      const l = inferLayout(doc, validatePlatform(structuredClone(doc)));
      expect(l.dramPerSocketGiB).not.toBeNull();
      const rebuilt = buildLayout(l.low, socketLayout(l, l.dramPerSocketGiB!, l.sockets, l.snc));
      expect(rebuilt.memory).toEqual(doc.memory);
      expect(rebuilt.cmrs).toEqual(doc.cmrs);
      expect(rebuilt.reserved).toEqual(doc.reserved);
    });
  }

  it('a base whose map shows no sockets has no memory per socket to keep', () => {
    const doc = { memory: [{ start: '0x100000', end: '0x40000000' }] };
    const l = inferLayout(doc, validatePlatform(structuredClone(doc)));
    expect(l.dramPerSocketGiB).toBeNull();
    expect(l.low.usable).toEqual([[0x100000, 0x40000000]]);
  });
});
