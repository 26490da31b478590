// Sweep throughput: platforms evaluated per second through `sweep` (construct + CONFIG + timeline,
// no trials), CSV text included, as the compiled package runs it (dist/, built by `npm ci`).
//   node --import tsx bench/sweep.bench.ts [--json FILE] [--quick]
//
// Two grids over the default 2-socket Sapphire Rapids machine:
//  - "capacity": 1/2/4 sockets × 128 GiB..1 TiB per socket × SNC1/2 × two policies × two TDMR
//    limits × cost values: a capacity-planning sweep, where most rows share a platform with
//    their neighbours (different costs), as real sweeps do;
//  - "structural": every row a different memory map (sockets × memory per socket in 16 GiB
//    steps × SNC), so no row reuses another's construction: the worst case.
// Rows: each grid in this thread (evaluator warm: the ceiling), then through sweepText with 1
// worker (this thread) and 2 worker threads (thread start-up and kernel loading included).

import { writeFileSync, existsSync } from 'node:fs';
import { Bench } from 'tinybench';
import { machineInfo, jsonTarget } from './machine.js';

if (!existsSync(new URL('../dist/src/model/sweep/run.js', import.meta.url))) {
  console.error('bench/sweep: dist/ is missing; build it first (npm ci or npx tsc)');
  process.exit(2);
}
// The compiled package, so that worker threads load JavaScript as users' do.
const { readSweepSpec } = (await import('../dist/src/model/sweep/spec.js')) as typeof import('../src/model/sweep/spec.js');
const { sweepText } = (await import('../dist/src/model/sweep/run.js')) as typeof import('../src/model/sweep/run.js');
const { SweepEvaluator } = (await import('../dist/src/model/sweep/evaluate.js')) as typeof import('../src/model/sweep/evaluate.js');
const { loadEngine } = (await import('../dist/src/construct/engine.js')) as typeof import('../src/construct/engine.js');

const quick = process.argv.includes('--quick');
const grids = {
  capacity: {
    base: 'preset:default',
    grid: {
      sockets: [1, 2, 4],
      memoryPerSocket: ['128G', '256G', '512G', '1T'],
      snc: [1, 2],
      policy: ['mainline', 'parallel-tdmr'],
      'module.maxTdmrs': [32, 64],
      'costs.lpInitUs': quick ? [20, 25] : [15, 20, 25, 30, 35],
      'costs.tdmrInitCallUs': Array.from({ length: quick ? 5 : 30 }, (_, i) => 5 + i * 0.5),
    },
  },
  structural: {
    base: 'preset:default',
    grid: {
      sockets: [1, 2, 4],
      memoryPerSocket: Array.from({ length: quick ? 16 : 64 }, (_, i) => `${64 + 16 * i}G`),
      snc: [1, 2, 4],
    },
  },
};

const bench = new Bench({ iterations: quick ? 2 : 5, time: 0, warmup: true, warmupIterations: 1, warmupTime: 0 });
const sizes = new Map<string, number>();
for (const [name, spec] of Object.entries(grids)) {
  const plan = readSweepSpec(JSON.stringify(spec), 'bench');
  const evaluator = new SweepEvaluator(plan, await loadEngine('wasm'));
  const add = (scenario: string, fn: () => unknown) => {
    sizes.set(scenario, plan.total);
    bench.add(scenario, fn as () => void);
  };
  add(`${name}: evaluator only (this thread, warm)`, () => {
    evaluator.evaluate({ start: 0, count: plan.total, step: 1 });
  });
  for (const workers of [1, 2]) {
    add(`${name}: sweep workers=${workers}`, async () => {
      await sweepText(plan, { format: 'csv', workers });
    });
  }
}
await bench.run();

const rows: Record<string, unknown>[] = [];
for (const task of bench.tasks) {
  const r = task.result as { latency?: { p50: number; min: number } };
  const platforms = sizes.get(task.name)!;
  if (!r.latency) {
    rows.push({ scenario: task.name, error: String((task.result as { error?: unknown }).error) });
    continue;
  }
  const ms = r.latency.p50;
  rows.push({
    scenario: task.name,
    platforms,
    medianMs: Math.round(ms),
    minMs: Math.round(r.latency.min),
    platformsPerSec: Math.round(platforms / (ms / 1000)),
    usPerPlatform: Math.round(((ms * 1000) / platforms) * 10) / 10,
  });
}

console.table(rows);
const target = jsonTarget(process.argv);
if (target) {
  writeFileSync(target, JSON.stringify({ bench: 'sweep', machine: machineInfo(), grids, rows }, null, 2) + '\n');
  console.log(`wrote ${target}`);
}
