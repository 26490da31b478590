// The repository stands alone: nothing in it reads the reference folder beside the clone.
// A clone on a machine with nothing next to it must build, test and run.

import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', 'build', '.git', 'data', 'results']);
const CODE = /\.(ts|js|mjs|cjs|sh|json|ya?ml)$|^run$/;
// The folder beside the clone that held the reference material, written so that this file does
// not name the path it forbids: a parent-directory step, any more of them, then that folder.
const OUTSIDE = new RegExp(String.raw`\.\./(?:\.\./)*` + ['sha', 'red'].join('') + String.raw`\b`);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : CODE.test(name) ? [path] : [];
  });
}

describe('the repository stands alone', () => {
  it('no source, test, bench, example or CI file reads the reference folder beside the clone', () => {
    const offenders = files(ROOT)
      .filter((f) => OUTSIDE.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the README links only to files in the repository', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).not.toMatch(OUTSIDE);
    const links = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    for (const link of links) expect(() => statSync(join(ROOT, link)), link).not.toThrow();
  });

  it('every repository path the README names in backticks exists (no spec page outside the repository)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const named = [...readme.matchAll(/`((?:docs|schema|src|test|examples|bench|assembly|scripts)\/[^`\s*…]+|[A-Za-z-]+\.md)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    // bench/results/ is where benchmarks write, made on the first run.
    for (const p of named.filter((n) => n !== 'bench/results/')) expect(() => statSync(join(ROOT, p)), p).not.toThrow();
  });
});
