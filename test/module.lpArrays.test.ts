// Modules built on one LP table share its per-LP arrays, one module at a time (LpArrays in
// module.ts): a module whose arrays a newer module took must still answer every call exactly as
// a module with arrays of its own would, whatever it had done before and does after.

import { describe, expect, it } from 'vitest';
import { LEAF, TdxModule, moduleTables, type ModuleConfig, type ModuleTables } from '../src/model/module/index.js';
import { baseConfig } from './module.fixture.js';
import { rng } from './helpers/randomPlatform.js';

const LEAVES = [LEAF.SYS_INIT, LEAF.SYS_LP_INIT, LEAF.SYS_LP_INIT, LEAF.SYS_KEY_CONFIG, LEAF.SYS_SHUTDOWN, LEAF.SYS_RD, LEAF.SYS_LP_SHUTDOWN];

interface Step {
  /** -1: an LP.INIT series over `lps`; else one call of this leaf on lps[0]. */
  leaf: number;
  lps: number[];
  starts: number[];
  dur: number;
}

function randomConfig(r: () => number): ModuleConfig {
  const n = 1 + Math.floor(r() * 12);
  const lps = Array.from({ length: n }, (_, i) => ({ id: i, package: Math.floor(r() * 3), ...(r() < 0.03 ? { msrOk: false } : {}) }));
  return baseConfig({ lps, version: r() < 0.3 ? '1.0.03.03' : '1.5.06.00' });
}

/** Calls mostly in nondecreasing t0 order, sometimes overlapping or going back (a broken caller contract throws). */
function randomSteps(r: () => number, cfg: ModuleConfig, count: number): Step[] {
  const n = cfg.lps.length;
  const steps: Step[] = [];
  let t = 0;
  for (let s = 0; s < count; s++) {
    const dur = r() < 0.1 ? 0 : 1 + Math.floor(r() * 20);
    t += r() < 0.1 ? -5 : Math.floor(r() * 15);
    if (r() < 0.25) {
      const lps = Array.from({ length: 1 + Math.floor(r() * n) }, (_, k) => (r() < 0.1 ? Math.floor(r() * n) : k % n));
      const starts = lps.map(() => (t += r() < 0.5 ? dur : Math.floor(r() * dur)));
      steps.push({ leaf: -1, lps, starts, dur });
    } else {
      steps.push({ leaf: LEAVES[Math.floor(r() * LEAVES.length)], lps: [Math.floor(r() * n)], starts: [t], dur });
    }
  }
  return steps;
}

/** What a step answers (statuses, or the thrown message), and the module's counters after it. */
function run(m: TdxModule, s: Step): unknown {
  try {
    const answer =
      s.leaf < 0
        ? m.lpInitBulk(s.lps, s.starts, s.dur)
        : m.call(s.leaf, s.lps[0], s.leaf === LEAF.SYS_RD ? { field: 0x9100000100000008n } : {}, s.starts[0], s.starts[0] + s.dur);
    return [answer, m.state, m.initLps, m.configuredPkgs];
  } catch (e) {
    return (e as Error).message;
  }
}

describe('per-LP arrays lent between modules of one LP table', () => {
  it('a module answers the same before and after a newer module took its arrays (2,000 random call sequences)', () => {
    const r = rng(20261206);
    let evictions = 0;
    let throws = 0;
    for (let c = 0; c < 2000; c++) {
      const cfg = randomConfig(r);
      const shared: ModuleTables = moduleTables(cfg);
      const a = new TdxModule(cfg, shared);
      const own = new TdxModule(cfg);
      // Some runs are long enough for the module to prune its list of LPs still busy (LATE_ROOM).
      const steps = randomSteps(r, cfg, r() < 0.1 ? 150 : 12);
      for (const [k, s] of steps.entries()) {
        const want = run(own, s);
        expect(run(a, s), `case ${c} step ${k}`).toEqual(want);
        if (typeof want === 'string') throws++;
        if (r() < 0.3) {
          // Another module on the same table takes the arrays and works in them.
          const b = new TdxModule(cfg, shared);
          for (const t of randomSteps(r, cfg, 3)) run(b, t);
          evictions++;
        }
      }
    }
    // The sequences must reach evictions mid-run and broken contracts, or the comparison proves little.
    expect(evictions).toBeGreaterThan(5000);
    expect(throws).toBeGreaterThan(1000);
  });

  it('a long run keeps every LP still busy when it is evicted (the list of busy LPs is pruned along the way)', () => {
    const cfg = baseConfig();
    const rd = { field: 0x9100000100000008n };
    for (let callAt = 40; callAt <= 140; callAt++) {
      for (let evictAt = callAt; evictAt <= callAt + 3; evictAt++) {
        const shared = moduleTables(cfg);
        const a = new TdxModule(cfg, shared);
        const own = new TdxModule(cfg);
        for (const m of [a, own]) {
          // LPs 0 and 2 take turns (one entry each call in the list); LP 1 once, 2.9 µs long.
          for (let t = 0; t <= evictAt; t++) {
            m.call(LEAF.SYS_RD, 2 * (t % 2), rd, t, t + 1);
            if (t === callAt) m.call(LEAF.SYS_RD, 1, rd, t, t + 2.9);
          }
        }
        new TdxModule(cfg, shared);
        const probe = (m: TdxModule) => run(m, { leaf: LEAF.SYS_RD, lps: [1], starts: [evictAt + 0.5], dur: 1 });
        expect(probe(a), `LP 1 at ${callAt}, evicted at ${evictAt}`).toEqual(probe(own));
      }
    }
  });

  it('a newer module starts from fresh arrays: no LP initialized, none busy', () => {
    const cfg = baseConfig();
    const shared = moduleTables(cfg);
    const a = new TdxModule(cfg, shared);
    a.call(LEAF.SYS_INIT, 0, {}, 0, 1);
    expect(a.lpInitBulk([0, 1, 2, 3], [1, 2, 3, 4], 100).succeeded).toBe(4);
    const b = new TdxModule(cfg, shared);
    b.call(LEAF.SYS_INIT, 0, {}, 0, 1);
    expect(b.lpInitBulk([0, 1, 2, 3], [1, 2, 3, 4], 1)).toEqual({ succeeded: 4, failure: null });
    // a's LP 3 is still busy until 104 and initialized.
    expect(() => a.call(LEAF.SYS_LP_INIT, 3, {}, 50, 51)).toThrow(/while its previous one runs until 104/);
    expect(a.call(LEAF.SYS_LP_INIT, 3, {}, 104, 105).name).toBe('TDX_SYS_LP_INIT_DONE');
  });
});
