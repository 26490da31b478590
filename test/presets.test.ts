import { describe, it, expect } from 'vitest';
import { PRESETS, getPreset, listPresets } from '../src/platform/presets.js';
import { validatePlatform } from '../src/platform/validate.js';
import { toConstructInput } from '../src/construct/input.js';
import { constructReference } from '../src/reference/construct.js';
import { InputError } from '../src/platform/errors.js';

/** Presets whose TDMR construction is meant to fail, and how. */
const CONSTRUCT_FAILS: Record<string, { error: string; tdmr: { base: number; size: number } }> = {
  '2s-emr-17holes': { error: 'RESERVED_AREAS_EXHAUSTED', tdmr: { base: 0, size: 0x80000000 } },
};

const GiB = 2 ** 30;

describe('presets', () => {
  it('has at least 9, with unique names, including default and 8s-gnr-64t', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(9);
    const names = PRESETS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('default');
    expect(names).toContain('8s-gnr-64t');
    expect(listPresets().map((p) => p.name)).toEqual(names);
  });

  it('covers Sapphire, Emerald and Granite Rapids', () => {
    const models = new Set(PRESETS.map((p) => (p.doc.cpus as { model: string }).model));
    expect([...models].sort()).toEqual(['emeraldrapids', 'graniterapids', 'sapphirerapids']);
  });

  for (const p of PRESETS) {
    it(`${p.name}: validates and constructs as intended`, () => {
      expect(p.description.length).toBeGreaterThan(10);
      expect(p.source.length).toBeGreaterThan(10);
      // Hex strings, as platform-format.md asks of shipped documents.
      for (const m of p.doc.memory as { start: unknown; end: unknown }[]) {
        expect(m.start).toMatch(/^0x[0-9a-f]+$/);
        expect(m.end).toMatch(/^0x[0-9a-f]+$/);
      }
      const platform = validatePlatform(getPreset(p.name));
      expect(platform.name).toBe(p.name);
      const r = constructReference(toConstructInput(platform));
      const fail = CONSTRUCT_FAILS[p.name];
      if (fail) {
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error).toBe(fail.error);
          expect(r.tdmr).toEqual(fail.tdmr);
        }
      } else {
        expect(r.ok, JSON.stringify(r.warnings)).toBe(true);
      }
      // Memory lies inside the CMRs, as on a machine whose firmware MCHECK passed.
      for (const m of platform.memory) {
        if (m.end <= 0x100000) continue;
        const start = Math.max(m.start, 0x100000);
        expect(platform.cmrs.some((c) => c.start <= start && m.end <= c.end), `${m.start.toString(16)}`).toBe(true);
      }
    });
  }

  it('default: 2 sockets of Sapphire Rapids, 512 GiB installed, 2 nodes', () => {
    const p = validatePlatform(getPreset('default'));
    expect(p.cpus.packages).toBe(2);
    expect(p.cpus.model).toBe('sapphirerapids');
    expect(new Set(p.memory.map((m) => m.node)).size).toBe(2);
    const bytes = p.memory.reduce((s, m) => s + m.end - m.start, 0);
    // 512 GiB installed less the firmware holes below 2 GiB and the 288 + 256 MiB socket tops.
    expect(bytes).toBeGreaterThan(510 * GiB);
    expect(bytes).toBeLessThan(512 * GiB);
  });

  it('8s-gnr-64t: 8 packages, 3840 LPs, 64 TiB, memory below the KeyID bits', () => {
    const p = validatePlatform(getPreset('8s-gnr-64t'));
    expect(p.cpus.packages).toBe(8);
    expect(p.cpus.lps.length).toBe(3840);
    const bytes = p.memory.reduce((s, m) => s + m.end - m.start, 0);
    expect(bytes).toBeGreaterThan(63.9 * 1024 * GiB);
    // 32 KeyIDs take 5 bits off the 52-bit address: memory must end below 2^47.
    const keyidBits = Math.ceil(Math.log2(p.keyids.mktme + p.keyids.tdx + 1));
    expect(Math.max(...p.memory.map((m) => m.end))).toBeLessThanOrEqual(2 ** (52 - keyidBits));
    expect(p.module.version.startsWith('2.')).toBe(true);
  });

  it('PAMT of the log-shaped presets equals the figure their logs printed', () => {
    // Per TDMR of G GiB: 4104·G + 4 KiB (tdmr-construction.md §3).
    // 2s-spr-256g (case-14): TDMRs 2, 126, 128 GiB → 8212 + 517108 + 525316 = 1050636.
    // default (case-15): 2, 254, 256 GiB → 8212 + 1042420 + 1050628 = 2101260.
    // 4s-spr-1t (case-05): 2, 254, 256, 256, 256 → 8212 + 1042420 + 3 × 1050628 = 4202516.
    const kb = (name: string): number => {
      const r = constructReference(toConstructInput(validatePlatform(getPreset(name))));
      if (!r.ok) throw new Error(r.error);
      return r.pamtKb;
    };
    expect(kb('2s-spr-256g')).toBe(1050636);
    expect(kb('default')).toBe(2101260);
    expect(kb('4s-spr-1t')).toBe(4202516);
  });

  it('17-hole Emerald Rapids: 17 holes below 2 GiB fail with memblock holes and pass with CMR holes', () => {
    const doc = getPreset('2s-emr-17holes') as Record<string, unknown>;
    const p = validatePlatform(doc);
    // [0, 1 MiB), 15 gaps between the 16 runs above 1 MiB, and [top of the last run, 2 GiB).
    const low = p.memory.filter((m) => m.end > 0x100000 && m.start < 0x80000000);
    expect(low.length).toBe(16);
    expect(low[0].end).toBeGreaterThan(GiB);
    const r = constructReference(toConstructInput(p));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.warnings.at(-1)).toBe('initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.');

    expect(p.cmrsGiven).toBe(true);
    (doc.kernel as Record<string, unknown>).holes = 'cmr';
    const fixed = constructReference(toConstructInput(validatePlatform(doc)));
    expect(fixed.ok).toBe(true);
    if (fixed.ok) expect(fixed.tdmrs[0].reserved.length).toBe(2);
    const named = constructReference(toConstructInput(validatePlatform(getPreset('2s-emr-17holes-cmr'))));
    expect(named.ok).toBe(true);
  });

  it('the mainline-failure, nosmt and CXL presets carry what makes them fail', () => {
    const v10 = validatePlatform(getPreset('2s-spr-tdx10'));
    expect(v10.module.version).toMatch(/^1\.0\./);
    const nosmt = validatePlatform(getPreset('2s-spr-512g-nosmt'));
    expect(nosmt.cpus.lps.filter((l) => !l.online).length).toBe(nosmt.cpus.lps.length / 2);
    const cxl = validatePlatform(getPreset('2s-spr-cxl'));
    expect(cxl.hotplug).toEqual([{ start: 2 ** 40, end: 2 ** 40 + 128 * GiB, node: 2, kind: 'cxl' }]);
    expect(cxl.memory.some((m) => m.node === 2)).toBe(false);
  });

  it('getPreset returns a copy and refuses unknown names, listing the valid ones', () => {
    const a = getPreset('default') as Record<string, unknown>;
    a.name = 'changed';
    expect((getPreset('default') as Record<string, unknown>).name).toBe('default');
    expect(() => getPreset('nope')).toThrow(InputError);
    expect(() => getPreset('nope')).toThrow(/unknown preset "nope".*default.*8s-gnr-64t/);
  });
});
