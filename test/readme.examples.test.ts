// Every TypeScript/JavaScript block of the README compiles under `tsc --strict` against the
// package's own API ('tdxmodel' resolved to src/index.ts): an example that uses a function the
// library does not export, or uses it with the wrong types, fails here.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function examples(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```(?:ts|typescript|js|javascript)\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('README examples', () => {
  it('the README has library examples', () => {
    expect(examples().length).toBeGreaterThan(0);
  });

  it('every example type-checks under tsc --strict', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-readme-'));
    const files = examples().map((code, i) => {
      const f = path.join(dir, `example${i + 1}.ts`);
      writeFileSync(f, code);
      return f;
    });
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true,
        types: ['node'], typeRoots: [path.join(ROOT, 'node_modules/@types')],
        paths: { tdxmodel: [path.join(ROOT, 'src/index.ts')] },
      },
      // The sources' ambient declarations (comlink's ESM paths) come along with them.
      files: [...files, path.join(ROOT, 'src/workers/comlink-esm.d.ts')],
    }));
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
