// Building sweep rows: what the builder shares between rows (the base validated once, caches
// sized to what the grid asks for again, rows evaluated in batches) never changes a row.
import { describe, it, expect, beforeAll } from 'vitest';
import { parseSpecText, parseSweepSpec, type SweepPlan } from '../src/model/sweep/spec.js';
import { SweepEvaluator, type ChunkRows } from '../src/model/sweep/evaluate.js';
import { loadEngine, type ConstructEngine } from '../src/kernels/engine.js';
import { validatePlatform } from '../src/platform/validate.js';
import { getPreset } from '../src/platform/presets.js';

const plan = (spec: unknown): SweepPlan => parseSweepSpec(parseSpecText(JSON.stringify(spec), 'spec'), 'spec', { readFile: () => '' });

let engine: ConstructEngine;
beforeAll(async () => {
  engine = await loadEngine('wasm');
});

/** Row i of a chunk: its numbers (NaN as null, for toEqual) and texts. */
function row(c: ChunkRows, i: number): unknown[] {
  const nums = Array.from(c.nums.subarray(i * 12, (i + 1) * 12), (x) => (Number.isNaN(x) ? null : x));
  return [...nums, ...c.strs.slice(i * 3, (i + 1) * 3)];
}

/** Every row evaluated in one range, and each row by a fresh evaluator of its own. */
function togetherAndAlone(p: SweepPlan): { together: unknown[][]; alone: unknown[][] } {
  const all = new SweepEvaluator(p, engine).evaluate({ start: 0, count: p.total, step: 1 });
  const together = Array.from({ length: p.total }, (_, i) => row(all, i));
  const alone = Array.from({ length: p.total }, (_, i) => row(new SweepEvaluator(p, engine).evaluate({ start: i, count: 1, step: 1 }), 0));
  return { together, alone };
}

describe('sweep rows built together', () => {
  it('a grid of new memory maps only (no row repeats a platform) gives each row as alone, INVALID rows included', () => {
    const p = plan({ base: 'preset:default', grid: { sockets: [1, 2, 4], memoryPerSocket: ['2G', '3G', '64G', '100G', '1T'], snc: [1, 2, 4] } });
    const { together, alone } = togetherAndAlone(p);
    expect(together).toEqual(alone);
    expect(together.filter((r) => r[13] === 'input').length).toBeGreaterThan(5);
    expect(together.filter((r) => r[0] === 1).length).toBeGreaterThan(5);
  });

  it('a grid whose platforms come back (cost and policy axes written first) gives each row as alone', () => {
    const p = plan({
      base: 'preset:default',
      grid: { 'costs.tdmrInitCallUs': [5, 9], policy: ['mainline', 'parallel-tdmr'], memoryPerSocket: ['64G', '256G'], snc: [1, 2], 'module.maxTdmrs': [3, 64] },
    });
    const { together, alone } = togetherAndAlone(p);
    expect(p.total).toBe(32);
    expect(together).toEqual(alone);
    // The same platform under the two TDMR.INIT costs: TDMR.INIT's time differs, the layout not.
    expect(together[0][5]).not.toEqual(together[16][5]);
    expect(together[0][1]).toEqual(together[16][1]);
  });

  it('rows that change the CPUs share only the CPU sections that are the same', () => {
    const p = plan({ base: 'preset:default', grid: { sockets: [1, 2], memoryPerSocket: ['64G', '96G'], smt: [true, false], coresPerSocket: [4, 8], 'cpus.offline': ['smt', [1, 2]] } });
    const { together, alone } = togetherAndAlone(p);
    expect(together).toEqual(alone);
    // LP counts: sockets × cores × threads, whatever the rows before.
    expect(new Set(together.map((r) => r[10])).size).toBe(4);
  });

  it('more rows than one batch give each row as alone', () => {
    const p = plan({ base: 'preset:default', grid: { sockets: [1, 2], memoryPerSocket: Array.from({ length: 50 }, (_, i) => `${64 + 8 * i}G`) } });
    const { together, alone } = togetherAndAlone(p);
    expect(p.total).toBe(100);
    expect(together).toEqual(alone);
  });

  it('one evaluator asked for shards, single rows out of order and the rows again in order gives each row as alone', () => {
    const p = plan({ base: 'preset:default', grid: { snc: [1, 2], policy: ['mainline', 'parallel-tdmr'], 'costs.lpInitUs': [15, 20, 25], 'costs.tdmrInitCallUs': [5, 7.5, 9] } });
    const { alone } = togetherAndAlone(p);
    const ev = new SweepEvaluator(p, engine);
    const shard = ev.evaluate({ start: 1, count: Math.floor(p.total / 3), step: 3 });
    for (let k = 0; k < shard.count; k++) expect(row(shard, k)).toEqual(alone[1 + 3 * k]);
    for (const i of [17, 3, 4, 35, 0, 1, 2, 18]) expect(row(ev.evaluate({ start: i, count: 1, step: 1 }), 0)).toEqual(alone[i]);
    const all = ev.evaluate({ start: 0, count: p.total, step: 1 });
    expect(Array.from({ length: p.total }, (_, i) => row(all, i))).toEqual(alone);
  });

  it('rows evaluated into a caller\'s chunk (a longer one from before) are the rows evaluated afresh', () => {
    const p = plan({ base: 'preset:default', grid: { snc: [1, 2], policy: ['mainline', 'parallel-tdmr'], 'costs.tdmrInitCallUs': [5, 7.5, 9, 11] } });
    const { alone } = togetherAndAlone(p);
    const ev = new SweepEvaluator(p, engine);
    const chunk = ev.evaluate({ start: 0, count: p.total, step: 1 });
    const again = ev.evaluate({ start: 5, count: 5, step: 2 }, chunk);
    expect(again).toBe(chunk);
    expect(again.count).toBe(5);
    for (let k = 0; k < 5; k++) expect(row(again, k)).toEqual(alone[5 + 2 * k]);
  });

  it('a set value that does not validate with the base makes its rows INVALID with validation\'s message', () => {
    // The spec refuses such a value; a plan made another way still gets the document's error.
    const p = plan({ base: 'preset:default', grid: { memoryPerSocket: ['64G', '128G'], 'module.maxTdmrs': [1, 64] } });
    p.axes[1].values = [0, 64];
    const rows = new SweepEvaluator(p, engine).evaluate({ start: 0, count: p.total, step: 1 });
    const base = getPreset('default') as unknown as Record<string, unknown>;
    let want = '';
    try {
      validatePlatform({ ...base, module: { ...(base.module as object), maxTdmrs: 0 } });
    } catch (e) {
      want = (e as Error).message;
    }
    expect(want).toMatch(/^module\.maxTdmrs: /);
    expect([row(rows, 0).slice(12), row(rows, 2).slice(12)]).toEqual([['INVALID', 'input', want], ['INVALID', 'input', want]]);
    expect(row(rows, 1)[0]).toBe(1);
    expect(row(rows, 3)[0]).toBe(1);
  });
});
