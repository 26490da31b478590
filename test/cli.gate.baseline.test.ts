// tdxmodel gate in CI: missing inputs, changed options, keys independent of the working
// directory, tolerances with units, and corrupt baselines refused (exit 2), never passed.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from './helpers/cli.js';
import { parseTolerances, inputKey, validateBaseline, compareWithBaseline, type Baseline } from '../src/model/gate.js';
import { InputError } from '../src/platform/errors.js';
import { getPreset } from '../src/platform/presets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'src/cli.ts');

/** The CLI run from another working directory. */
function runIn(cwd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const runner = `import(${JSON.stringify(CLI)}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/esm/index.mjs')).href, '-e', runner, '--', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('gate tolerances read as the user means them', () => {
  it('time=10% covers every time metric not named on its own, in any order', () => {
    const t = parseTolerances(['tdmrInit=20%', 'time=10%']);
    expect(t.time.relative).toBe(0.1);
    expect(t.ready.relative).toBe(0.1);
    expect(t.tdmrInit.relative).toBe(0.2);
    expect(t.pamt.relative).toBe(0);
  });

  it('absolute tolerances carry units, converted to the stored unit', () => {
    const t = parseTolerances(['time=5ms,pamt=1MiB', 'tdmrs=1']);
    expect(t.time.absolute).toBe(5000);
    expect(t.tdmrInit.absolute).toBe(5000);
    expect(t.pamt.absolute).toBe(1024);
    expect(t.tdmrs.absolute).toBe(1);
  });

  it('an absolute time or size without a unit, a unit on a count, or an unknown metric is refused', () => {
    expect(() => parseTolerances(['time=5'])).toThrow(/needs a unit/);
    expect(() => parseTolerances(['pamt=5furlongs'])).toThrow(/needs a unit/);
    expect(() => parseTolerances(['tdmrs=1ms'])).toThrow(/count/);
    expect(() => parseTolerances(['speed=5%'])).toThrow(/unknown metric "speed"/);
  });
});

describe('gate baseline keys', () => {
  it('files are keyed relative to the baseline file, presets by name', () => {
    expect(inputKey('platforms/a.json', 'ci/base.json', '/repo')).toBe('../platforms/a.json');
    expect(inputKey('../platforms/a.json', 'base.json', '/repo/ci')).toBe('../platforms/a.json');
    expect(inputKey('preset:default', 'ci/base.json', '/repo')).toBe('preset:default');
  });

  it('a baseline written in one directory gates the same files from another', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-gate-cwd-'));
    mkdirSync(path.join(dir, 'ci'));
    mkdirSync(path.join(dir, 'platforms'));
    writeFileSync(path.join(dir, 'platforms/a.json'), JSON.stringify(getPreset('1s-emr-64g')));
    expect(runIn(dir, ['gate', '--baseline', 'ci/base.json', '--write-baseline', 'platforms/a.json']).code).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(dir, 'ci/base.json'), 'utf8'));
    expect(Object.keys(doc.entries)).toEqual(['../platforms/a.json']);
    const r = runIn(path.join(dir, 'ci'), ['gate', '--baseline', 'base.json', '../platforms/a.json']);
    expect(r.stdout).toContain('PASS');
    expect(r.code).toBe(0);
  });

  it('a schemaVersion 1 baseline (keys relative to some working directory) is refused with the way out', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-gate-v1-'));
    const f = path.join(dir, 'old.json');
    writeFileSync(f, JSON.stringify({ schemaVersion: 1, policy: null, entries: {} }));
    const r = runCli(['gate', '--baseline', f, 'preset:default']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/schemaVersion 1.*--write-baseline/);
  });
});

describe('gate against a baseline it cannot trust', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-gate-bad-'));
  const good = path.join(dir, 'good.json');
  const gate = (doc: unknown): { code: number; stdout: string; stderr: string } => {
    const f = path.join(dir, `b${Math.random().toString(16).slice(2)}.json`);
    writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return runCli(['gate', '--baseline', f, 'preset:default']);
  };

  it('writes a good baseline first', () => {
    expect(runCli(['gate', '--baseline', good, '--write-baseline', 'preset:default']).code).toBe(0);
  });

  it('an entry that is null: exit 2 naming the entry', () => {
    const doc = JSON.parse(readFileSync(good, 'utf8'));
    doc.entries['preset:default'] = null;
    const r = gate(doc);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('entries["preset:default"]');
    expect(r.stdout).not.toContain('PASS');
  });

  it('metrics of 1e400 or -1e400: exit 2 naming the entry and field', () => {
    const text = readFileSync(good, 'utf8');
    for (const v of ['1e400', '-1e400']) {
      const r = gate(text.replace(/"timeUs": [0-9.]+/, `"timeUs": ${v}`));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('entries["preset:default"].timeUs');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a baseline input missing from the run fails, unless --allow-missing, which lists it', () => {
    const both = path.join(dir, 'both.json');
    expect(runCli(['gate', '--baseline', both, '--write-baseline', 'preset:default', 'preset:1s-emr-64g']).code).toBe(0);
    const r = runCli(['gate', '--baseline', both, 'preset:default']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/MISSING.*preset:1s-emr-64g/);
    const ok = runCli(['gate', '--baseline', both, '--allow-missing', 'preset:default']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/missing \(--allow-missing\)\s+preset:1s-emr-64g/);
  });

  it('a policy that differs from the baseline\'s fails and says which flag accepts it', () => {
    const r = runCli(['gate', '--baseline', good, '--policy', 'parallel-tdmr', 'preset:default']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/OPTION CHANGED\s+preset:default\s+policy\s+mainline\s+parallel-tdmr/);
    expect(r.stdout).toContain('--allow-option-change');
  });

  it('JSON output keeps the raw numbers and units beside the status', () => {
    const r = runCli(['gate', '--baseline', good, '--format', 'json', '--allow-option-change', '--set', 'costs.tdmrInitCallUs=12', 'preset:default']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    const row = j.rows.find((x: { metric: string }) => x.metric === 'tdmrInit');
    expect(row).toMatchObject({ unit: 'µs', baseline: 1179648, current: 1572864, change: 393216, status: 'regressed', fails: true });
  });
});

describe('gate comparison rules', () => {
  const entry = { policy: 'mainline', initialized: true, timeUs: 1000, tdmrInitUs: 800, pamtKb: 4096, tdmrs: 2, reservedAreas: 3, readyP100Us: 1000 };
  const base: Baseline = { schemaVersion: 2, keys: '', options: { policy: null, engine: 'wasm', sets: [] }, entries: { a: entry } };
  const tol = parseTolerances(['time=5ms', 'pamt=1MiB']);
  const run = (m: Partial<typeof entry>) => compareWithBaseline(base, { a: { ...entry, ...m } }, base.options, tol, { missing: false, optionChange: false });

  it('a change within an absolute tolerance is worse but passes; beyond it fails', () => {
    expect(run({ timeUs: 5900 }).pass).toBe(true);
    expect(run({ timeUs: 5900 }).rows[0].status).toBe('worse');
    expect(run({ timeUs: 6100 }).pass).toBe(false);
    expect(run({ pamtKb: 4096 + 1024 }).pass).toBe(true);
    expect(run({ pamtKb: 4096 + 1025 }).pass).toBe(false);
  });

  it('validateBaseline names the field of a negative metric', () => {
    const bad = { ...base, entries: { a: { ...entry, tdmrs: -1 } } };
    expect(() => validateBaseline(bad, 'b.json')).toThrow(InputError);
    expect(() => validateBaseline(bad, 'b.json')).toThrow(/entries\["a"\]\.tdmrs/);
  });
});
