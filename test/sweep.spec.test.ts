// Sweep specs: JSON or YAML by content, YAML's duplicate keys and alias bombs refused, and
// every mistake a one-line input error naming the field, before any row runs.
import { describe, it, expect } from 'vitest';
import { parseSpecText, parseSweepSpec, rowValues, simulatedRows, SWEEP_MAX_POINTS } from '../src/model/sweep/spec.js';
import { InputError } from '../src/platform/errors.js';
import { runCli } from './helpers/cli.js';

const noFiles = { readFile: (p: string): string => { throw new InputError(p, 'cannot read: ENOENT'); } };
const plan = (text: string) => parseSweepSpec(parseSpecText(text, 'spec'), 'spec', noFiles);
const fails = (text: string): string => {
  try {
    plan(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an input error');
};

describe('sweep spec', () => {
  it('reads the same grid from JSON and YAML', () => {
    const json = plan('{"base": "preset:default", "grid": {"sockets": [1, 2], "module.maxTdmrs": [32, 64], "policy": ["mainline"]}}');
    const yaml = plan('base: preset:default\ngrid:\n  sockets: [1, 2]\n  module.maxTdmrs: [32, 64]\n  policy: [mainline]\n');
    expect(yaml).toEqual(json);
    expect(json.total).toBe(4);
    expect(json.axes.map((a) => [a.name, a.kind])).toEqual([['sockets', 'structural'], ['module.maxTdmrs', 'set'], ['policy', 'policy']]);
  });

  it('orders grid rows lexicographically over the axes as written, the last fastest', () => {
    const p = plan('{"grid": {"sockets": [1, 2], "smt": [true, false], "costs.tdmrInitCallUs": [7, 9, 12]}}');
    expect(p.total).toBe(12);
    expect(rowValues(p, 0)).toEqual([1, true, 7]);
    expect(rowValues(p, 1)).toEqual([1, true, 9]);
    expect(rowValues(p, 3)).toEqual([1, false, 7]);
    expect(rowValues(p, 11)).toEqual([2, false, 12]);
  });

  it('lists: columns are the name, every key set, then the policy', () => {
    const p = plan(JSON.stringify({ list: [
      { name: 'small', set: { 'module.maxTdmrs': 8 } },
      { name: 'cmr', set: { 'kernel.holes': 'cmr', sockets: 4 }, policy: 'parallel-tdmr' },
      {},
    ] }));
    expect(p.axes.map((a) => a.name)).toEqual(['name', 'module.maxTdmrs', 'kernel.holes', 'sockets', 'policy']);
    expect(rowValues(p, 1)).toEqual(['cmr', undefined, 'cmr', 4, 'parallel-tdmr']);
    expect(rowValues(p, 2)[0]).toBe('variant-2');
    expect(p.total).toBe(3);
  });

  it('refuses YAML duplicate keys and alias bombs', () => {
    expect(fails('grid:\n  sockets: [1]\n  sockets: [2]\n')).toMatch(/^spec:3: .*unique/i);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    bomb.push('grid: {sockets: [1]}');
    expect(fails(bomb.join('\n'))).toMatch(/^spec(:\d+)?: .*alias/i);
  });

  it('refuses YAML tags it does not know instead of turning them into strings', () => {
    expect(fails('x: !!js/function "f"\ngrid: {sockets: [1]}\n')).toBe('spec:1: Unresolved tag: tag:yaml.org,2002:js/function');
  });

  it('refuses JSON duplicate keys', () => {
    expect(fails('{"grid": {"sockets": [1], "sockets": [2]}}')).toMatch(/^spec:1: .*sockets/);
  });

  it('names the field of every mistake', () => {
    expect(fails('{"grid": {"colour": [1]}}')).toMatch(/^spec: grid\.colour: unknown axis \(structural: memoryPerSocket/);
    expect(fails('{"grid": {"sockets": []}}')).toBe('spec: grid.sockets: empty list of values');
    expect(fails('{"grid": {"sockets": 2}}')).toMatch(/^spec: grid\.sockets: expected a list of values/);
    expect(fails('{"grid": {}}')).toBe('spec: grid: no axes');
    expect(fails('{"base": "preset:nope", "grid": {"sockets": [1]}}')).toMatch(/^spec: base: unknown preset "nope"/);
    expect(fails('{"grid": {"sockets": [1]}, "list": []}')).toMatch(/^spec: give exactly one of "grid"/);
    expect(fails('{"grid": {"sockets": [1]}, "extra": 1}')).toMatch(/^spec: extra: unknown field/);
    expect(fails('{"grid": {"sockets": [0]}}')).toMatch(/^spec: grid\.sockets\[0\]: expected a whole number in \[1, 64\]/);
    expect(fails('{"grid": {"memoryPerSocket": ["256G", "1.5G"]}}')).toMatch(/^spec: grid\.memoryPerSocket\[1\]: must be a whole number of GiB/);
    expect(fails('{"grid": {"smt": ["yes"]}}')).toMatch(/^spec: grid\.smt\[0\]: expected true or false/);
    expect(fails('{"grid": {"policy": ["mainline", "fastest"]}}')).toMatch(/^spec: grid\.policy\[1\]: unknown policy "fastest"/);
    expect(fails('{"grid": {"costs.tdmrInitCallUs": [9, -1]}}')).toMatch(/^spec: grid\.costs\.tdmrInitCallUs\[1\]: must be > 0/);
    expect(fails('{"grid": {"costs.warpFactor": [9]}}')).toMatch(/^spec: grid\.costs\.warpFactor\[0\]: unknown cost parameter/);
    expect(fails('{"grid": {"kernel.holes": ["memblock", "e820"]}}')).toMatch(/^spec: grid\.kernel\.holes\[1\]: must be "memblock" or "cmr"/);
    expect(fails('{"grid": {"module.maxTdmrs": [0]}}')).toMatch(/^spec: grid\.module\.maxTdmrs\[0\]: /);
    expect(fails('{"list": [{"set": {"policy": "mainline"}}]}')).toMatch(/^spec: list\[0\]\.set\.policy: unknown field/);
    expect(fails('{"list": []}')).toBe('spec: list: empty list');
    expect(fails('{"base": {"memory": [{"start": 0, "end": "0x1001"}]}, "grid": {"sockets": [1]}}')).toMatch(/^spec: base: memory\[0\]\.end: must be 4 KiB aligned/);
    expect(fails('{"base": {"memory": [{"start": 0, "end": "0x40000000"}]}, "grid": {"sockets": [1, 2]}}')).toMatch(/^spec: grid: sockets rebuild the memory map.*add a memoryPerSocket axis/);
  });

  it(`refuses a grid over ${SWEEP_MAX_POINTS} points, with the arithmetic`, () => {
    const big = Array.from({ length: 100 }, (_, i) => i + 1);
    const msg = fails(JSON.stringify({ grid: { 'costs.tdmrInitCallUs': big, 'costs.lpInitUs': big, 'costs.sysInitUs': big, 'costs.configUs': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } }));
    expect(msg).toBe(`spec: grid: 100 × 100 × 100 × 11 points is over the ${SWEEP_MAX_POINTS} limit; split the sweep`);
    expect(plan(JSON.stringify({ grid: { 'costs.tdmrInitCallUs': big, 'costs.lpInitUs': big, 'costs.sysInitUs': big, 'costs.configUs': Array.from({ length: 10 }, (_, i) => i + 1) } })).total).toBe(SWEEP_MAX_POINTS);
  });

  it('counts the rows that simulate: one per platform and policy in a grid, every row of a list', () => {
    const grid = plan('{"grid": {"sockets": [1, 2], "policy": ["mainline", "v7-2022"], "module.maxTdmrs": [32, 64], "costs.tdmrInitCallUs": [7, 9, 12], "costs.lpInitUs": [10, 20]}}');
    expect(grid.total).toBe(48);
    expect(simulatedRows(grid)).toBe(8);
    expect(simulatedRows(plan('{"grid": {"sockets": [1, 2], "snc": [1, 2]}}'))).toBe(4);
    expect(simulatedRows(plan('{"list": [{"set": {"costs.lpInitUs": 10}}, {"set": {"costs.lpInitUs": 20}}]}'))).toBe(2);
  });

  it('the command line: exit 2 and one line on standard error', () => {
    const r = runCli(['sweep', '-'], '{"grid": {"colour": [1]}}');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tdxmodel: <stdin>: grid\.colour: unknown axis/);
    const bad = runCli(['sweep', '-', '--shard', '3/2'], '{"grid": {"sockets": [1]}}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tdxmodel: --shard 3\/2: need 1 ≤ K ≤ N/);
  });
});
