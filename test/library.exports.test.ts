// The library does what the command line does, as typed calls: import, explain, calibrate,
// sweep (rows as an async iterator), compare, gate, the report builders. Results belong to
// the caller: nothing comes back frozen.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as lib from '../src/index.js';
import { runCli } from './helpers/cli.js';

const LOG = path.resolve('test/data/real-logs/case-15.txt');
const log = (): lib.TextFile[] => [{ name: LOG, text: readFileSync(LOG, 'utf8') }];

describe('library: the commands as functions', () => {
  it('getPreset is typed as a platform document and validatePlatform returns objects the caller owns', () => {
    const doc: lib.PlatformDocument = lib.getPreset('default');
    expect(Array.isArray(doc.memory)).toBe(true);
    const a = lib.validatePlatform(doc);
    const b = lib.validatePlatform(lib.getPreset('default'));
    expect(Object.isFrozen(a.cpus.lps)).toBe(false);
    expect(Object.isFrozen(a.cpus.lps[0])).toBe(false);
    a.cpus.lps[0].online = false;
    expect(b.cpus.lps[0].online).toBe(true);
  });

  it('loadPlatform returns objects the caller owns too', async () => {
    const a = await lib.loadPlatform('preset:default');
    expect(Object.isFrozen(a.cpus.lps)).toBe(false);
    a.cpus.lps.pop();
    expect((await lib.loadPlatform('preset:default')).cpus.lps.length).toBe(224);
  });

  it('importPlatform builds the document import prints', () => {
    const imported = lib.importPlatform(log());
    const cli = runCli(['import', LOG]);
    expect(cli.code).toBe(0);
    expect(JSON.stringify(imported.document, null, 2) + '\n').toBe(cli.stdout);
  });

  it('explain gives the result explain --format json prints', async () => {
    const run = await lib.explain(log());
    const cli = runCli(['explain', LOG, '--format', 'json']);
    expect(JSON.stringify(run.result, null, 2) + '\n').toBe(cli.stdout);
    expect(lib.explainText(run.result, run.context)).toContain('PAMT');
  });

  it('calibrate gives the fit calibrate --format json prints', async () => {
    const cli = runCli(['calibrate', LOG, '--format', 'json']);
    expect(JSON.stringify(await lib.calibrate(log())) + '\n').toBe(cli.stdout);
  });

  it('compare: one platform under two policies, rows as the text table shows them', async () => {
    const doc = lib.getPreset('default');
    const c = await lib.compare(doc, doc, { policies: ['mainline', 'parallel-tdmr'] });
    expect(c.a.policy.name).toBe('mainline');
    expect(c.b.policy.name).toBe('parallel-tdmr');
    expect(c.rows.some((r) => r.differs)).toBe(true);
  });

  it('sweep yields the rows sweep --format jsonl writes, in order', async () => {
    const spec = 'base: preset:default\ngrid:\n  module.maxTdmrs: [2, 64]\n  policy: [mainline, parallel-tdmr]\n';
    const rows: lib.SweepRow[] = [];
    for await (const row of lib.sweep(spec)) rows.push(row);
    const cli = runCli(['sweep', '-', '--format', 'jsonl', '--workers', '1'], spec);
    expect(rows.map((r) => JSON.stringify(r) + '\n').join('')).toBe(cli.stdout);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it('sweep stops when the caller stops iterating', async () => {
    let n = 0;
    for await (const row of lib.sweep({ base: 'preset:default', grid: { 'module.maxTdmrs': [2, 3, 4, 5, 6, 7, 8, 64] } })) {
      expect(row.index).toBe(n++);
      if (n === 2) break;
    }
    expect(n).toBe(2);
  });

  it('gate writes a baseline and passes against it', async () => {
    const baseline = path.join(mkdtempSync(path.join(tmpdir(), 'tdxmodel-lib-')), 'base.json');
    await lib.gate({ baseline, inputs: ['preset:default'], writeBaseline: true });
    const same = await lib.gate({ baseline, inputs: ['preset:default'] });
    expect(same.pass).toBe(true);
    const worse = await lib.gate({ baseline, inputs: ['preset:default'], sets: ['costs.tdmrInitCallUs=20'] });
    expect(worse.pass).toBe(false);
  });

  it('the report builders give the text, CSV and HTML the CLI writes', async () => {
    const platform = lib.validatePlatform(lib.getPreset('default'));
    const report = await lib.simulate(platform, {});
    expect(lib.simulateText(report) + '\n').toBe(runCli(['simulate', 'preset:default']).stdout);
    expect(lib.simulateCsv(report)).toBe(runCli(['simulate', 'preset:default', '--format', 'csv']).stdout);
    expect(lib.simulateHtml(report, platform)).toBe(runCli(['simulate', 'preset:default', '--format', 'html']).stdout);
  });
});
