// Sweep rows: each row is what `simulate` says of the same platform, the output does not
// depend on worker count or chunking, and merged shards give back the unsharded bytes.
import { describe, it, expect } from 'vitest';
import { parseSpecText, parseSweepSpec, type SweepPlan } from '../src/model/sweep/spec.js';
import { sweepText } from '../src/workers/sweepRun.js';
import { mergeShards } from '../src/model/sweep/output.js';
import { loadAndSimulate } from '../src/workers/simulateRun.js';
import { metricsOf } from '../src/model/metrics.js';
import { liveWorkers } from '../src/workers/chunkPool.js';

const plan = (spec: unknown): SweepPlan => parseSweepSpec(parseSpecText(JSON.stringify(spec), 'spec'), 'spec', { readFile: () => '' });
const jsonl = (text: string): Record<string, unknown>[] => text.trim().split('\n').map((l) => JSON.parse(l));

async function expected(input: string, sets: string[], policy?: string): Promise<Record<string, unknown>> {
  const { report } = await loadAndSimulate({ input, sets, policy });
  const m = metricsOf(report);
  return {
    // The machine's totals, from simulate's own platform summary (GiB to three decimals).
    totalMemoryGiB: Math.round((report.platform.memoryBytes / 2 ** 30) * 1000) / 1000, lpCount: report.platform.lps, socketCount: report.platform.packages,
    // The errno by name, without the kernel's minus sign.
    initialized: m.initialized, error: report.outcome.error?.code.replace(/^-/, '') ?? null, step: report.outcome.error?.step ?? null,
    tdmrs: m.tdmrs, reservedAreas: m.reservedAreas, pamtKb: m.pamtKb, totalUs: m.timeUs, tdmrInitUs: m.tdmrInitUs,
    readyP50Us: report.readiness?.p50Us ?? null, readyP100Us: report.readiness?.p100Us ?? null,
    floorUs: report.physicalFloor.floorUs, message: report.outcome.error?.message ?? null,
  };
}

const GRID = {
  base: 'preset:default',
  grid: {
    sockets: [1, 2, 4],
    memoryPerSocket: ['64G', '256G'],
    snc: [1, 2],
    smt: [true, false],
    policy: ['mainline', 'parallel-tdmr'],
    'module.maxTdmrs': [3, 64],
    'costs.tdmrInitCallUs': [7, 12],
  },
};

describe('sweep rows', () => {
  it('each row equals simulate on the same platform', async () => {
    const p = plan({ base: 'preset:default', grid: { policy: ['mainline', 'parallel-tdmr', 'v7-2022'], 'module.maxTdmrs': [2, 64], 'kernel.holes': ['memblock', 'cmr'], 'costs.tdmrInitCallUs': [7] } });
    const rows = jsonl(await sweepText(p, { format: 'jsonl', workers: 1 }));
    expect(rows).toHaveLength(12);
    for (const r of rows) {
      const want = await expected('preset:default', [`module.maxTdmrs=${r['module.maxTdmrs']}`, `kernel.holes=${r['kernel.holes']}`, 'costs.tdmrInitCallUs=7'], r.policy as string);
      const { index, policy, 'module.maxTdmrs': _t, 'kernel.holes': _h, 'costs.tdmrInitCallUs': _c, ...got } = r;
      expect(got, `row ${index} (${policy})`).toEqual(want);
    }
    // The small TDMR limit is a modeled failure, not an input error.
    expect(rows.some((r) => r.initialized === false && r.error !== 'INVALID')).toBe(true);
  });

  it('structural axes rebuild the machine as the presets are built', async () => {
    const [row] = jsonl(await sweepText(plan({ base: 'preset:default', grid: { memoryPerSocket: ['128G'], 'keyids.mktme': [63], 'keyids.tdx': [64] } }), { format: 'jsonl', workers: 1 }));
    const { index: _i, memoryPerSocket: _m, 'keyids.mktme': _a, 'keyids.tdx': _b, ...got } = row;
    expect(got).toEqual(await expected('preset:2s-spr-256g', []));
    const smt = jsonl(await sweepText(plan({ base: 'preset:default', grid: { smt: [false], coresPerSocket: [8] } }), { format: 'jsonl', workers: 1 }));
    const { index: _j, smt: _s, coresPerSocket: _c, ...got2 } = smt[0];
    expect(got2).toEqual(await expected('preset:default', ['cpus.threadsPerCore=1', 'cpus.coresPerPackage=8']));
  });

  it('a combination that breaks a platform rule is an INVALID row, the rest run', async () => {
    const text = await sweepText(plan({ grid: { memoryPerSocket: ['2G', '4G'], snc: [1, 2] } }), { format: 'csv', workers: 1 });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('index,memoryPerSocket,snc,totalMemoryGiB,lpCount,socketCount,initialized,error,step,tdmrs,reservedAreas,pamtKb,totalUs,tdmrInitUs,readyP50Us,readyP100Us,floorUs,message');
    expect(lines[2]).toBe('1,2G,2,,,,false,INVALID,input,,,,,,,,,"a NUMA node must hold a whole number of GiB, at least 2"');
    expect(lines[1]).toBe('0,2G,1,,,,false,INVALID,input,,,,,,,,,memoryPerSocket: 2 GiB per socket with SNC1 leaves node 0 no memory (socket 0 holds its first 2 GiB below 4 GiB and 288 MiB at its top)');
    expect(lines.slice(1).map((l) => l.split(',')[6])).toEqual(['false', 'false', 'true', 'false']);
  });

  it('lists: one row per variant in list order, unset columns empty', async () => {
    const p = plan({ base: 'preset:2s-emr-17holes', list: [
      { name: 'as is' },
      { name: 'cmr holes', set: { 'kernel.holes': 'cmr' } },
      { name: '=cmd|evil', set: { 'kernel.holes': 'cmr' }, policy: 'parallel-tdmr' },
    ] });
    const lines = (await sweepText(p, { format: 'csv', workers: 1 })).trim().split('\n');
    // The errno is named without its minus sign, so a filter on "ENOSPC" matches the cell as
    // written; a name that starts a formula is still defused.
    expect(lines[0].startsWith('index,name,kernel.holes,policy,totalMemoryGiB,lpCount,socketCount,initialized,error,step,')).toBe(true);
    expect(lines[1]).toMatch(/^0,as is,,,511\.143,240,2,false,ENOSPC,construct TDMRs,0,0,/);
    expect(lines[2]).toMatch(/^1,cmr holes,cmr,,511\.143,240,2,true,,,/);
    expect(lines[3]).toMatch(/^2,'=cmd\|evil,cmr,parallel-tdmr,511\.143,240,2,true,,,/);
  });

  it('byte-identical output for 1, 2 and 8 workers and any chunking', async () => {
    const p = plan(GRID);
    expect(p.total).toBe(192);
    const one = await sweepText(p, { format: 'csv', workers: 1 });
    expect(one.trim().split('\n')).toHaveLength(193);
    for (const opts of [{ workers: 2 }, { workers: 8 }, { workers: 2, chunkRows: 7 }, { workers: 1, chunkRows: 5 }]) {
      expect(await sweepText(p, { format: 'csv', ...opts }), JSON.stringify(opts)).toBe(one);
    }
    const j1 = await sweepText(p, { format: 'jsonl', workers: 1 });
    expect(await sweepText(p, { format: 'jsonl', workers: 2, chunkRows: 3 })).toBe(j1);
    expect(jsonl(j1).map((r) => r.index)).toEqual(Array.from({ length: 192 }, (_, i) => i));
    expect(liveWorkers()).toBe(0);
  }, 120_000);

  it('merging 3 shards gives the unsharded output byte for byte (CSV and JSON Lines)', async () => {
    const p = plan(GRID);
    for (const format of ['csv', 'jsonl'] as const) {
      const whole = await sweepText(p, { format, workers: 1 });
      const shards = [];
      for (let k = 1; k <= 3; k++) shards.push({ name: `s${k}`, text: await sweepText(p, { format, workers: k === 2 ? 2 : 1, shard: { k, n: 3 } }) });
      expect(mergeShards([shards[2], shards[0], shards[1]])).toBe(whole);
      // A shard's rows keep their global indices.
      const second = format === 'csv' ? shards[1].text.trim().split('\n').slice(1).map((l) => Number(l.split(',')[0])) : jsonl(shards[1].text).map((r) => r.index);
      expect(second.slice(0, 3)).toEqual([1, 4, 7]);
      expect(() => mergeShards([shards[0], shards[2]])).toThrow(/^row 1 is in none of the files: a shard is missing/);
      expect(() => mergeShards([shards[0], shards[1], shards[1], shards[2]])).toThrow(/^s2: row 1 is also in s2: overlapping shards/);
    }
    // More shards than rows: the empty ones still merge.
    const tiny = plan({ grid: { sockets: [1, 2] } });
    const parts = [];
    for (let k = 1; k <= 4; k++) parts.push({ name: `t${k}`, text: await sweepText(tiny, { format: 'csv', workers: 1, shard: { k, n: 4 } }) });
    expect(mergeShards(parts)).toBe(await sweepText(tiny, { format: 'csv', workers: 1 }));
  }, 120_000);

  it('merge refuses files of different sweeps or formats', async () => {
    const a = await sweepText(plan({ grid: { sockets: [1] } }), { format: 'csv', workers: 1 });
    const b = await sweepText(plan({ grid: { snc: [1] } }), { format: 'csv', workers: 1 });
    const j = await sweepText(plan({ grid: { sockets: [1] } }), { format: 'jsonl', workers: 1 });
    expect(() => mergeShards([{ name: 'a', text: a }, { name: 'b', text: b }])).toThrow(/^b: its header differs from a's/);
    expect(() => mergeShards([{ name: 'a', text: a }, { name: 'j', text: j }])).toThrow(/^j: is JSON Lines, the other files are not/);
    expect(() => mergeShards([{ name: 'x', text: 'name,value\n' }])).toThrow(/^x: not a sweep CSV/);
  });
});
