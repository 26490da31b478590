// validateMemorySide: a document that differs from an already validated one only in its memory
// map and CPU section validates to what validatePlatform makes of the whole document, platform
// or first error alike, without the rest being checked again (a structural sweep row).
import { describe, it, expect } from 'vitest';
import { adoptMemorySide, validateMemorySide, validatePlatform, type MemorySideParts } from '../src/platform/validate.js';
import { getPreset } from '../src/platform/presets.js';
import { buildLayout, distances } from '../src/platform/presets/socketMemoryMap.js';
import { inferLayout } from '../src/model/sweep/inferSocketLayout.js';

type Doc = Record<string, unknown>;

/** validatePlatform's result, or its error message. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    return { error: (e as Error).message };
  }
}

// A small xorshift so that the cases are the same on every run.
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** One to three changes to the memory side of a document (several errors: the first one counts). */
function mutate(doc: Doc, r: () => number): Doc {
  let d = doc;
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) d = change(d, r);
  return d;
}

/** One change to the memory side of a document: valid or not, as a rule would see it. */
function change(doc: Doc, r: () => number): Doc {
  const d = structuredClone(doc);
  const memory = d.memory as Doc[];
  const pick = <T>(list: T[]): T => list[Math.floor(r() * list.length)];
  const m = pick(memory);
  switch (Math.floor(r() * 14)) {
    case 0: m.start = Number(m.start) + 0x800; break; // not 4 KiB aligned
    case 1: m.end = m.start; break; // empty
    case 2: m.node = 1024; break; // beyond MAX_NUMNODES
    case 3: memory.reverse(); break; // not ascending
    case 4: m.extra = 1; break; // unknown field
    case 5: m.start = -1; break;
    case 6: d.cmrs = [...((d.cmrs as Doc[] | undefined) ?? [{ start: 2 ** 20, end: 2 ** 31 }, { start: 2 ** 32, end: 2 ** 33 }])].reverse(); break;
    case 7: d.cmrs = Array.from({ length: 33 }, (_, i) => ({ start: (i + 1) * 2 ** 30, end: (i + 1) * 2 ** 30 + 2 ** 21 })); break;
    case 8: (d.reserved as Doc[]).push({ start: 10 * 2 ** 20, end: 2 ** 20, label: 'inverted' }); break;
    case 9: (d.reserved as Doc[]).push({ start: 10 * 2 ** 20, end: 11 * 2 ** 20, label: 7 }); break;
    case 10: d.nodeDistance = [[10]]; break; // too small for the nodes
    case 11: d.cpus = { ...(d.cpus as Doc), packages: 0 }; break;
    case 12: delete d.cmrs; break; // default CMRs: valid
    default: m.end = Number(m.end) - 2 ** 20; break; // a smaller node: valid
  }
  return d;
}

describe('validateMemorySide', () => {
  it('a preset validates to the same platform from its validated self', () => {
    for (const name of ['default', '4s-spr-1t', '2s-emr-17holes', '2s-spr-cxl']) {
      const doc = getPreset(name) as unknown as Doc;
      expect(validateMemorySide(doc, validatePlatform(doc)), name).toEqual(validatePlatform(doc));
    }
  });

  it('a changed memory side gives validatePlatform\'s platform or its first error, over 600 changes', () => {
    const r = rng(14);
    let failures = 0;
    const messages = new Set<string>();
    for (const name of ['default', '2s-emr-17holes', '2s-spr-cxl']) {
      const base = getPreset(name) as unknown as Doc;
      const rest = validatePlatform(base);
      for (let k = 0; k < 200; k++) {
        const doc = mutate(base, r);
        const want = outcome(() => validatePlatform(doc));
        if ('error' in (want as object)) {
          failures++;
          messages.add((want as { error: string }).error.replace(/\[\d+\]/g, '[i]'));
        }
        expect(outcome(() => validateMemorySide(doc, rest)), `${name} case ${k}`).toEqual(want);
      }
    }
    // Most changes break a rule; some stay valid: both kinds were compared.
    expect(failures).toBeGreaterThan(300);
    expect(failures).toBeLessThan(600);
    expect(messages.size).toBeGreaterThan(10);
  });

  it('takes everything else from the validated platform', () => {
    const doc = getPreset('default') as unknown as Doc;
    const rest = validatePlatform({ ...doc, module: { maxTdmrs: 3 }, kernel: { holes: 'cmr' } });
    const p = validateMemorySide(doc, rest);
    expect(p.module).toBe(rest.module);
    expect(p.kernel.holes).toBe('cmr');
    expect(p.memory).toEqual(validatePlatform(doc).memory);
  });
});

describe('adoptMemorySide', () => {
  /** A rebuilt map as the sweep builds it, and the document holding it. */
  function rebuilt(preset: string, sockets: number, snc: number, gib: number): { parts: MemorySideParts; doc: Doc } {
    const base = getPreset(preset) as unknown as Doc;
    const l = inferLayout(base, validatePlatform(base));
    const s = { sockets, snc, dramPerSocketGiB: gib, topGapMiB: l.topGapMiB };
    const layout = buildLayout(l.low, s, Number) as unknown as Omit<MemorySideParts, 'nodeDistance'>;
    const parts = { memory: layout.memory, reserved: layout.reserved, cmrs: layout.cmrs, nodeDistance: distances(s, 12, 21) };
    return { parts, doc: { ...base, ...parts, cpus: { ...(base.cpus as Doc), packages: sockets } } };
  }

  it('takes a rebuilt map as validation would make it, over presets, sockets, SNC and sizes', () => {
    let adopted = 0;
    for (const preset of ['default', '2s-emr-17holes', '4s-spr-1t', '1s-emr-64g']) {
      const rest = validatePlatform(getPreset(preset) as unknown as Doc);
      for (const sockets of [1, 2, 3, 8, 33]) {
        for (const snc of [1, 2, 4]) {
          for (const gib of [8, 64, 100, 1024]) {
            if ((gib / snc) % 1 !== 0 || gib / snc < 2) continue;
            const { parts, doc } = rebuilt(preset, sockets, snc, gib);
            const want = outcome(() => validateMemorySide(doc, rest));
            const got = outcome(() => adoptMemorySide(parts, doc.cpus, rest));
            if (got === null) {
              // Not taken as it is: only where validation refuses it (33 sockets: 34 CMRs, over 32).
              expect(want, `${preset} ${sockets}×${gib}G SNC${snc}`).toHaveProperty('error');
            } else {
              adopted++;
              expect(got, `${preset} ${sockets}×${gib}G SNC${snc}`).toEqual(want);
            }
          }
        }
      }
    }
    expect(adopted).toBeGreaterThan(150);
  });

  it('leaves to validation every part it would change or refuse', () => {
    const rest = validatePlatform(getPreset('default') as unknown as Doc);
    const changes: ((p: MemorySideParts) => void)[] = [
      (p) => (p.memory[2].start += 0x800), // unaligned
      (p) => (p.memory[2].start = -0), // -0 becomes 0
      (p) => (p.memory[p.memory.length - 2].start = p.memory[p.memory.length - 3].end), // touching, one node: merged
      (p) => (p.memory[1].node = 1.5),
      (p) => (p.memory[1].end = 2 ** 53), // beyond the address limit
      (p) => (p.reserved[0].end = p.reserved[0].start), // empty
      (p) => ((p.reserved[0] as { label?: unknown }).label = undefined),
      (p) => p.cmrs.reverse(),
      (p) => (p.nodeDistance = [[10]]),
      (p) => (p.nodeDistance[0][1] = 256),
    ];
    changes.forEach((change, k) => {
      const { parts } = rebuilt('default', 2, 1, 64);
      change(parts);
      const doc = { ...(getPreset('default') as unknown as Doc), ...parts };
      expect(adoptMemorySide(parts, doc.cpus, rest), `change ${k}`).toBeNull();
    });
    // The unchanged map is taken.
    const { parts, doc } = rebuilt('default', 2, 1, 64);
    expect(adoptMemorySide(parts, doc.cpus, rest)).toEqual(validateMemorySide(doc, rest));
  });
});
