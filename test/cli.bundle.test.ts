// The command line's one-file bundle (scripts/bundle.mjs) is the same program as the compiled
// modules: bin/tdxmodel.js runs it while it is fresh, and it must give the same bytes, find the
// WASM kernels and start the worker threads from where it lives (dist/src/bundle/).

import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshest } from '../src/util/freshest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/tdxmodel.js');
const BUNDLE = path.join(ROOT, 'dist/src/bundle/cli.js');
const COMPILED = path.join(ROOT, 'dist/src/cli.js');

describe('freshest: a bundle stands in for its compiled module only while it is fresh', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tdx-fresh-'));
  const bundle = path.join(dir, 'a.bundle.js');
  const plain = path.join(dir, 'a.js');
  const at = (file: string, s: number): void => {
    writeFileSync(file, '');
    utimesSync(file, s, s);
  };

  it('picks the bundle when it is newer or as new', () => {
    at(plain, 1_000_000);
    at(bundle, 1_000_000);
    expect(freshest(pathToFileURL(bundle), pathToFileURL(plain)).pathname).toBe(pathToFileURL(bundle).pathname);
  });

  it('picks the compiled module when the bundle is older (tsc ran without the bundling step)', () => {
    at(bundle, 1_000_000);
    at(plain, 1_000_100);
    expect(freshest(pathToFileURL(bundle), pathToFileURL(plain)).pathname).toBe(pathToFileURL(plain).pathname);
  });

  it('picks the compiled module when there is no bundle', () => {
    rmSync(bundle, { force: true });
    expect(freshest(pathToFileURL(bundle), pathToFileURL(plain)).pathname).toBe(pathToFileURL(plain).pathname);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the bundled command line (npm run build makes it)', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'tdx-bundle-'));
  /** One command through bin/tdxmodel.js (the bundle) and through the compiled modules; the files it wrote. */
  const both = (args: string[]): [string, string] => {
    const a = path.join(out, 'bin.out');
    const b = path.join(out, 'compiled.out');
    execFileSync(process.execPath, [BIN, ...args, '--out', a], { stdio: 'pipe' });
    // A script file, not `--input-type=module -e`: worker threads inherit Node's flags.
    const script = path.join(out, 'compiled.mjs');
    writeFileSync(script, `const { main } = await import(${JSON.stringify(pathToFileURL(COMPILED).href)});\nprocess.exitCode = await main(${JSON.stringify([...args, '--out', b])});\n`);
    execFileSync(process.execPath, [script], { stdio: 'pipe' });
    return [readFileSync(a, 'utf8'), readFileSync(b, 'utf8')];
  };

  it('is what bin/tdxmodel.js runs after a build', () => {
    expect(freshest(pathToFileURL(BUNDLE), pathToFileURL(COMPILED)).pathname).toBe(pathToFileURL(BUNDLE).pathname);
  });

  it('simulates with trials on two threads to the same bytes as the compiled modules', () => {
    const [bundled, compiled] = both(['simulate', 'preset:default', '--trials', '5000', '--workers', '2', '--format', 'json']);
    expect(JSON.parse(bundled).trials.trials).toBe(5000);
    expect(bundled).toBe(compiled);
  });

  it('sweeps on two threads to the same bytes as the compiled modules', () => {
    const spec = path.join(out, 'spec.json');
    writeFileSync(spec, JSON.stringify({ base: 'preset:default', grid: { snc: [1, 2], 'module.maxTdmrs': [4, 64] } }));
    const [bundled, compiled] = both(['sweep', spec, '--workers', '2']);
    expect(bundled.trim().split('\n')).toHaveLength(5);
    expect(bundled).toBe(compiled);
  });

  it('models a TD with its attestation workers to the same bytes as the compiled modules', () => {
    const [bundled, compiled] = both(['guest', 'preset:td-small', '--format', 'json', '--workers', '2']);
    expect(bundled).toBe(compiled);
    rmSync(out, { recursive: true, force: true });
  });
});
