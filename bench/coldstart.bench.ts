// Cold start: `tdxmodel simulate preset:default` as a fresh process, against `node -e 0`, through
// bin/tdxmodel.js (the command line's bundle) and through the compiled modules; and a worker
// thread's start, to its first reply, from the compiled script and from its bundle
// (scripts/bundle.mjs), interleaved.
//   node --import tsx bench/coldstart.bench.ts [--json FILE] [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fileURLToPath } from 'node:url';
import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';

const BIN = fileURLToPath(new URL('../bin/tdxmodel.js', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 21;

function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - t0;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const measure = (args: string[]): number => {
  wall(args);
  return median(Array.from({ length: runs }, () => wall(args)));
};

// The compiled modules without the bundle, as bin/tdxmodel.js runs them when the bundle is stale.
const compiledCli = join(mkdtempSync(join(tmpdir(), 'tdx-coldstart-')), 'compiled.mjs');
writeFileSync(compiledCli, `const { main } = await import(${JSON.stringify(new URL('../dist/src/cli.js', import.meta.url).href)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);

const rows: { command: string; medianMs: number }[] = [
  { command: 'node -e 0 (Node alone)', medianMs: Math.round(measure(['-e', '0'])) },
  { command: 'tdxmodel --help', medianMs: Math.round(measure([BIN, '--help'])) },
  { command: 'tdxmodel simulate preset:default', medianMs: Math.round(measure([BIN, 'simulate', 'preset:default'])) },
  { command: 'tdxmodel simulate preset:default (compiled modules, no bundle)', medianMs: Math.round(measure([compiledCli, 'simulate', 'preset:default'])) },
  { command: 'tdxmodel construct preset:default', medianMs: Math.round(measure([BIN, 'construct', 'preset:default'])) },
];
for (const name of ['trialsWorker', 'sweepWorker']) {
  if (!existsSync(new URL(`../dist/src/workers/${name}.bundle.js`, import.meta.url))) {
    console.error(`bench/coldstart: dist/src/workers/${name}.bundle.js missing; run npm run build`);
    continue;
  }
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./workerStart.mjs', import.meta.url)), name, String(runs)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const { compiledMs, bundledMs } = JSON.parse(r.stdout) as { compiledMs: number; bundledMs: number };
  rows.push({ command: `${name} thread, start to first reply (compiled)`, medianMs: Math.round(compiledMs * 10) / 10 });
  rows.push({ command: `${name} thread, start to first reply (bundled)`, medianMs: Math.round(bundledMs * 10) / 10 });
}
console.table(rows);
const target = jsonTarget(process.argv);
if (target) writeBenchJson(target, { bench: 'coldstart', machine: machineInfo(), runs, rows });
