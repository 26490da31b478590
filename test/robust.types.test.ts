// A wrong type at any level of a valid document is refused with that field's path: every
// scalar, array and object of the default preset and of a bring-your-own-TDMR layout is
// replaced in turn by values of the other JSON types.
import { describe, it, expect } from 'vitest';
import { validatePlatform } from '../src/platform/validate.js';
import { InputError } from '../src/platform/errors.js';
import { getPreset } from '../src/platform/presets.js';
import { runCli } from './helpers/cli.js';
import { expectInputError } from './helpers/fuzz.js';

type Path = (string | number)[];

const BYO = {
  name: 'byo',
  memory: [{ start: '0x100000', end: '0x80000000', node: 0 }],
  reserved: [{ start: '0x1000000', end: '0x4000000', label: 'kernel' }],
  cpus: { packages: 1, coresPerPackage: 4, threadsPerCore: 2, offline: [1], x2apic: true, model: 'sapphirerapids' },
  module: { loaded: true, version: '1.5.06', maxTdmrs: 64, features: { noRbpMod: true, dynamicPamt: false } },
  kernel: { policy: 'mainline', holes: 'memblock', hibernation: false, callers: [{ at: 5 }] },
  costs: { tdmrInitCallUs: 9 },
  hotplug: [{ start: '0x100000000', end: '0x140000000', node: 0, kind: 'cxl' }],
  tdmrs: [{ base: '0x0', size: '2G', pamt4k: { base: '0x5000000', size: '0x800000' }, pamt2m: { base: '0x5800000', size: '0x4000' }, pamt1g: { base: '0x5804000', size: '0x1000' }, reserved: [{ offset: '0x0', size: '0x100000' }] }],
};

function leaves(v: unknown, at: Path = []): Path[] {
  const out: Path[] = at.length ? [at] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...leaves(x, [...at, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...leaves(x, [...at, k]));
  return out;
}

function setAt(doc: unknown, p: Path, value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let o = copy;
  for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[p[p.length - 1]!] = value;
  return copy;
}

function fieldPath(p: Path): string {
  return p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
}

const SWAPS: unknown[] = [null, true, 'text', 12345.5, [], {}, [1, 2], { x: 1 }];

// Fields whose every value of another type is still meaningful or ignored by design.
const FREE = new Set(['name', 'description', 'source']);

describe('wrong types at every level', () => {
  for (const [label, base] of [['preset:default', getPreset('default')], ['bring-your-own layout', BYO]] as const) {
    it(`${label}: every swap is an InputError naming the field (or a parent)`, () => {
      expect(() => validatePlatform(structuredClone(base))).not.toThrow();
      const problems: string[] = [];
      let refused = 0;
      for (const p of leaves(base)) {
        if (FREE.has(String(p[0])) && p.length === 1) continue;
        const orig = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], base);
        for (const swap of SWAPS) {
          if (typeof swap === typeof orig && Array.isArray(swap) === Array.isArray(orig)) continue;
          try {
            validatePlatform(setAt(base, p, swap));
            // Some swaps stay valid (an [x] for a list, a number for a float); they must not crash.
          } catch (e) {
            if (!(e instanceof InputError)) {
              problems.push(`${fieldPath(p)} = ${JSON.stringify(swap)}: ${(e as Error).name}: ${(e as Error).message}`);
              continue;
            }
            refused++;
            const path = fieldPath(p);
            // The message names this field, one of its parents, or (for a list) an entry in it.
            const named = e.where === '' ? false : path.startsWith(e.where.replace(/^\(document\)$/, '')) || e.where.startsWith(path);
            if (!named) problems.push(`${path} = ${JSON.stringify(swap)}: message names "${e.where}": ${e.message}`);
          }
        }
      }
      expect(problems).toEqual([]);
      expect(refused).toBeGreaterThan(100);
    });
  }

  it('the document itself of the wrong type', () => {
    for (const v of [null, 1, 'x', true, [], [{}]]) {
      expect(() => validatePlatform(v)).toThrow(/\(document\): expected an object/);
    }
  });

  it('through the CLI: a wrong type in a nested field exits 2 with the path', () => {
    const doc = JSON.stringify(setAt(BYO, ['tdmrs', 0, 'pamt2m', 'size'], [4096]));
    expectInputError(runCli(['simulate', '-'], doc), { file: '<stdin>', where: 'tdmrs[0].pamt2m.size', rule: 'expected an integer or a hex string, got an array' });
  });
});
