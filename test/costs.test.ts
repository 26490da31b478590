import { describe, it, expect } from 'vitest';
import { COST_PARAMETERS, resolveCosts, costValue, costValues, costValuesWith, platformCostValues, memWriteBandwidthGBps, costParameter } from '../src/model/costs.js';
import { validatePlatform } from '../src/platform/validate.js';
import { InputError } from '../src/platform/errors.js';

const platform = (extra: Record<string, unknown> = {}) => validatePlatform({ memory: [{ start: '0x100000', end: '0x80000000' }], ...extra });

describe('cost parameters', () => {
  it('lists every parameter of cost-model.md §2 with its label', () => {
    const byName = new Map(COST_PARAMETERS.map((p) => [p.name, p]));
    const expected: [string, number, string][] = [
      ['tdmrInitCallUs', 9, 'derived'], ['tdmrChunkBytes', 4194304, 'source'], ['lpInitUs', 20, 'assumed'],
      ['cpuOnlineCallbackUs', 5, 'assumed'], ['ipiBroadcastUs', 10, 'assumed'], ['sysInitUs', 100, 'assumed'],
      ['sysRdUs', 1, 'assumed'], ['sysInfoUs', 20, 'assumed'], ['configUs', 50, 'assumed'], ['configPerTdmrUs', 5, 'assumed'],
      ['wbinvdUs', 5000, 'assumed'], ['smpCallOnCpuUs', 20, 'assumed'], ['keyConfigUs', 50, 'assumed'],
      ['allocFixedUs', 50, 'assumed'], ['allocBandwidthGBps', 20, 'assumed'], ['movdir64bBandwidthGBps', 5, 'assumed'],
      ['memWriteBandwidthGBps', 300, 'derived'], ['lpInitSigma', 0, 'assumed'], ['tdmrInitSigma', 0, 'assumed'],
      ['tdmrInitBootSigma', 0.18, 'derived'], ['fixedOverheadUs', 0, 'assumed'],
    ];
    for (const [name, dflt, label] of expected) {
      expect(byName.get(name), name).toMatchObject({ default: dflt, label });
      expect(byName.get(name)!.source.length).toBeGreaterThan(0);
    }
    expect(byName.get('constructPerBlockTdmrNs')?.label).toBe('assumed');
    expect(new Set(COST_PARAMETERS.map((p) => p.name)).size).toBe(COST_PARAMETERS.length);
  });

  it('memory write bandwidth depends on the CPU model', () => {
    expect(memWriteBandwidthGBps('sapphirerapids')).toBe(300);
    expect(memWriteBandwidthGBps('emeraldrapids')).toBe(300);
    expect(memWriteBandwidthGBps('graniterapids')).toBe(614);
    expect(resolveCosts(platform({ cpus: { model: 'graniterapids' } })).memWriteBandwidthGBps.value).toBe(614);
    const unknown = resolveCosts(platform({ cpus: { model: 'futurelake' } })).memWriteBandwidthGBps;
    expect(unknown.value).toBe(300);
    expect(unknown.source).toMatch(/unknown CPU model/);
  });

  it('Dynamic PAMT makes TDMR.INIT chunks 16 MiB', () => {
    expect(resolveCosts(platform()).tdmrChunkBytes.value).toBe(4 * 2 ** 20);
    expect(resolveCosts(platform({ module: { features: { dynamicPamt: true } } })).tdmrChunkBytes.value).toBe(16 * 2 ** 20);
  });

  it('merges defaults < platform.costs < overrides, with labels', () => {
    const p = platform({ costs: { tdmrInitCallUs: 11, wbinvdUs: 7000 } });
    const c = resolveCosts(p, { tdmrInitCallUs: 12.5, lpInitSigma: 0.3 });
    expect(c.tdmrInitCallUs).toMatchObject({ value: 12.5, label: 'override', unit: 'µs' });
    expect(c.tdmrInitCallUs.source).toMatch(/platform document had 11/);
    expect(c.wbinvdUs).toMatchObject({ value: 7000, label: 'set' });
    expect(c.wbinvdUs.source).toMatch(/default 5000/);
    expect(c.lpInitSigma).toMatchObject({ value: 0.3, label: 'override' });
    expect(c.sysInitUs).toMatchObject({ value: 100, label: 'assumed' });
    expect(costValues(c).tdmrInitCallUs).toBe(12.5);
  });

  it('accepts <param>Sigma for any time parameter', () => {
    const c = resolveCosts(platform(), { keyConfigUsSigma: 0.2 });
    expect(c.keyConfigUsSigma).toMatchObject({ value: 0.2, label: 'override' });
    expect(costValue(c, 'keyConfigUsSigma')).toBe(0.2);
    expect(costValue(c, 'wbinvdUsSigma')).toBe(0);
    expect(costParameter('allocBandwidthGBpsSigma')).toBeUndefined();
  });

  it('refuses unknown names and bad values, naming costs.<name>', () => {
    expect(() => resolveCosts(platform(), { tdmrInitCallMs: 1 })).toThrow(InputError);
    expect(() => resolveCosts(platform(), { tdmrInitCallMs: 1 })).toThrow(/^costs\.tdmrInitCallMs: unknown cost parameter \(valid: tdmrInitCallUs, .*fixedOverheadUs/);
    expect(() => resolveCosts(platform({ costs: { bogus: 1 } }))).toThrow(/costs\.bogus/);
    expect(() => resolveCosts(platform(), { fooSigma: 1 })).toThrow(/costs\.fooSigma/);
    expect(() => resolveCosts(platform(), { allocBandwidthGBps: 0 })).toThrow(/costs\.allocBandwidthGBps: must be > 0/);
    expect(() => resolveCosts(platform(), { lpInitUs: Number.NaN })).toThrow(/costs\.lpInitUs: must be a finite number/);
    expect(() => resolveCosts(platform(), { lpInitUs: -1 })).toThrow(/costs\.lpInitUs: must be ≥ 0/);
  });

  it('refuses tdmrChunkBytes as a fixed property of the module, whatever the value, in one line', () => {
    for (const v of [1000, 4 * 2 ** 20, 16 * 2 ** 20]) {
      expect(() => resolveCosts(platform(), { tdmrChunkBytes: v })).toThrow(/^costs\.tdmrChunkBytes: fixed by the TDX module \(intel\/tdx-module tdh_sys_tdmr_init\.c[^\n]*not settable/);
      expect(() => resolveCosts(platform({ costs: { tdmrChunkBytes: v } }))).toThrow(/^costs\.tdmrChunkBytes: fixed by the TDX module/);
      expect(() => costValuesWith(costValues(resolveCosts(platform())), { tdmrChunkBytes: v })).toThrow(/^costs\.tdmrChunkBytes: fixed by the TDX module/);
    }
    expect(() => resolveCosts(platform(), { tdmrInitCallMs: 1 })).toThrow(/\(valid: tdmrInitCallUs, lpInitUs, /);
  });

  it('costValuesWith (a sweep row) gives what costValues(resolveCosts()) gives, names in the same order', () => {
    const withDoc = platform({ costs: { lpInitUs: 31, keyConfigUsSigma: 0.1 } });
    const cases: Record<string, number>[] = [
      {}, { tdmrInitCallUs: 7.5 }, { lpInitUs: 12, tdmrInitSigma: 0.3 }, { wbinvdUsSigma: 0.2, keyConfigUsSigma: 0.4 },
      { memWriteBandwidthGBps: 600, tdmrInitBootSigma: 0.3 },
    ];
    for (const p of [platform(), withDoc]) {
      expect(Object.entries(platformCostValues(p))).toEqual(Object.entries(costValues(resolveCosts(p))));
      for (const o of cases) {
        const want = costValues(resolveCosts(p, o));
        const got = costValuesWith(platformCostValues(p), o);
        expect(Object.entries(got)).toEqual(Object.entries(want));
      }
      for (const bad of [{ tdmrInitCallMs: 1 }, { lpInitUs: -1 }, { fooSigma: 1 }, { tdmrChunkBytes: 1000 }]) {
        expect(() => costValuesWith(costValues(resolveCosts(p)), bad)).toThrow(new RegExp(`^costs\\.${Object.keys(bad)[0]}: `));
        expect(() => costValuesWith(costValues(resolveCosts(p)), bad)).toThrow((() => { try { resolveCosts(p, bad); } catch (e) { return (e as Error).message; } return 'no error'; })());
      }
    }
  });
});

describe('the parameter table of a report', () => {
  it('lists every resolved parameter once, in code-unit order of its name (the same in every locale)', async () => {
    const { parameterRecords } = await import('../src/model/run.js');
    const { loadPlatform } = await import('../src/platform/load.js');
    const platform = await loadPlatform('preset:default', []);
    const records = parameterRecords(resolveCosts(platform, { lpInitSigma: 0.2, keyConfigUsSigma: 0.1 }));
    const names = records.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('lpInitSigma');
    for (let i = 1; i < names.length; i++) expect(names[i - 1] < names[i]).toBe(true);
  });
});
