// Sweep throughput: platforms evaluated per second through `tdxmodel sweep` (construct + CONFIG +
// timeline + readiness, no trials), CSV written, as users run it: the compiled CLI (dist/, built by
// `npm ci`) started as a fresh process, so thread start-up and JIT warm-up are included.
//   node --import tsx bench/sweep.bench.ts [--json FILE] [--quick]
//
// Grids over the default 2-socket Sapphire Rapids machine:
//  - "capacity" (14,400 rows) and "capacity-large" (360,000 rows): 1/2/4 sockets × 128 GiB..1 TiB
//    per socket × SNC1/2 × two policies × two TDMR limits × cost values. A capacity-planning and
//    sensitivity sweep: 96 platform/policy/limit combinations, each under many cost settings, so
//    a row mostly reuses its platform's construction and CONFIG verdict;
//  - "structural": every row a different memory map (1/2/4 sockets × 64..4,144 GiB per socket in
//    16 GiB steps × SNC1/2/4): every row builds, validates, constructs and checks CONFIG anew;
//    "structural-large" the same in 1 GiB steps to 8,255 GiB (73,728 rows, 30,720 of them invalid:
//    SNC nodes of a fraction of a GiB, refused per row as the CLI refuses them).
// Rows per grid: the evaluator alone in this thread, warm (the per-row ceiling of one core); the
// row text alone (RowText on evaluated chunks, and posted as a worker's reply), warm; then the
// CLI with --workers 1 (evaluation in the main thread) and --workers 2 (this thread and a worker).
// Each CLI run's output is checked to have every row.

import { writeFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(join(root, 'dist/src/workers/sweepRun.js'))) {
  console.error('bench/sweep: dist/ is missing; build it first (npm ci or npx tsc)');
  process.exit(2);
}
const { readSweepSpec } = (await import('../dist/src/model/sweep/spec.js')) as typeof import('../src/model/sweep/spec.js');
const { SweepEvaluator } = (await import('../dist/src/model/sweep/evaluate.js')) as typeof import('../src/model/sweep/evaluate.js');
const { loadEngine } = (await import('../dist/src/kernels/engine.js')) as typeof import('../src/kernels/engine.js');
const { RowText } = (await import('../dist/src/model/sweep/output.js')) as typeof import('../src/model/sweep/output.js');

const quick = process.argv.includes('--quick');
const capacityGrid = (costValues: number): Record<string, unknown> => ({
  sockets: [1, 2, 4],
  memoryPerSocket: ['128G', '256G', '512G', '1T'],
  snc: [1, 2],
  policy: ['mainline', 'parallel-tdmr'],
  'module.maxTdmrs': [32, 64],
  'costs.lpInitUs': [15, 20, 25, 30, 35],
  'costs.tdmrInitCallUs': Array.from({ length: costValues }, (_, i) => Math.round((5 + (i * 15) / costValues) * 1000) / 1000),
});
const grids: Record<string, { spec: object; iterations: number; evaluator: boolean }> = {
  capacity: { spec: { base: 'preset:default', grid: capacityGrid(quick ? 6 : 30) }, iterations: quick ? 2 : 5, evaluator: true },
  ...(quick ? {} : { 'capacity-large': { spec: { base: 'preset:default', grid: capacityGrid(750) }, iterations: 3, evaluator: false } }),
  ...(quick ? {} : {
    'structural-large': {
      spec: { base: 'preset:default', grid: { sockets: [1, 2, 4], memoryPerSocket: Array.from({ length: 8192 }, (_, i) => `${64 + i}G`), snc: [1, 2, 4] } },
      iterations: 3,
      evaluator: false,
    },
  }),
  structural: {
    spec: { base: 'preset:default', grid: { sockets: [1, 2, 4], memoryPerSocket: Array.from({ length: quick ? 32 : 256 }, (_, i) => `${64 + 16 * i}G`), snc: [1, 2, 4] } },
    iterations: quick ? 2 : 5,
    evaluator: true,
  },
};

const dir = mkdtempSync(join(tmpdir(), 'tdxmodel-bench-'));
const sizes = new Map<string, number>();
/** A scenario; `check` (untimed) runs once after its timed iterations. */
const tasks: { name: string; iterations: number; fn: () => void; check?: () => void }[] = [];

for (const [name, g] of Object.entries(grids)) {
  const specFile = join(dir, `${name}.json`);
  writeFileSync(specFile, JSON.stringify(g.spec));
  const plan = readSweepSpec(JSON.stringify(g.spec), name);
  const add = (scenario: string, fn: () => void, iterations = g.iterations, check?: () => void): void => {
    sizes.set(scenario, plan.total);
    tasks.push({ name: scenario, iterations, fn, check });
  };
  if (g.evaluator) {
    const evaluator = new SweepEvaluator(plan, await loadEngine('wasm'));
    evaluator.evaluate({ start: 0, count: plan.total, step: 1 }); // warm: JIT and caches
    add(`${name}: evaluator only (this thread, warm)`, () => void evaluator.evaluate({ start: 0, count: plan.total, step: 1 }));
    // What a row costs around evaluate(): its text, made from the evaluated chunk (CSV and JSON
    // Lines), and that text posted to another thread as a worker's reply is (its bytes moved).
    const chunks = Array.from({ length: Math.ceil(plan.total / 256) }, (_, c) => {
      const start = c * 256;
      return { start, rows: evaluator.evaluate({ start, count: Math.min(256, plan.total - start), step: 1 }) };
    });
    const { port1, port2 } = new MessageChannel();
    port2.on('message', () => undefined);
    port2.unref();
    for (const format of ['csv', 'jsonl'] as const) {
      add(`${name}: row text only, ${format} (this thread, warm)`, () => {
        const text = new RowText(plan, format);
        // Each chunk's buffer given back once "written", as the sweep's writer does.
        for (const c of chunks) text.recycle(text.rows(c.rows, c.start, 1));
      }, g.iterations * 3);
    }
    add(`${name}: row text csv + postMessage (this thread, warm)`, () => {
      const text = new RowText(plan, 'csv');
      for (const c of chunks) {
        const bytes = text.rows(c.rows, c.start, 1);
        port1.postMessage({ bytes, failed: 0, invalid: 0 }, [bytes.buffer]);
      }
    }, g.iterations * 3);
  }
  for (const workers of [1, 2]) {
    const out = join(dir, `${name}-w${workers}.csv`);
    // Timed: the CLI run alone. Checked once afterwards (reading back 50 MB of CSV took 0.4 s
    // of the parent's time, which was counted in the run's before).
    add(`${name}: CLI --workers ${workers}`, () => {
      const r = spawnSync(process.execPath, [join(root, 'bin/tdxmodel.js'), 'sweep', specFile, '--workers', String(workers), '--out', out], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sweep exited ${r.status}: ${r.stderr}`);
    }, g.iterations, () => {
      const lines = readFileSync(out, 'utf8').split('\n').length - 2; // header, final newline
      if (lines !== plan.total) throw new Error(`sweep wrote ${lines} rows of ${plan.total}`);
    });
  }
}

// tinybench runs a task's iterations back to back; each task gets its own count here.
const rows: Record<string, unknown>[] = [];
for (const t of tasks) {
  const b = new Bench({ iterations: t.iterations, time: 0, warmup: false });
  b.add(t.name, t.fn);
  await b.run();
  t.check?.();
  const r = b.tasks[0].result as { latency?: { p50: number; min: number }; error?: unknown };
  const platforms = sizes.get(t.name)!;
  if (!r.latency) {
    rows.push({ scenario: t.name, error: String(r.error) });
    continue;
  }
  const ms = r.latency.p50;
  rows.push({
    scenario: t.name,
    platforms,
    medianMs: Math.round(ms),
    minMs: Math.round(r.latency.min),
    platformsPerSec: Math.round(platforms / (ms / 1000)),
    usPerPlatform: Math.round(((ms * 1000) / platforms) * 10) / 10,
  });
}
rmSync(dir, { recursive: true, force: true });

console.table(rows);
const target = jsonTarget(process.argv);
if (target) {
  writeBenchJson(target, { bench: 'sweep', machine: machineInfo(), grids: Object.fromEntries(Object.entries(grids).map(([k, g]) => [k, g.spec])), rows });
  console.log(`wrote ${target}`);
}
