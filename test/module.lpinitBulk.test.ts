// TdxModule.lpInitBulk must be indistinguishable from issuing TDH.SYS.LP.INIT one call at a time:
// same statuses in the same order, the same stop, and the same module afterwards (counts, locks,
// busy LPs), on random platforms with bad LPs, repeats, overlaps and unready modules.

import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, type ModuleConfig } from '../src/model/module/index.js';
import { baseConfig } from './module.fixture.js';
import { rng } from './helpers/randomPlatform.js';

interface Case {
  cfg: ModuleConfig;
  /** Calls before the series: SYS.INIT or not, maybe an exclusive holder still open. */
  prelude: { leaf: number; lp: number; t0: number; t1: number }[];
  lps: number[];
  starts: number[];
  per: number;
}

function randomCase(r: () => number): Case {
  const n = 1 + Math.floor(r() * 24);
  // Half the tables have ids equal to positions (what platforms built from counts have), and
  // bad LPs rarely, so that the plain-success path is taken and then left mid-series.
  const dense = r() < 0.5;
  const bad = dense ? 0.01 : 0.05;
  const lps = Array.from({ length: n }, (_, i) => ({
    id: dense ? i : i * 3 + Math.floor(r() * 3),
    package: r() < bad ? 8 + Math.floor(r() * 3) : Math.floor(r() * 4),
    ...(r() < bad ? { msrOk: false } : {}),
    ...(r() < bad ? { cpuidOk: false } : {}),
  }));
  const cfg = baseConfig({ lps, loaded: r() > 0.03, version: r() < 0.2 ? '1.0.03.03' : '1.5.06.00' });
  const prelude: Case['prelude'] = [];
  let t = 0;
  if (r() > 0.1) {
    // SYS.INIT, sometimes long enough to still hold the global lock when the series starts.
    const dur = r() < 0.2 ? 50 : 1;
    prelude.push({ leaf: LEAF.SYS_INIT, lp: lps[0].id, t0: 0, t1: dur });
    t = r() < 0.5 ? dur : 2;
  }
  // The series: LP ids from the table, sometimes repeated; serial, broadcast or overlapping.
  const ids = Array.from({ length: 1 + Math.floor(r() * n * 1.2) }, (_, k) => (r() < 0.1 ? lps[Math.floor(r() * n)].id : lps[k % n].id));
  const per = r() < 0.1 ? 0 : 0.5 + r() * 30;
  const mode = r();
  const starts: number[] = [];
  for (let k = 0; k < ids.length; k++) {
    starts.push(t);
    if (mode < 0.4) t += per + r() * 10; // serial, gaps
    else if (mode < 0.6) t += 0; // broadcast
    else t += r() * per; // overlapping
  }
  return { cfg, prelude, lps: ids, starts, per };
}

/** The module's observable state after a run, and the status of every call issued. */
function oneByOne(c: Case): { statuses: bigint[]; after: unknown; thrown: string | null } {
  const m = new TdxModule(c.cfg);
  for (const p of c.prelude) m.call(p.leaf, p.lp, {}, p.t0, p.t1);
  const statuses: bigint[] = [];
  let thrown: string | null = null;
  try {
    for (let k = 0; k < c.lps.length; k++) {
      const s = m.call(LEAF.SYS_LP_INIT, c.lps[k], {}, c.starts[k], c.starts[k] + c.per).status;
      statuses.push(s);
      if (s !== STATUS.TDX_SUCCESS) break;
    }
  } catch (e) {
    // A broken caller contract throws; what the calls before it returned is then moot.
    thrown = (e as Error).message;
    statuses.length = 0;
  }
  return { statuses, after: observe(m, c), thrown };
}

function inBulk(c: Case): { statuses: bigint[]; after: unknown; thrown: string | null } {
  const m = new TdxModule(c.cfg);
  for (const p of c.prelude) m.call(p.leaf, p.lp, {}, p.t0, p.t1);
  let statuses: bigint[] = [];
  let thrown: string | null = null;
  try {
    const r = m.lpInitBulk(c.lps, c.starts, c.per);
    statuses = [...Array.from({ length: r.succeeded }, () => STATUS.TDX_SUCCESS), ...(r.failure ? [r.failure.status] : [])];
  } catch (e) {
    thrown = (e as Error).message;
  }
  return { statuses, after: observe(m, c), thrown };
}

/** What later calls can see: counts, state, and how a probe at the series' end is answered. */
function observe(m: TdxModule, c: Case): unknown {
  const last = c.starts.length ? c.starts[c.starts.length - 1] : 0;
  const probeAt = last + c.per / 2;
  const out: unknown[] = [m.state, m.initLps];
  // An exclusive request half-way through the last call sees the shared holders.
  try {
    out.push(m.call(LEAF.SYS_KEY_CONFIG, c.cfg.lps[c.cfg.lps.length - 1].id, {}, probeAt, probeAt + 1).status);
  } catch (e) {
    out.push((e as Error).message);
  }
  return out;
}

describe('TdxModule.lpInitBulk', () => {
  it('equals one-by-one TDH.SYS.LP.INIT on 4,000 random series', () => {
    const r = rng(20261122);
    let failures = 0;
    let throws = 0;
    let plainThenFailed = 0;
    let plainAll = 0;
    for (let i = 0; i < 4000; i++) {
      const c = randomCase(r);
      const a = oneByOne(c);
      const b = inBulk(c);
      expect(b, `case ${i}`).toEqual(a);
      if (a.statuses.some((s) => s !== STATUS.TDX_SUCCESS)) failures++;
      if (a.thrown) throws++;
      const plain = c.cfg.lps.every((l, k) => l.id === k && l.msrOk !== false && l.cpuidOk !== false && l.package < 8);
      if (plain && a.statuses.length > 1 && a.statuses.at(-1) !== STATUS.TDX_SUCCESS) plainThenFailed++;
      if (plain && !a.thrown && a.statuses.length === c.lps.length && a.statuses.every((s) => s === STATUS.TDX_SUCCESS)) plainAll++;
    }
    // The generator must reach the interesting paths, or the comparison proves little.
    expect(failures).toBeGreaterThan(500);
    expect(throws).toBeGreaterThan(50);
    expect(plainThenFailed).toBeGreaterThan(100);
    expect(plainAll).toBeGreaterThan(100);
  });

  it('a whole platform in one call: every LP counted, CONFIG then sees all of them', () => {
    const m = new TdxModule(baseConfig());
    m.call(LEAF.SYS_INIT, 0, {}, 0, 1);
    const r = m.lpInitBulk([0, 1, 2, 3], [1, 2, 3, 4], 1);
    expect(r).toEqual({ succeeded: 4, failure: null });
    expect(m.initLps).toBe(4);
  });

  it('stops at the first failure: later LPs are not initialized', () => {
    const cfg = baseConfig();
    cfg.lps[1] = { id: 1, package: 0, msrOk: false };
    const m = new TdxModule(cfg);
    m.call(LEAF.SYS_INIT, 0, {}, 0, 1);
    const r = m.lpInitBulk([0, 1, 2, 3], [1, 2, 3, 4], 1);
    expect(r.succeeded).toBe(1);
    expect(r.failure?.name).toBe('TDX_INCONSISTENT_MSR');
    expect(m.initLps).toBe(1);
  });
});
