// tdxmodel simulate / presets / calibrate through the command line.
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { runCli } from './helpers/cli.js';

const REAL_LOGS = new URL('data/real-logs/', import.meta.url).pathname;

describe('tdxmodel simulate', () => {
  it('JSON: the documented top-level members, in order, schemaVersion 1', () => {
    const r = runCli(['simulate', 'preset:default', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['schemaVersion', 'platform', 'policy', 'outcome', 'callers', 'tdmrs', 'construct', 'pamt', 'seamcalls', 'timeline', 'totals', 'intervals', 'readiness', 'physicalFloor', 'hotplug', 'log', 'warnings', 'parameters']);
    expect(j.schemaVersion).toBe(1);
    expect(j.outcome).toEqual({ initialized: true, status: 'INITIALIZED', error: null });
    // Every parameter carries its provenance label.
    for (const p of j.parameters) expect(['measured', 'derived', 'assumed', 'source']).toContain(p.label);
  });

  it('--expect-success: exit 1 when the modeled init fails, 0 otherwise', () => {
    expect(runCli(['simulate', 'preset:2s-emr-17holes', '--expect-success']).code).toBe(1);
    expect(runCli(['simulate', 'preset:2s-emr-17holes-cmr', '--expect-success']).code).toBe(0);
    // Without the flag a modeled failure is a result, not an error.
    expect(runCli(['simulate', 'preset:2s-emr-17holes']).code).toBe(0);
  });

  it('--set overrides platform fields and costs; a bad one is a usage error', () => {
    const r = runCli(['simulate', 'preset:2s-emr-17holes', '--set', 'kernel.holes=cmr', '--set', 'costs.tdmrInitCallUs=7', '--format', 'json']);
    const j = JSON.parse(r.stdout);
    expect(j.outcome.initialized).toBe(true);
    expect(j.parameters.find((p: { name: string }) => p.name === 'tdmrInitCallUs')).toMatchObject({ value: 7, label: 'override' });
    const bad = runCli(['simulate', 'preset:default', '--set', 'costs.nope=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('costs.nope');
  });

  it('--trace lists every SEAMCALL leaf; no wall-clock values without --timing', () => {
    const j = JSON.parse(runCli(['simulate', 'preset:1s-emr-64g', '--format', 'json', '--trace']).stdout);
    expect(new Set(j.trace.map((t: { leaf: string }) => t.leaf))).toEqual(new Set(Object.keys(j.seamcalls.perLeaf)));
    expect(j.timing).toBeUndefined();
  });

  it('text output names the outcome and the assumed parameters', () => {
    const r = runCli(['simulate', 'preset:2s-spr-tdx10']);
    expect(r.stdout).toContain('OUTCOME  FAILED');
    expect(r.stdout).toContain('SEAMCALL (0x0000000000000022) failed: 0xc000050500000000');
    expect(r.stdout).toContain('assumed parameters');
  });
});

describe('tdxmodel presets and calibrate', () => {
  it('presets lists at least 8 platforms, every one simulates', () => {
    const j = JSON.parse(runCli(['presets', '--format', 'json']).stdout);
    expect(j.length).toBeGreaterThanOrEqual(8);
    expect(j.map((p: { name: string }) => p.name)).toContain('default');
  });

  it('calibrate fits tdmrInitCallUs on the real logs', () => {
    const logs = readdirSync(REAL_LOGS).filter((f) => f.endsWith('.txt')).map((f) => REAL_LOGS + f);
    const r = runCli(['calibrate', ...logs, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.logs).toHaveLength(logs.length);
    expect(j.params.tdmrInitCallUs).toBeGreaterThan(3);
    expect(j.params.tdmrInitCallUs).toBeLessThan(20);
    const text = runCli(['calibrate', ...logs]);
    expect(text.stdout).toContain('--set costs.tdmrInitCallUs=');
  });
});

describe('simulate --format csv', () => {
  it('one row per timeline step, with a header, text cells neutralized', () => {
    const r = runCli(['simulate', 'preset:default', '--format', 'csv', '--set', 'name==HYPERLINK("x")']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('platform,policy,step,startUs,endUs,durationUs,cpus,detail');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines[1].startsWith(`"'=HYPERLINK(""x"")"`) || lines[1].startsWith(`'=HYPERLINK`)).toBe(true);
  });
});
