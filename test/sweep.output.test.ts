// Sweep output for people and scripts: JSON Lines shards of two sweeps are refused by --merge,
// and --format html is one self-contained page with a plot per axis (one series per policy)
// and the table of rows.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { parseSpecText, parseSweepSpec } from '../src/model/sweep/spec.js';
import { sweepText } from '../src/workers/sweepRun.js';
import { mergeShards } from '../src/model/sweep/output.js';
import { sweepHtml } from '../src/report/html/sweepHtml.js';
import { CSP } from '../src/report/html/page.js';
import { esc } from '../src/report/html/escape.js';

const plan = (spec: unknown) => parseSweepSpec(parseSpecText(JSON.stringify(spec), 'spec.json'), 'spec.json', { readFile: () => '' });
const A = { base: 'preset:default', grid: { sockets: [1, 2], policy: ['mainline', 'parallel-tdmr'] } };
const B = { base: 'preset:default', grid: { snc: [1, 2], policy: ['mainline', 'parallel-tdmr'] } };

describe('sweep --merge of JSON Lines', () => {
  it('shards of one sweep merge back to the unsharded bytes', async () => {
    const whole = await sweepText(plan(A), { format: 'jsonl', workers: 1 });
    const s1 = await sweepText(plan(A), { format: 'jsonl', workers: 1, shard: { k: 1, n: 2 } });
    const s2 = await sweepText(plan(A), { format: 'jsonl', workers: 1, shard: { k: 2, n: 2 } });
    expect(mergeShards([{ name: 's2', text: s2 }, { name: 's1', text: s1 }])).toBe(whole);
  });

  it('shards of two different sweeps are refused with one line naming the file', async () => {
    const a = await sweepText(plan(A), { format: 'jsonl', workers: 1, shard: { k: 1, n: 2 } });
    const b = await sweepText(plan(B), { format: 'jsonl', workers: 1, shard: { k: 2, n: 2 } });
    expect(() => mergeShards([{ name: 'a.jsonl', text: a }, { name: 'b.jsonl', text: b }])).toThrow(/^b\.jsonl:1: its columns differ from a\.jsonl's: not shards of one sweep$/);
  });

  it('a list sweep writes every axis in every row (null where unset), so its shards merge', async () => {
    const p = plan({ base: 'preset:default', list: [{ name: 'x' }, { name: 'y', set: { 'module.maxTdmrs': 8 } }] });
    const rows = (await sweepText(p, { format: 'jsonl', workers: 1 })).trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(rows[0])).toEqual(Object.keys(rows[1]));
    expect(rows[0]['module.maxTdmrs']).toBeNull();
    const s1 = await sweepText(p, { format: 'jsonl', workers: 1, shard: { k: 1, n: 2 } });
    const s2 = await sweepText(p, { format: 'jsonl', workers: 1, shard: { k: 2, n: 2 } });
    expect(mergeShards([{ name: 's1', text: s1 }, { name: 's2', text: s2 }])).toBe(await sweepText(p, { format: 'jsonl', workers: 1 }));
  });
});

describe('sweep --format html', () => {
  const spec = { base: 'preset:default', grid: { memoryPerSocket: ['128G', '512G'], snc: [1, 2], policy: ['mainline', 'parallel-tdmr'], 'module.maxTdmrs': [4, 64] } };

  it('one plot per non-policy axis, one series per policy, and the rows', async () => {
    const p = plan(spec);
    const rows = (await sweepText(p, { format: 'jsonl', workers: 1 })).trim().split('\n').map((l) => JSON.parse(l));
    const doc = sweepHtml(p, rows, 'time');
    expect(doc.match(/<svg /g)).toHaveLength(3);
    for (const axis of ['memoryPerSocket', 'snc', 'module.maxTdmrs']) expect(doc).toContain(`modeled initialization time against ${axis}`);
    // A legend entry per policy on every plot.
    expect(doc.match(/class="key"/g)).toHaveLength(3 * 2);
    // The rows: every index in the table.
    expect(doc.match(/<tr>/g)!.length).toBe(rows.length + 1);
    expect(doc).toContain(`content="${esc(CSP)}"`);
    expect(doc).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('the median per point is computed from the rows that initialized', async () => {
    const p = plan({ base: 'preset:default', grid: { 'costs.tdmrInitCallUs': [7, 8, 12] } });
    const rows = (await sweepText(p, { format: 'jsonl', workers: 1 })).trim().split('\n').map((l) => JSON.parse(l));
    const doc = sweepHtml(p, rows, 'tdmrs');
    // One axis, one point per value, each over one row.
    expect(doc.match(/over 1 row\(s\)/g)).toHaveLength(3);
  });

  it('the command writes the page and refuses --metric without html and html with --shard', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdxmodel-sweep-html-'));
    const f = join(dir, 'spec.json');
    writeFileSync(f, JSON.stringify(spec));
    const out = join(dir, 'sweep.html');
    const r = runCli(['sweep', f, '--format', 'html', '--metric', 'pamt', '--workers', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('PAMT memory against snc');
    expect(r.stderr).toMatch(/sweep: 16 rows/);
    expect(runCli(['sweep', f, '--metric', 'pamt']).code).toBe(2);
    expect(runCli(['sweep', f, '--format', 'html', '--shard', '1/2']).code).toBe(2);
    expect(runCli(['sweep', f, '--format', 'html', '--metric', 'speed']).code).toBe(2);
  }, 60_000);
});

describe('row text', () => {
  it('a number repeated from the row before is written as it would be alone (CSV and JSON Lines)', async () => {
    const { RowText } = await import('../src/model/sweep/output.js');
    const { NUMS, STRS } = await import('../src/model/sweep/evaluate.js');
    const { textOf } = await import('../src/util/byteText.js');
    const p = plan({ base: 'preset:default', grid: { sockets: [1, 2, 4], 'costs.lpInitUs': [10, 20, 30, 40] } });
    // Rows whose numbers repeat, alternate, go NaN (no value) and come back, with -0 and 0.
    const values = [1, 1, 2.5, 2.5, NaN, NaN, 2.5, -0, 0, 1e21, 1e21, 0.1 + 0.2];
    const count = values.length;
    const nums = new Float64Array(count * NUMS);
    for (let i = 0; i < count; i++) nums.fill(values[i], i * NUMS, (i + 1) * NUMS);
    for (let i = 0; i < count; i++) nums[i * NUMS] = 1;
    const rows = { count, nums, strs: new Array<string>(count * STRS).fill('') };
    for (const format of ['csv', 'jsonl'] as const) {
      const together = textOf(new RowText(p, format).rows(rows, 0, 1));
      const alone = Array.from({ length: count }, (_, i) => textOf(new RowText(p, format).rows({ count: 1, nums: nums.slice(i * NUMS, (i + 1) * NUMS), strs: new Array<string>(STRS).fill('') }, i, 1))).join('');
      expect(together).toBe(alone);
    }
  });
});

describe('row bytes handed to the writer', () => {
  it('a writer that takes its time reads bytes nobody writes over until it is done (one thread and two)', async () => {
    const { runSweep, sweepText } = await import('../src/workers/sweepRun.js');
    const { textOf } = await import('../src/util/byteText.js');
    const p = plan({ base: 'preset:default', grid: { sockets: [1, 2], policy: ['mainline', 'parallel-tdmr'], 'costs.tdmrInitCallUs': Array.from({ length: 40 }, (_, i) => 5 + i / 4) } });
    const expected = await sweepText(p, { format: 'csv', workers: 1 });
    for (const workers of [1, 2]) {
      const seen: Promise<string>[] = [];
      // Each write settles only later, and its bytes are read when it settles: a buffer reused
      // before then would show another chunk's rows.
      await runSweep(p, {
        format: 'csv', workers, chunkRows: 8,
        write: (t) => {
          const read = new Promise<string>((resolve) => setTimeout(() => resolve(textOf(t)), 2));
          seen.push(read);
          return read.then(() => undefined);
        },
      });
      expect((await Promise.all(seen)).join('')).toBe(expected);
    }
  }, 60_000);
});
