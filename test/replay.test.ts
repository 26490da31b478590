// Replaying the module's answers (src/model/replay.ts) and running a recorded run's time program
// (src/model/clock.ts): a summary row under a replayable policy gives the numbers a live run
// gives, bit for bit, under any costs, whichever way it was computed; a program whose decision
// comes out otherwise replays, a replay asked something else runs live; a policy that does not
// say it is replayable always runs live.

import { describe, it, expect } from 'vitest';
import { getPreset, listPresets } from '../src/platform/presets.js';
import { prepare } from '../src/model/prepared.js';
import { simulateSummary, type SimulateOptions } from '../src/model/simulate.js';
import { listPolicies, registerPolicy, getPolicy } from '../src/model/policies/registry.js';
import { COST_PARAMETERS } from '../src/model/costs.js';
import { validatePlatform } from '../src/platform/validate.js';
import { loadEngine } from '../src/kernels/engine.js';
import { CallTape, ReplayDiverged, ReplayPort, recording } from '../src/model/replay.js';
import { TdxModule, LEAF } from '../src/model/module/index.js';
import type { KernelPolicy } from '../src/model/policies/policy.js';
import type { Sim } from '../src/model/sim.js';
import { rng } from './helpers/randomPlatform.js';

const engine = await loadEngine('wasm');

/**
 * Random values, within the cost model's ranges, for every time and bandwidth parameter: the
 * ends of the ranges included (a call of no duration must not contend either).
 */
function randomCosts(base: Record<string, number>, rand: () => number): Record<string, number> {
  const costs = { ...base };
  for (const p of COST_PARAMETERS) {
    if (!(p.name in costs) || p.integerMultipleOf !== undefined) continue;
    const { min, max } = p.range;
    const r = rand();
    costs[p.name] = r < 0.1 ? min : r < 0.15 ? max : min + (Math.min(max, 1e4) - min) * rand() ** 2;
  }
  return costs;
}

/** The presets, and variants that take other paths: failures, later callers, offline CPUs, Dynamic PAMT, boot-time init. */
function platforms(): { name: string; doc: Record<string, unknown> }[] {
  const out = listPresets().map((p) => ({ name: p.name, doc: getPreset(p.name) as Record<string, unknown> }));
  const variant = (name: string, edit: (d: any) => void): void => {
    const doc = structuredClone(getPreset('default')) as any;
    edit(doc);
    out.push({ name: `default, ${name}`, doc });
  };
  variant('four TDMRs at most (construction fails)', (d) => (d.module = { ...d.module, maxTdmrs: 4 }));
  variant('three tdx_enable() callers', (d) => (d.kernel = { ...d.kernel, callers: [{ at: 0 }, { at: 5 }, { at: 1e6 }] }));
  variant('Dynamic PAMT, boot-time init', (d) => {
    d.module = { ...d.module, features: { ...d.module?.features, dynamicPamt: true } };
    d.kernel = { ...d.kernel, bootTimeInit: true };
  });
  return out;
}

/** `policy` (replayable) registered as `name`, doing `first` before it initializes; the one registered before under that name, if any. */
function registeredVariant(policy: KernelPolicy, name: string, first: (sim: Sim) => void): KernelPolicy {
  const existing = listPolicies().find((p) => p.name === name);
  if (existing) return existing;
  const p: KernelPolicy = {
    ...policy,
    name,
    replayable: true,
    initialize(sim) {
      first(sim);
      policy.initialize(sim);
    },
  };
  registerPolicy(p);
  return p;
}

/** `policy` setting the clock to its own time before it initializes: no time change, and no time program. */
function clockToucher(policy: KernelPolicy): KernelPolicy {
  return registeredVariant(policy, `${policy.name} (touching the clock)`, (sim) => {
    sim.now = sim.now;
  });
}

describe('a time program and a replayed summary run are a live run', () => {
  const replayable = listPolicies().filter((p) => p.replayable);

  it('every built-in policy is replayable', () => {
    expect(replayable.map((p) => p.name).sort()).toEqual(['mainline', 'parallel-tdmr', 'v7-2022']);
  });

  for (const { name, doc } of platforms()) {
    it(`${name}: every replayable policy, 25 random cost settings, program and replay give a live run's summary`, () => {
      const rand = rng(name.length * 7919 + 1);
      for (const policy of replayable) {
        const recorded = prepare(validatePlatform(doc));
        const replayOnly = prepare(validatePlatform(doc));
        const base = recorded.costValues({});
        const first: SimulateOptions = { policy: policy.name, engine, costs: base, parameters: [] };
        simulateSummary(recorded, first);
        expect(recorded.callTape(policy), `${policy.name}: one run, no tape`).toBeUndefined();
        simulateSummary(recorded, first);
        const tape = recorded.callTape(policy);
        expect(tape, `${policy.name}: the second run recorded a tape`).toBeDefined();
        expect(tape!.programs.length, `${policy.name}: and its time program`).toBe(1);
        // The same policy touching the clock itself: the same numbers, no time program, so
        // its rows replay.
        const opaque = clockToucher(policy);
        const viaReplay = { ...first, policy: opaque.name };
        simulateSummary(replayOnly, viaReplay);
        simulateSummary(replayOnly, viaReplay);
        expect(replayOnly.callTape(opaque)!.programs).toHaveLength(0);
        for (let k = 0; k < 25; k++) {
          const costs = randomCosts(base, rand);
          const opts = { ...first, costs };
          const live = simulateSummary(prepare(validatePlatform(doc)), opts);
          expect(simulateSummary(recorded, opts), `${policy.name}, program, costs ${JSON.stringify(costs)}`).toEqual(live);
          expect(simulateSummary(replayOnly, { ...viaReplay, costs }), `${policy.name}, replay, costs ${JSON.stringify(costs)}`).toEqual(live);
        }
      }
    });
  }
});

describe('a replay answers only the questions it recorded', () => {
  const p = prepare(validatePlatform(getPreset('default')));
  const tape = new CallTape({ name: 'test' });
  const live = recording(new TdxModule(p.moduleConfig, p.moduleTables), tape);
  const ok = live.call(LEAF.SYS_INIT, 0, { rcx: 0n }, 0, 1);

  it('gives the recorded answer to the same question, at other times', () => {
    expect(new ReplayPort(tape).call(LEAF.SYS_INIT, 0, { rcx: 0n }, 50, 70)).toBe(ok);
  });

  it('diverges on another leaf, another CPU, other registers, or a question past the end', () => {
    expect(() => new ReplayPort(tape).call(LEAF.SYS_LP_INIT, 0, {}, 0, 1)).toThrow(ReplayDiverged);
    expect(() => new ReplayPort(tape).call(LEAF.SYS_INIT, 1, { rcx: 0n }, 0, 1)).toThrow(ReplayDiverged);
    expect(() => new ReplayPort(tape).call(LEAF.SYS_INIT, 0, { rcx: 1n }, 0, 1)).toThrow(ReplayDiverged);
    const once = new ReplayPort(tape);
    once.call(LEAF.SYS_INIT, 0, { rcx: 0n }, 0, 1);
    expect(() => once.call(LEAF.SYS_INIT, 0, { rcx: 0n }, 1, 2)).toThrow(ReplayDiverged);
  });

  it('computes a TDMR.INIT series end at its own times', () => {
    const q = prepare(validatePlatform(getPreset('default')));
    const t = new CallTape({ name: 'test' });
    const m = recording(new TdxModule(q.moduleConfig, q.moduleTables), t);
    const r = m.tdmrInitBulk(0, 0n, Infinity, 0, 5);
    expect(new ReplayPort(t).tdmrInitBulk(0, 0n, Infinity, 100, 3)).toEqual({ ...r, t1: 100 + r.calls * 3 });
  });
});

describe('which runs replay', () => {
  it('a row whose time decision differs from the recorded one, and whose questions then differ too, runs live, with the live numbers', () => {
    // A policy that reads one more metadata field when a cost is above a threshold: it takes
    // the decision in a time op (so the program notices), but then asks the module another
    // question, which a replayable policy must not do (so the replay notices too).
    const fickle = registeredVariant(getPolicy('mainline'), 'test-fickle', (sim) => {
      if (sim.time((c) => { c.out = c.decide(c.costs.sysRdUs > 100 ? 1 : 0); })) {
        const at = sim.time((c) => { c.out = c.advance('extra TDH.SYS.RD', 1); });
        sim.seamcall(LEAF.SYS_RD, sim.onlineLps[0].id, { rdx: 0x9100000100000008n, field: 0x9100000100000008n }, 1, at);
      }
    });
    const p = prepare(validatePlatform(getPreset('default')));
    const opts = { policy: 'test-fickle', engine, costs: p.costValues({}), parameters: [] };
    simulateSummary(p, opts);
    simulateSummary(p, opts);
    expect(p.callTape(fickle)?.programs).toHaveLength(1);
    const other = { ...opts, costs: p.costValues({ sysRdUs: 150 }) };
    const live = simulateSummary(prepare(validatePlatform(getPreset('default'))), other);
    expect(simulateSummary(p, other)).toEqual(live);
    expect(live.initUs).toBeGreaterThan(simulateSummary(p, opts).initUs);
    // The replay diverged and the row was simulated: no program joined the tape.
    expect(p.callTape(fickle)?.programs).toHaveLength(1);
  });

  it('a policy that moves the clock itself records no time program, and its rows replay', () => {
    const own = registeredVariant(getPolicy('mainline'), 'test-own-clock', (sim) => {
      sim.now += sim.cost('sysRdUs');
    });
    const p = prepare(validatePlatform(getPreset('default')));
    const opts = { policy: 'test-own-clock', engine, costs: p.costValues({}), parameters: [] };
    simulateSummary(p, opts);
    simulateSummary(p, opts);
    expect(p.callTape(own)).toBeDefined();
    expect(p.callTape(own)!.programs).toHaveLength(0);
    const other = { ...opts, costs: p.costValues({ sysRdUs: 77 }) };
    expect(simulateSummary(p, other)).toEqual(simulateSummary(prepare(validatePlatform(getPreset('default'))), other));
  });

  it('a row whose costs lack a parameter an op reads is refused, naming it, whether it runs live or as a program', () => {
    const p = prepare(validatePlatform(getPreset('default')));
    p.expectsReruns = true;
    const full = { policy: 'mainline', engine, costs: p.costValues(), parameters: [] };
    simulateSummary(p, full);
    expect(p.callTape(getPolicy('mainline'))?.programs).toHaveLength(1);
    // allocFixedUs is read only inside a time op (the PAMT allocations' step).
    const { allocFixedUs: _, ...lacking } = p.costValues();
    const live = prepare(validatePlatform(getPreset('default')));
    expect(() => simulateSummary(live, { ...full, costs: lacking })).toThrow(/^cost parameter allocFixedUs is not defined$/);
    expect(() => simulateSummary(p, { ...full, costs: lacking })).toThrow(/^cost parameter allocFixedUs is not defined$/);
  });

  it('a policy that does not say it is replayable records nothing and always runs live', () => {
    const opaque: KernelPolicy = { ...getPolicy('mainline'), name: 'test-opaque', replayable: undefined };
    registerPolicy(opaque);
    const p = prepare(validatePlatform(getPreset('default')));
    for (let k = 0; k < 3; k++) simulateSummary(p, { policy: 'test-opaque', engine, costs: p.costValues({}), parameters: [] });
    expect(p.callTape(opaque)).toBeUndefined();
  });

  it('a platform that expects reruns (a sweep with cost axes) records on its first run', () => {
    const p = prepare(validatePlatform(getPreset('default')));
    p.expectsReruns = true;
    simulateSummary(p, { policy: 'mainline', engine, costs: p.costValues({}), parameters: [] });
    expect(p.callTape(getPolicy('mainline'))?.programs).toHaveLength(1);
  });

  it('rows whose time decisions differ (an overhead on and off) each get a program, and give live numbers', () => {
    const p = prepare(validatePlatform(getPreset('default')));
    p.expectsReruns = true;
    const opts = (fixedOverheadUs: number, lpInitUs: number) => ({ policy: 'mainline', engine, costs: p.costValues({ fixedOverheadUs, lpInitUs }), parameters: [] });
    for (const [overhead, lp] of [[0, 10], [5, 10], [0, 12], [5, 12], [0, 14], [5, 14]]) {
      const live = simulateSummary(prepare(validatePlatform(getPreset('default'))), opts(overhead, lp));
      expect(simulateSummary(p, opts(overhead, lp)), `overhead ${overhead}, lpInitUs ${lp}`).toEqual(live);
    }
    expect(p.callTape(getPolicy('mainline'))!.programs).toHaveLength(2);
  });

  it('a tape replays only to the policy that recorded it, not to another registered under its name', () => {
    const p = prepare(validatePlatform(getPreset('default')));
    for (let k = 0; k < 2; k++) simulateSummary(p, { policy: 'mainline', engine, costs: p.costValues({}), parameters: [] });
    const other: KernelPolicy = { ...getPolicy('mainline') };
    expect(p.callTape(getPolicy('mainline'))).toBeDefined();
    expect(p.callTape(other)).toBeUndefined();
  });
});

describe('a capacity sweep replays, row for row the numbers of rows run alone', () => {
  it('300 rows over 12 random machines × the three policies × random costs: no internal error, every row equal to a live run', async () => {
    const { readSweepSpec } = await import('../src/model/sweep/spec.js');
    const { SweepEvaluator, NUMS, STRS } = await import('../src/model/sweep/evaluate.js');
    const rand = rng(20261206);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const machines = Array.from({ length: 12 }, () => ({ sockets: pick([1, 2, 4]), memoryPerSocket: `${pick([16, 64, 100, 256, 1000, 2048])}G`, snc: pick([1, 2, 4]) }));
    const list = Array.from({ length: 300 }, () => {
      const costs = randomCosts(Object.fromEntries(['lpInitUs', 'tdmrInitCallUs', 'smpCallOnCpuUs', 'keyConfigUs', 'sysRdUs', 'configUs', 'cpuOnlineCallbackUs', 'ipiBroadcastUs', 'wbinvdUs'].map((n) => [n, 0])), rand);
      const set: Record<string, unknown> = { ...pick(machines) };
      for (const [k, v] of Object.entries(costs)) set[`costs.${k}`] = v;
      return { set, policy: pick(['mainline', 'parallel-tdmr', 'v7-2022']) };
    });
    const plan = readSweepSpec(JSON.stringify({ base: 'preset:default', list }), 'replay');
    const together = new SweepEvaluator(plan, engine).evaluate({ start: 0, count: plan.total, step: 1 });
    let validRows = 0;
    for (let i = 0; i < plan.total; i++) {
      const alone = new SweepEvaluator(plan, engine).evaluate({ start: i, count: 1, step: 1 });
      expect([...together.nums.subarray(i * NUMS, (i + 1) * NUMS)], `row ${i}`).toEqual([...alone.nums]);
      expect(together.strs.slice(i * STRS, (i + 1) * STRS), `row ${i}`).toEqual(alone.strs);
      if (together.strs[i * STRS] !== 'INVALID') validRows++;
    }
    // Most rows build a machine (a few random combinations are invalid, and say so).
    expect(validRows).toBeGreaterThan(200);
  });
});
