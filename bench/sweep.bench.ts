// Sweep throughput: platforms evaluated per second on a realistic grid over the default
// 2-socket Sapphire Rapids machine (1/2/4 sockets, 128 GiB..1 TiB per socket, SNC1/2, two
// policies, two TDMR limits, cost values), end to end as `tdxmodel sweep` runs it, CSV text
// included.
//   node --import tsx bench/sweep.bench.ts [--json FILE] [--quick]
// Rows: the evaluator alone in this thread (warm: the ceiling set by simulate() itself), then
// the sweep with 1 worker (this thread) and 2 worker threads. The threaded row includes
// starting the threads and loading the kernel in each; from sources that also means
// transpiling the worker with tsx, so the compiled CLI starts faster than this shows.

import { writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { readSweepSpec } from '../src/model/sweep/spec.js';
import { sweepText } from '../src/model/sweep/run.js';
import { SweepEvaluator } from '../src/model/sweep/evaluate.js';
import { loadEngine } from '../src/construct/engine.js';
import { machineInfo, jsonTarget } from './machine.js';

const quick = process.argv.includes('--quick');
const costValues = Array.from({ length: quick ? 5 : 30 }, (_, i) => 5 + i * 0.5);
const spec = {
  base: 'preset:default',
  grid: {
    sockets: [1, 2, 4],
    memoryPerSocket: ['128G', '256G', '512G', '1T'],
    snc: [1, 2],
    policy: ['mainline', 'parallel-tdmr'],
    'module.maxTdmrs': [32, 64],
    'costs.tdmrInitCallUs': costValues,
  },
};
const plan = readSweepSpec(JSON.stringify(spec), 'bench');
const ROWS = plan.total;

const evaluator = new SweepEvaluator(plan, await loadEngine('wasm'));
const bench = new Bench({ iterations: quick ? 2 : 3, time: 0, warmup: true, warmupIterations: 1, warmupTime: 0 });
bench.add('evaluator only (this thread, warm)', () => {
  evaluator.evaluate({ start: 0, count: ROWS, step: 1 });
});
for (const workers of [1, 2]) {
  bench.add(`sweep workers=${workers}`, async () => {
    await sweepText(plan, { format: 'csv', workers });
  });
}
await bench.run();

const rows: Record<string, unknown>[] = [];
for (const task of bench.tasks) {
  const r = task.result as { latency?: { p50: number; min: number } };
  if (!r.latency) {
    rows.push({ scenario: task.name, error: String((task.result as { error?: unknown }).error) });
    continue;
  }
  const ms = r.latency.p50;
  rows.push({
    scenario: task.name,
    platforms: ROWS,
    medianMs: Math.round(ms),
    minMs: Math.round(r.latency.min),
    platformsPerSec: Math.round(ROWS / (ms / 1000)),
    usPerPlatform: Math.round((ms * 1000) / ROWS),
  });
}

console.table(rows);
const target = jsonTarget(process.argv);
if (target) {
  writeFileSync(target, JSON.stringify({ bench: 'sweep', machine: machineInfo(), grid: spec.grid, rows }, null, 2) + '\n');
  console.log(`wrote ${target}`);
}
