// Cold start: `tdxmodel simulate preset:default` as a fresh process, against `node -e 0`.
//   node --import tsx bench/coldstart.bench.ts [--json FILE] [--runs N]
import { spawnSync } from 'node:child_process';

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

const rows = [
  { command: 'node -e 0 (Node alone)', medianMs: Math.round(measure(['-e', '0'])) },
  { command: 'tdxmodel --help', medianMs: Math.round(measure([BIN, '--help'])) },
  { command: 'tdxmodel simulate preset:default', medianMs: Math.round(measure([BIN, 'simulate', 'preset:default'])) },
  { command: 'tdxmodel construct preset:default', medianMs: Math.round(measure([BIN, 'construct', 'preset:default'])) },
];
console.table(rows);
const target = jsonTarget(process.argv);
if (target) writeBenchJson(target, { bench: 'coldstart', machine: machineInfo(), runs, rows });
