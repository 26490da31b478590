// prepare(platform) → PreparedPlatform: the one owner of what the model derives from a
// platform. Built once, it is handed to every simulation of the platform; what it remembers
// (constructions, CONFIG verdicts, cost values) lives exactly as long as it does.
import { describe, it, expect, beforeAll } from 'vitest';
import { prepare } from '../src/model/prepared.js';
import { simulate, simulateSummary, type SimulateOptions } from '../src/model/simulate.js';
import { loadEngine, type ConstructEngine } from '../src/kernels/engine.js';
import { listPresets, getPreset } from '../src/platform/presets.js';
import { validatePlatform } from '../src/platform/validate.js';
import { listPolicies } from '../src/model/policies/registry.js';
import type { ConstructInput } from '../src/construct/types.js';

let wasm: ConstructEngine;
beforeAll(async () => {
  wasm = await loadEngine('wasm');
});

/** The engine, counting the platforms it is asked to construct. */
function counting(inner: ConstructEngine): ConstructEngine & { built: number } {
  const e = {
    built: 0,
    one: (i: ConstructInput) => (e.built++, inner.one(i)),
    batch: (xs: ConstructInput[]) => ((e.built += xs.length), inner.batch(xs)),
    tables: (xs: ConstructInput[]) => ((e.built += xs.length), inner.tables(xs)),
  };
  return e;
}

const options = (prepared: ReturnType<typeof prepare>, engine: ConstructEngine, policy?: string): SimulateOptions =>
  ({ policy, engine, costs: prepared.costValues(), parameters: [] });

describe('prepare()', () => {
  it('constructs a platform once however many runs and cost settings use it', () => {
    const prepared = prepare(validatePlatform(getPreset('default')));
    const engine = counting(wasm);
    for (const lpInitUs of [10, 20, 30]) {
      simulateSummary(prepared, { policy: 'mainline', engine, costs: prepared.costValues({ lpInitUs }), parameters: [] });
    }
    simulate(prepared, options(prepared, engine, 'parallel-tdmr'));
    expect(engine.built).toBe(1);
    // Another PreparedPlatform of the same document remembers nothing of the first.
    const again = prepare(prepared.platform);
    simulateSummary(again, options(again, engine, 'mainline'));
    expect(engine.built).toBe(2);
  });

  it('remembers one CONFIG verdict per constructed layout and operands', () => {
    const prepared = prepare(validatePlatform(getPreset('default')));
    const first = prepared.construct(prepared.defaultLimits(), wasm);
    expect(first.ok).toBe(true);
    expect(prepared.construct(prepared.defaultLimits(), wasm)).toBe(first);
    if (!first.ok) return;
    const verdicts = prepared.moduleTables.verdicts;
    const ops = { tdmrs: first.table, r8: BigInt(prepared.platform.keyids.mktme + 1) };
    expect(verdicts.verdict(ops, prepared.moduleConfig)).toBe(verdicts.verdict({ ...ops }, prepared.moduleConfig));
    expect(verdicts.verdict(ops, prepared.moduleConfig).status).toBe(0n);
  });

  it('freezes nothing and changes nothing of the platform it reads', () => {
    const platform = validatePlatform(getPreset('2s-spr-cxl'));
    const before = JSON.stringify(platform);
    const prepared = prepare(platform);
    simulate(prepared, options(prepared, wasm));
    expect(JSON.stringify(platform)).toBe(before);
    expect(Object.isFrozen(platform.cpus.lps) || platform.cpus.lps.some(Object.isFrozen)).toBe(false);
    expect(Object.isFrozen(prepared.moduleConfig.lps) || Object.isFrozen(prepared.moduleConfig.cmrs)).toBe(false);
    platform.cpus.lps[3].online = false; // a library user's change: allowed, and seen by the next prepare()
    expect(prepare(platform).cpus.online.length).toBe(prepared.cpus.online.length - 1);
  });
});

describe('a sweep row (summary recording) and the full report', () => {
  it('read the same numbers on every preset under every policy', () => {
    for (const preset of listPresets()) {
      for (const policy of listPolicies()) {
        const prepared = prepare(validatePlatform(getPreset(preset.name)));
        const row = simulateSummary(prepared, options(prepared, wasm, policy.name));
        const { result } = simulate(prepared, options(prepared, wasm, policy.name));
        const label = `${preset.name} / ${policy.name}`;
        expect({ label, row: [row.outcome, row.tdmrsUsed, row.reservedAreasUsed, row.pamtKb, row.initUs, row.tdmrInitUs, row.floorUs] })
          .toEqual({ label, row: [result.outcome, result.construct.tdmrsUsed, result.construct.reservedAreasUsed, result.construct.pamtKb, result.totals.initUs, result.totals.tdmrInitUs, result.physicalFloor.floorUs] });
        expect({ label, p: [row.readyP50Us, row.readyP100Us] }).toEqual({ label, p: [result.readiness?.p50Us ?? NaN, result.readiness?.p100Us ?? NaN] });
      }
    }
  });
});

describe('a failed construction', () => {
  it('names the TDMR that ran out of reserved areas as a field of the result, not only in text', () => {
    const prepared = prepare(validatePlatform(getPreset('2s-emr-17holes')));
    const { result } = simulate(prepared, options(prepared, wasm, 'mainline'));
    expect(result.construct.error).toBe('RESERVED_AREAS_EXHAUSTED');
    expect(result.construct.failedTdmr).toEqual({ base: '0x0', size: '0x80000000' });
    const ok = prepare(validatePlatform(getPreset('default')));
    expect(simulate(ok, options(ok, wasm)).result.construct.failedTdmr).toBeNull();
  });
});
