// Bundles every compiled worker script (dist/src/workers/*Worker.js) into one file beside it
// (NAME.bundle.js): a worker thread then loads one module instead of its whole import graph,
// which starts a sweep worker ~40 ms sooner (README, Performance). The pool uses a bundle only
// when it is at least as new as the compiled script it was made from (workers/chunkPool.ts), so
// a later `npm run build:ts` without this step never runs stale worker code.
// Usage: node scripts/bundle-workers.mjs (after tsc).

import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../dist/src/workers/', import.meta.url));
const workers = readdirSync(dir).filter((f) => /Worker\.js$/.test(f));
if (!workers.length) throw new Error(`bundle-workers: no compiled worker in ${dir}; run tsc first`);

for (const file of workers) {
  await build({
    entryPoints: [dir + file],
    outfile: dir + file.replace(/\.js$/, '.bundle.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}
