// Simulate at scale: the hypothetical 8-socket 64 TiB / 3840-LP preset with 10,000 trials, as
// a user runs it (a fresh `tdxmodel` process from the compiled JS), with 1 and 2 workers.
//   node --import tsx bench/simulate.bench.ts [--json FILE] [--runs N]
import { spawnSync } from 'node:child_process';

import { fileURLToPath } from 'node:url';
import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';

const BIN = fileURLToPath(new URL('../bin/tdxmodel.js', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const args = ['simulate', 'preset:8s-gnr-64t', '--trials', '10000', '--seed', '1', '--set', 'costs.lpInitSigma=0.2', '--set', 'costs.tdmrInitSigma=0.1', '--format', 'json', '--timing'];

function once(workers: number): { wallMs: number; trialsMs: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args, '--workers', String(workers)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`simulate failed: ${r.stderr}`);
  return { wallMs, trialsMs: JSON.parse(r.stdout).timing.trialsMs };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Record<string, unknown>[] = [];
const byWorkers = new Map<number, { wall: number; trials: number }>();
for (const w of [1, 2]) {
  once(w); // warm the file cache
  const samples = Array.from({ length: runs }, () => once(w));
  const wall = median(samples.map((s) => s.wallMs));
  const trials = median(samples.map((s) => s.trialsMs));
  byWorkers.set(w, { wall, trials });
  rows.push({ scenario: '8s-gnr-64t, 10k trials', workers: w, wallMs: Math.round(wall), trialsMs: Math.round(trials) });
}
const s1 = byWorkers.get(1)!;
const s2 = byWorkers.get(2)!;
rows.push({ scenario: 'speed-up 1 → 2 workers', workers: '', wallMs: Math.round((s1.wall / s2.wall) * 100) / 100, trialsMs: Math.round((s1.trials / s2.trials) * 100) / 100 });
console.table(rows);
const target = jsonTarget(process.argv);
if (target) writeBenchJson(target, { bench: 'simulate', machine: machineInfo(), runs, rows });
