// tdxmodel gate: baseline written, re-run passes, a regression fails with exit 1 and a table.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';

describe('tdxmodel gate', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-gate-'));
  const baseline = path.join(dir, 'baseline.json');
  const inputs = ['preset:default', 'preset:1s-emr-64g'];

  it('writes a baseline, then passes against it', () => {
    expect(runCli(['gate', '--baseline', baseline, '--write-baseline', ...inputs]).code).toBe(0);
    expect(existsSync(baseline)).toBe(true);
    const r = runCli(['gate', '--baseline', baseline, ...inputs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS');
  });

  it('a slower TDMR.INIT beyond the tolerance fails with exit 1 and names the metric', () => {
    const r = runCli(['gate', '--baseline', baseline, '--tolerance', 'time=5%', '--allow-option-change', '--set', 'costs.tdmrInitCallUs=12', ...inputs]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REGRESSED\s+preset:default\s+time/);
    expect(r.stdout).toContain('FAIL');
  });

  it('within a generous tolerance the same change passes; a faster run never regresses and is shown as improved', () => {
    expect(runCli(['gate', '--baseline', baseline, '--allow-option-change', '--tolerance', 'time=50%', '--set', 'costs.tdmrInitCallUs=12', ...inputs]).code).toBe(0);
    const r = runCli(['gate', '--baseline', baseline, '--allow-option-change', '--set', 'costs.tdmrInitCallUs=5', ...inputs]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/improved\s+preset:default\s+time\s+1\.298 s\s+\S+ ms\s+-/);
    expect(r.stdout).toContain('improvement(s)');
  });

  it('an outcome that turns into a failure is a regression', () => {
    const r = runCli(['gate', '--baseline', baseline, '--allow-option-change', '--set', 'module.maxReservedPerTdmr=1', ...inputs]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('outcome');
  });

  it('a broken baseline or tolerance is a usage error (exit 2)', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 2, "keys": "", "options": {"policy": null, "engine": "wasm", "sets": []}, "entries": {"x": {"timeUs": "fast"}}}');
    expect(runCli(['gate', '--baseline', bad, ...inputs]).code).toBe(2);
    expect(runCli(['gate', '--baseline', baseline, '--tolerance', 'speed=5%', ...inputs]).code).toBe(2);
  });
});

describe('tdxmodel compare', () => {
  it('one platform under two policies: differences marked', () => {
    const r = runCli(['compare', 'preset:default', '--policies', 'mainline,parallel-tdmr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\*\s+policy\s+mainline\s+parallel-tdmr/m);
    expect(r.stdout).toMatch(/^\*\s+\s*TDH\.SYS\.TDMR\.INIT/m);
    expect(r.stdout).toMatch(/^\s+PAMT KB\s+2101260\s+2101260/m);
  });

  it('two platforms in JSON: both reports and the differing rows', () => {
    const j = JSON.parse(runCli(['compare', 'preset:2s-emr-17holes', 'preset:2s-emr-17holes-cmr', '--format', 'json']).stdout);
    expect(j.a.outcome.initialized).toBe(false);
    expect(j.b.outcome.initialized).toBe(true);
    expect(j.differences.map((d: { metric: string }) => d.metric)).toContain('outcome');
  });
});
