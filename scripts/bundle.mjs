// One-file bundles of the compiled code (after tsc), so that a fresh process or thread loads a
// few modules instead of its whole import graph:
//  - each worker script (dist/src/workers/*Worker.js) into NAME.bundle.js beside it: a sweep
//    worker starts ~40 ms sooner (README, Performance);
//  - the command line (dist/src/cli.js) into dist/src/bundle/: cli.js, one file per command
//    and chunks they share (esbuild code splitting), so a command still loads only what it needs.
// dist/src/bundle/ sits at the depth of dist/src/kernels/ and dist/src/workers/, so the paths the
// code builds from import.meta.url (build/*.wasm, ../workers/NAME.js, package.json) hold from
// the bundle as from the compiled modules. A bundle is used only while it is at least as new as
// the compiled file it was made from (src/util/freshest.ts): a later `npm run build:ts` without
// this step never runs stale code.
// Usage: node scripts/bundle.mjs (after tsc).

import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../dist/src/', import.meta.url));
const workers = readdirSync(src + 'workers/').filter((f) => /Worker\.js$/.test(f));
if (!workers.length) throw new Error(`bundle: no compiled worker in ${src}workers/; run tsc first`);

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' };

for (const file of workers) {
  await build({ ...common, entryPoints: [src + 'workers/' + file], outfile: src + 'workers/' + file.replace(/\.js$/, '.bundle.js') });
}

// Chunk names change with their content: start from an empty directory.
rmSync(src + 'bundle', { recursive: true, force: true });
await build({ ...common, entryPoints: [src + 'cli.js'], outdir: src + 'bundle', splitting: true });
