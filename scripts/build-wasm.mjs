// Compiles every AssemblyScript kernel. One table, one place to add a kernel:
//   release → build/NAME.wasm (what the package ships and the wrappers load)
//   debug   → build/debug/NAME.wasm with a .wat text file and a source map (never shipped)
// Usage: node scripts/build-wasm.mjs [release|debug]...

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const KERNELS = {
  construct: 'assembly/index.ts',
  trials: 'assembly/trials.ts',
  attestation: 'assembly/attestation.ts',
  accept: 'assembly/accept.ts',
};

const root = fileURLToPath(new URL('..', import.meta.url));
const asc = fileURLToPath(new URL('../node_modules/assemblyscript/bin/asc.js', import.meta.url));
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['release'];

for (const target of targets) {
  if (target !== 'release' && target !== 'debug') throw new Error(`build-wasm: unknown target ${target}`);
  for (const [name, entry] of Object.entries(KERNELS)) {
    const out = target === 'release'
      ? ['--outFile', `build/${name}.wasm`]
      : ['--outFile', `build/debug/${name}.wasm`, '--textFile', `build/debug/${name}.wat`];
    execFileSync(process.execPath, [asc, entry, '--target', target, ...out], { cwd: root, stdio: 'inherit' });
  }
}
