// Guest boot model speed.
//   node --import tsx bench/guest-boot.bench.ts [--json FILE] [--quick]
// Rows: the whole boot model (planBoot + every acceptance job + assembly) of a 248-vCPU,
// 2.5 TiB TD (target: under 1 s); the accept kernel against its TypeScript oracle on one job
// of 248 vCPUs × 2^20 pages (target: WASM at least 5× faster).


import { validateTd } from '../src/guest/document.js';
import { GUEST_COST_PARAMETERS } from '../src/guest/costs.js';
import { getTdPreset } from '../src/guest/presets.js';
import { runBoot } from '../src/workers/guestRun.js';
import { acceptWasm } from '../src/guest/boot/acceptWasm.js';
import { acceptOracle } from '../src/guest/boot/acceptOracle.js';
import type { AcceptJob } from '../src/guest/boot/acceptJob.js';
import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 7;
const values = Object.fromEntries(GUEST_COST_PARAMETERS.map((p) => [p.name, p.default]));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeMs(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const rows: Record<string, unknown>[] = [];
const large = validateTd(getTdPreset('td-large')).td;
for (const variant of [{ label: 'lazy, 64 allocators', td: large }, { label: 'firmware eager', td: { ...large, firmware: { ...large.firmware, accept: 'eager' as const } } }]) {
  const ms = await timeMs(() => runBoot(variant.td, values, { trials: 0, seed: 1, workers: 1 }));
  rows.push({ scenario: `boot model, 248 vCPUs, 2.5 TiB (${variant.label})`, medianMs: Number(ms.toFixed(1)), targetMs: 1000, ok: ms < 1000 });
}

const job: AcceptJob = { vcpus: 248, units: quick ? 1 << 18 : 1 << 20, parallelUs: 6.3, serialUs: 1.7, jitter: 0.1, seed: 1, samples: 64 };
const wasm = await timeMs(() => acceptWasm(job, 0, 1));
const oracle = await timeMs(() => acceptOracle(job, 0, 1));
rows.push({ scenario: `accept kernel, 248 vCPUs × ${job.units} pages`, wasmMs: Number(wasm.toFixed(1)), oracleMs: Number(oracle.toFixed(1)), speedup: Number((oracle / wasm).toFixed(1)), targetSpeedup: 5, ok: oracle / wasm >= 5 });

console.table(rows);
const target = jsonTarget(process.argv);
if (target) writeBenchJson(target, { bench: 'guest-boot', machine: machineInfo(), runs, rows });
