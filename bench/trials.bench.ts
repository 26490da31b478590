// Monte Carlo trials speed: 3840 LPs (a 2-socket Granite Rapids host with SMT), 10,000 trials.
//   node --import tsx bench/trials.bench.ts [--json FILE] [--quick]
// Rows: the WASM kernel alone in this thread, then runTrials end to end with 1 worker (in
// process) and 2 workers (this thread and one worker thread; includes starting the thread and
// loading the kernel in it; from sources that also means transpiling the worker with tsx).


import { Bench } from 'tinybench';
import type { TrialProgram } from '../src/kernels/trialProgram.js';
import { runTrialsWasm } from '../src/kernels/trials.js';
import { runTrials } from '../src/workers/pool.js';
import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';

const quick = process.argv.includes('--quick');
const LPS = 3840;
const TRIALS = quick ? 2000 : 10_000;

const programs: Record<string, TrialProgram> = {
  'mainline LP.INIT (serial)': {
    steps: [{ name: 'lp-init', ops: [{ kind: 'serial', count: LPS, fixedUs: 5, medianUs: 20, sigma: 0.25 }] }],
  },
  'v7 LP.INIT (broadcast)': {
    steps: [{ name: 'lp-init', ops: [{ kind: 'parallel', count: LPS, fixedUs: 10, medianUs: 20, sigma: 0.25 }] }],
  },
};

const rows: Record<string, unknown>[] = [];
const bench = new Bench({ iterations: quick ? 2 : 5, time: 0, warmup: true, warmupIterations: 1, warmupTime: 0 });
for (const [name, program] of Object.entries(programs)) {
  bench.add(`${name} | kernel only`, () => {
    runTrialsWasm(program, 1, 0, TRIALS);
  });
  for (const workers of [1, 2]) {
    bench.add(`${name} | runTrials workers=${workers}`, async () => {
      await runTrials(program, { trials: TRIALS, seed: 1, workers });
    });
  }
}
await bench.run();

for (const task of bench.tasks) {
  const [scenario, engine] = task.name.split(' | ');
  const r = task.result as { latency?: { p50: number; min: number } };
  if (!r.latency) {
    rows.push({ scenario, engine, error: String((task.result as { error?: unknown }).error) });
    continue;
  }
  const ms = r.latency.p50;
  rows.push({
    scenario,
    engine,
    lps: LPS,
    trials: TRIALS,
    medianMs: Math.round(ms),
    minMs: Math.round(r.latency.min),
    trialsPerSec: Math.round(TRIALS / (ms / 1000)),
    drawsPerSec: `${((TRIALS * LPS) / (ms / 1000) / 1e6).toFixed(1)}M`,
  });
}

console.table(rows);
const target = jsonTarget(process.argv);
if (target) {
  writeBenchJson(target, { bench: 'trials', machine: machineInfo(), rows });
  console.log(`wrote ${target}`);
}
