// Sweep row text is made from pieces prepared once per plan; it must be exactly the text of the
// plain definition: a CSV record of the row's cells, and JSON.stringify of one object per row
// with the columns in the header's order. Compared on random rows, numbers and awkward names.
import { describe, expect, it } from 'vitest';
import { formatRows, header } from '../src/model/sweep/output.js';
import { NUMS, STRS, type ChunkRows } from '../src/model/sweep/evaluate.js';
import { rowValues, type SweepPlan } from '../src/model/sweep/spec.js';
import { csvCell, csvRecord, csvText } from '../src/util/csv.js';

// The definition, one row at a time.
function csvOracle(plan: SweepPlan, rows: ChunkRows, first: number, step: number): string {
  const cols = header(plan);
  let out = '';
  for (let i = 0; i < rows.count; i++) {
    const index = first + i * step;
    const values = rowValues(plan, index);
    const cells: string[] = [String(index)];
    for (let a = 0; a < plan.axes.length; a++) {
      const v = values[a];
      cells.push(v === undefined ? '' : typeof v === 'string' ? csvText(v) : typeof v === 'object' ? csvText(JSON.stringify(v)) : csvCell(v as number));
    }
    const byName = rowObject(plan, rows, i, index);
    for (const c of cols.slice(1 + plan.axes.length)) {
      const v = byName[c];
      cells.push(typeof v === 'number' ? csvCell(v) : typeof v === 'boolean' ? String(v) : csvCell((v as string | null) ?? ''));
    }
    out += cells.join(',') + '\n';
  }
  return out;
}

function rowObject(plan: SweepPlan, rows: ChunkRows, i: number, index: number): Record<string, unknown> {
  const n = i * NUMS;
  const t = i * STRS;
  const values = rowValues(plan, index);
  const names = ['initialized', 'tdmrs', 'reservedAreas', 'pamtKb', 'totalUs', 'tdmrInitUs', 'readyP50Us', 'readyP100Us', 'floorUs', 'totalMemoryGiB', 'lpCount', 'socketCount'];
  const num = (k: number): number | null => (Number.isNaN(rows.nums[n + k]) ? null : rows.nums[n + k]);
  const o: Record<string, unknown> = { index };
  for (let a = 0; a < plan.axes.length; a++) o[plan.axes[a].name] = values[a] === undefined ? null : values[a];
  for (let k = 9; k < 12; k++) o[names[k]] = num(k);
  o.initialized = rows.nums[n] === 1;
  o.error = rows.strs[t] || null;
  o.step = rows.strs[t + 1] || null;
  for (let k = 1; k < 9; k++) o[names[k]] = num(k);
  o.message = rows.strs[t + 2] || null;
  return o;
}

const jsonOracle = (plan: SweepPlan, rows: ChunkRows, first: number, step: number): string =>
  Array.from({ length: rows.count }, (_, i) => JSON.stringify(rowObject(plan, rows, i, first + i * step)) + '\n').join('');

// A seeded generator, so a failure replays.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const NUMBERS = [0, -0, 1, 2.5, 1e21, 1e-7, -3, NaN, Infinity, -Infinity, 123456.789, 0.1 + 0.2];
const TEXTS = ['', '', '', 'ENOSPC', 'TDMR.INIT', 'a, "quoted" message', '=cmd', '-5', 'line\nbreak', 'µs ✓'];

function randomRows(r: () => number, count: number): ChunkRows {
  const nums = new Float64Array(count * NUMS);
  for (let k = 0; k < nums.length; k++) nums[k] = k % NUMS === 0 ? (r() < 0.8 ? 1 : 0) : NUMBERS[Math.floor(r() * NUMBERS.length)];
  const strs = Array.from({ length: count * STRS }, () => TEXTS[Math.floor(r() * TEXTS.length)]);
  return { count, nums, strs };
}

const gridPlan = (axes: { name: string; values: unknown[] }[]): SweepPlan => {
  const total = axes.reduce((t, a) => t * a.values.length, 1);
  return { mode: 'grid', axes, entries: [], total } as unknown as SweepPlan;
};
const AXES = [
  { name: 'sockets', values: [1, 2, 4] },
  { name: 'memoryPerSocket', values: ['128G', '=1T', 'a,b'] },
  { name: 'policy', values: ['mainline', 'parallel-tdmr'] },
  { name: 'costs.lpInitUs', values: [15, 2.5e-7, true, { x: 1 }, null] },
];

describe('sweep row text', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    const oracle = format === 'csv' ? csvOracle : jsonOracle;
    it(`${format}: a grid's rows, whatever the chunk's first row and step`, () => {
      const r = rng(1);
      const plan = gridPlan(AXES);
      for (let trial = 0; trial < 50; trial++) {
        const step = 1 + Math.floor(r() * 7);
        const first = Math.floor(r() * plan.total);
        const count = Math.max(1, Math.floor((plan.total - first) / step));
        const rows = randomRows(r, count);
        expect(formatRows(plan, format, rows, first, step)).toBe(oracle(plan, rows, first, step));
      }
    });

    it(`${format}: a list's rows, with unset axes`, () => {
      const r = rng(2);
      const entries = Array.from({ length: 40 }, () => {
        const e: unknown[] = new Array(3);
        for (let a = 0; a < 3; a++) if (r() < 0.6) e[a] = [1, 'x,y', 2.5, false][Math.floor(r() * 4)];
        return e;
      });
      const plan = { mode: 'list', axes: [{ name: 'name', values: [] }, { name: 'sockets', values: [] }, { name: 'module.maxTdmrs', values: [] }], entries, total: entries.length } as unknown as SweepPlan;
      const rows = randomRows(r, entries.length);
      expect(formatRows(plan, format, rows, 0, 1)).toBe(oracle(plan, rows, 0, 1));
    });

    it(`${format}: axis names JSON would reorder ("7") or merge (a result column's name)`, () => {
      const r = rng(3);
      for (const name of ['7', 'tdmrs', 'index']) {
        const plan = gridPlan([{ name: 'sockets', values: [1, 2] }, { name, values: [3, 'z'] }]);
        const rows = randomRows(r, 4);
        expect(formatRows(plan, format, rows, 0, 1)).toBe(oracle(plan, rows, 0, 1));
      }
    });
  }
});
