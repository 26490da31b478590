// What `npm install tdxmodel` puts on a user's disk: the compiled library and CLI, the release
// WASM kernels, the schema, the docs, README and LICENSE; no debug builds, .wat text, source
// maps, tests or TypeScript sources; and no dependency that runs an install script.

import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The file list of the tarball npm would publish (no scripts run: dist/ is what npm ci built). */
function packed(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path);
}

/** The kernels scripts/build-wasm.mjs builds, by their entry in its KERNELS table. */
function kernels(): string[] {
  const script = readFileSync(path.join(ROOT, 'scripts/build-wasm.mjs'), 'utf8');
  const table = /const KERNELS = \{([^}]*)\}/.exec(script)?.[1] ?? '';
  return [...table.matchAll(/^\s*'?([a-zA-Z0-9-]+)'?:/gm)].map((m) => m[1]);
}

describe('the npm package', () => {
  const files = packed();

  it('carries the library, the CLI, every release kernel, the schema, the docs, README and LICENSE', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/tdxmodel.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli.js', 'dist/src/bundle/cli.js',
      'schema/platform.schema.json', 'docs/platform-format.md', 'docs/simulate-schema.md']) {
      expect(files, f).toContain(f);
    }
    const names = kernels();
    expect(names.length).toBeGreaterThan(0);
    for (const k of names) expect(files).toContain(`build/${k}.wasm`);
  });

  it('carries no debug build, .wat, source map, test or TypeScript source', () => {
    const bad = files.filter((f) => /^build\/debug\/|\.wat$|\.map$|^test\/|^src\/|^bench\/|^assembly\/|(?<!\.d)\.ts$/.test(f));
    expect(bad).toEqual([]);
  });

  it('LICENSE is the license package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });

  it('no runtime dependency runs an install script', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const scripted = Object.entries(lock.packages as Record<string, { dev?: boolean; hasInstallScript?: boolean }>)
      .filter(([name, p]) => name !== '' && !p.dev && p.hasInstallScript).map(([name]) => name);
    expect(scripted).toEqual([]);
  });
});
