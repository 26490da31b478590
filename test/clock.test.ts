// The clock a run's time arithmetic goes through, and the time program it records
// (src/model/clock.ts). The programs of whole runs are held to live runs in test/replay.test.ts.

import { describe, it, expect } from 'vitest';
import { Clock, type TimeOp } from '../src/model/clock.js';
import { getPreset } from '../src/platform/presets.js';
import { validatePlatform } from '../src/platform/validate.js';
import { prepare } from '../src/model/prepared.js';
import { simulate, simulateSummary } from '../src/model/simulate.js';
import { getPolicy, registerPolicy } from '../src/model/policies/registry.js';
import { LEAF } from '../src/model/module/leaves.js';
import type { SeamcallPort } from '../src/model/replay.js';
import { loadEngine } from '../src/kernels/engine.js';
import { rng } from './helpers/randomPlatform.js';

const engine = await loadEngine('wasm');

/** Records ops run one after another on a fresh clock under `costs`. */
function record(costs: Record<string, number>, ops: TimeOp[]): Clock {
  const c = new Clock(costs);
  c.startRecording();
  for (const op of ops) c.run(op);
  return c;
}

describe('a time program', () => {
  const ops: TimeOp[] = [
    (c) => {
      c.advance('A', c.costs.a);
    },
    (c) => {
      if (c.decide(c.costs.b > 1 ? 1 : 0)) c.advance('B', c.costs.b);
    },
    (c) => {
      c.advance('C', c.costs.a * 3);
    },
  ];

  it('gives the times the ops give under other costs, step by step', () => {
    const program = record({ a: 1, b: 2 }, ops).recordedProgram()!;
    const live = record({ a: 0.1, b: 5 }, ops);
    const replayed = new Clock({});
    expect(program.run(replayed, { a: 0.1, b: 5 })).toBe(true);
    expect(replayed.now).toBe(live.now);
    expect(replayed.spanEnds.slice(0, replayed.spanCount)).toEqual(live.spanEnds.slice(0, live.spanCount));
    expect(replayed.spanSteps.slice(0, replayed.spanCount)).toEqual(['A', 'B', 'C']);
  });

  it('does not hold where a decision comes out otherwise', () => {
    const program = record({ a: 1, b: 2 }, ops).recordedProgram()!;
    expect(program.run(new Clock({}), { a: 1, b: 0.5 })).toBe(false);
  });

  it('hands the live step what an op left in out, and 0 from an op that left nothing', () => {
    const c = new Clock({ a: 1.5 });
    expect(c.run((k) => {
      k.out = k.advance('A', k.costs.a);
    })).toBe(0);
    expect(c.run((k) => {
      k.out = k.advance('B', k.costs.a);
    })).toBe(1.5);
    expect(c.run((k) => {
      k.advance('C', k.costs.a);
    })).toBe(0);
  });

  it('is not kept when time moved outside an op', () => {
    const c = record({ a: 1, b: 2 }, ops);
    c.opaque = true;
    expect(c.recordedProgram()).toBeNull();
  });

  it('runs again on the same clock from time 0', () => {
    const program = record({ a: 1, b: 2 }, ops).recordedProgram()!;
    const clock = new Clock({});
    program.run(clock, { a: 2, b: 3 });
    const first = clock.now;
    program.run(clock, { a: 2, b: 3 });
    expect(clock.now).toBe(first);
    expect(clock.spanCount).toBe(3);
  });
});

describe('an LP.INIT series one after another', () => {
  // The loop the kernel's CPU-online callbacks make, written out: each start after the previous
  // call and, but for the first, after its own callback overhead.
  const loop = (from: number, gap: number, per: number, n: number): { starts: number[]; end: number } => {
    const starts: number[] = [];
    let t = from;
    for (let i = 0; i < n; i++) {
      if (i > 0) t += gap;
      starts.push(t);
      t += per;
    }
    return { starts, end: t };
  };

  it('gives the loop\'s starts and end bit for bit, whether it is made again or kept from a longer or equal series', () => {
    const rand = rng(7);
    const c = new Clock({});
    const values = [0, 0.1, 0.3, 1, 1.7, 22.2, 1e-9];
    for (let k = 0; k < 400; k++) {
      c.now = values[Math.floor(rand() * values.length)] * 1000;
      const gap = values[Math.floor(rand() * values.length)];
      const per = values[Math.floor(rand() * values.length)];
      const n = 1 + Math.floor(rand() * 300);
      const want = loop(c.now, gap, per, n);
      expect(c.serial(n, gap, per)).toBe(want.end);
      expect(c.series.starts.slice(0, n)).toEqual(want.starts);
    }
  });

  it('is made again after the scratch was used for another series', () => {
    const c = new Clock({});
    c.serial(8, 1, 2);
    c.series.all(8, 99);
    expect(c.serial(8, 1, 2)).toBe(loop(0, 1, 2, 8).end);
    expect(c.series.starts[3]).toBe(loop(0, 1, 2, 8).starts[3]);
  });
});

describe('what a run records', () => {
  it('three tdx_enable() callers: a caller that waits under one setting and not under another is a decision the program checks', () => {
    const doc = structuredClone(getPreset('default')) as any;
    doc.kernel = { ...doc.kernel, callers: [{ at: 0 }, { at: 2e6 }] };
    const p = prepare(validatePlatform(doc));
    const opts = { policy: 'mainline', engine, costs: p.costValues({}), parameters: [] };
    simulateSummary(p, opts);
    simulateSummary(p, opts);
    const tape = p.callTape(getPolicy('mainline'))!;
    // A second caller at 2 s waits for an initialization that ends later than that only when
    // TDMR.INIT is slow.
    const slow = p.costValues({ tdmrInitCallUs: 500 });
    const fast = p.costValues({ tdmrInitCallUs: 1 });
    const clock = new Clock({});
    expect(tape.programs[0].run(clock, opts.costs)).toBe(true);
    expect(tape.programs[0].run(clock, fast)).toBe(true);
    expect(tape.programs[0].run(clock, slow)).toBe(false);
    for (const costs of [fast, slow]) {
      const live = simulateSummary(prepare(validatePlatform(doc)), { ...opts, costs });
      expect(simulateSummary(p, { ...opts, costs })).toEqual(live);
    }
  });
});

describe('a step of calls one after another (metadata reads, KEY.CONFIG per package)', () => {
  /** Mainline on a module whose k-th call of `leaf` (from 0) is refused. */
  function refusing(name: string, leaf: number, k: number): string {
    const base = getPolicy('mainline');
    registerPolicy({
      ...base,
      name,
      initialize(sim) {
        const m = sim.module;
        let seen = 0;
        const port: SeamcallPort = {
          call: (l, lp, args, t0, t1) => (l === leaf && seen++ === k ? { status: 0xc000050700000000n, name: 'REFUSED' } : m.call(l, lp, args, t0, t1)),
          lpInitBulk: (lps, starts, per) => m.lpInitBulk(lps, starts, per),
          tdmrInitBulk: (lp, b, max, t0, per) => m.tdmrInitBulk(lp, b, max, t0, per),
          chunkBytes: () => m.chunkBytes(),
        };
        Object.defineProperty(sim, 'module', { value: port });
        base.initialize(sim);
      },
    });
    return name;
  }
  const p = prepare(validatePlatform(getPreset('4s-spr-1t')));
  const costs = { ...p.costValues(), sysRdUs: 1.7, smpCallOnCpuUs: 13.3, keyConfigUs: 41.1 };
  const run = (policy: string) => simulate(p, { policy, engine, costs, parameters: [], trace: true }).result;

  it('a refused call ends the step at its own end: each call starts where the one before ended', () => {
    const rd = run(refusing('test-rd-refused-4th', LEAF.SYS_RD, 3));
    expect(rd.outcome.error?.step).toBe('metadata');
    expect(rd.trace!.filter((t) => t.leaf === 'TDH.SYS.RD')).toHaveLength(4);
    expect(rd.timeline.find((s) => s.step === 'TDH.SYS.RD')!.durationUs).toBeCloseTo(4 * 1.7, 3);

    const kc = run(refusing('test-kc-refused-2nd', LEAF.SYS_KEY_CONFIG, 1));
    const calls = kc.trace!.filter((t) => t.leaf === 'TDH.SYS.KEY.CONFIG');
    const step = kc.timeline.find((s) => s.step === 'TDH.SYS.KEY.CONFIG')!;
    expect(calls).toHaveLength(2);
    expect(calls[0].startUs).toBeCloseTo(step.startUs + 13.3, 2);
    expect(calls[1].startUs).toBeCloseTo(calls[0].endUs + 13.3, 2);
    expect(step.endUs).toBeCloseTo(calls[1].endUs, 2);
    expect(step.detail).toBe('failed on package 1');
  });

  it('all calls made: the step ends at the last one\'s end', () => {
    const r = run('mainline');
    const calls = r.trace!.filter((t) => t.leaf === 'TDH.SYS.KEY.CONFIG');
    expect(calls).toHaveLength(4);
    expect(r.timeline.find((s) => s.step === 'TDH.SYS.KEY.CONFIG')!.endUs).toBeCloseTo(calls[3].endUs, 2);
    expect(r.timeline.find((s) => s.step === 'TDH.SYS.RD')!.durationUs).toBeCloseTo(r.trace!.filter((t) => t.leaf === 'TDH.SYS.RD').length * 1.7, 3);
  });
});
