// `sweep` over TD axes: a spec with kind: guest.
import { describe, it, expect } from 'vitest';
import { readSweepSpec } from '../src/model/sweep/spec.js';
import { runSweep } from '../src/workers/sweepRun.js';
import { parseCsv } from '../src/util/csv.js';

async function sweepText(spec: string, format: 'csv' | 'jsonl' = 'csv', shard?: { k: number; n: number }): Promise<string> {
  const plan = readSweepSpec(spec, 'spec.yaml');
  let text = '';
  await runSweep(plan, { format, workers: 1, shard, write: (t) => { text += t; } });
  return text;
}

const SPEC = 'kind: guest\nbase: preset:td-small\ngrid:\n  vcpus: [2, 8]\n  attestation.concurrency: [1, 3]\n';

describe('guest sweep', () => {
  it('one row per combination, the last axis fastest, with the boot and quote columns', async () => {
    const rows = parseCsv(await sweepText(SPEC)).map((r) => r.fields);
    expect(rows[0].slice(0, 5)).toEqual(['index', 'vcpus', 'attestation.concurrency', 'firmwareSeconds', 'toInitSeconds']);
    expect(rows.slice(1).map((r) => [r[1], r[2]])).toEqual([['2', '1'], ['2', '3'], ['8', '1'], ['8', '3']]);
    const toInit = rows[0].indexOf('toInitSeconds');
    expect(Number(rows[3][toInit])).toBeGreaterThan(Number(rows[1][toInit]));
  });

  it('shards partition the rows', async () => {
    const all = (await sweepText(SPEC, 'jsonl')).trim().split('\n');
    const s1 = (await sweepText(SPEC, 'jsonl', { k: 1, n: 2 })).trim().split('\n');
    const s2 = (await sweepText(SPEC, 'jsonl', { k: 2, n: 2 })).trim().split('\n');
    expect([...s1, ...s2].sort()).toEqual([...all].sort());
  });

  it.each([
    ['kind: guest\nbase: preset:td-small\ngrid:\n  vcpus: [2, 0]\n', /spec.yaml: grid.vcpus\[1\]: must be from 1 to 4096/],
    ['kind: guest\nbase: preset:td-small\ngrid:\n  kernel.nope: [1]\n', /grid.kernel.nope\[0\]: unknown field/],
    ['kind: guest\nbase: preset:td-small\ngrid:\n  costs.nope: [1]\n', /grid.costs.nope\[0\]: unknown guest cost parameter/],
    ['kind: guest\nbase: preset:nope\ngrid:\n  vcpus: [1]\n', /spec.yaml: base: unknown TD preset/],
    ['kind: guest\nbase: preset:td-small\ngrid: {}\n', /grid: no axes/],
    ['kind: guest\nbase: preset:td-small\npolicy: x\ngrid:\n  vcpus: [1]\n', /policy: unknown field/],
  ])('refuses a bad spec before any row runs: %s', (spec, msg) => {
    expect(() => readSweepSpec(spec, 'spec.yaml')).toThrow(msg);
  });
});
