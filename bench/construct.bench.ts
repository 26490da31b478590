// Construction speed: the WASM engine against the TypeScript oracle (the kernel's loops).
//   node --import tsx bench/construct.bench.ts [--json FILE] [--quick]
// Realistic: the 200 kernel vectors as one batch (platforms per second).
// Stress: 1k … 1M memory regions over 8 nodes and 64 TiB. The oracle follows the kernel's loops
// (quadratic and worse: every allocation steps over every earlier PAMT), so it runs up to 10k
// regions (minutes) and the table says where it did not run.


import { Bench } from 'tinybench';
import { readVectors } from '../test/helpers/vectors.js';
import { stressPlatform } from '../test/helpers/stressPlatform.js';
import { constructReference } from '../src/reference/construct.js';
import { constructWasm, constructWasmBatch } from '../src/kernels/construct.js';
import { canonicalResult } from '../src/construct/canonical.js';
import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';

const quick = process.argv.includes('--quick');
const vectors = readVectors().map((v) => v.input);
const rows: Record<string, unknown>[] = [];

async function corpus(): Promise<void> {
  const bench = new Bench({ time: quick ? 300 : 2000, warmupTime: 200 });
  bench
    .add('corpus: wasm batch', () => { constructWasmBatch(vectors); })
    .add('corpus: ts oracle', () => { for (const v of vectors) constructReference(v); });
  await bench.run();
  const med = (name: string): number => {
    const t = bench.tasks.find((x) => x.name === name)!;
    return (t.result as { latency: { p50: number } }).latency.p50;
  };
  const wasmMs = med('corpus: wasm batch');
  const tsMs = med('corpus: ts oracle');
  rows.push({ scenario: 'vector corpus (200 platforms)', engine: 'wasm batch', medianMs: wasmMs, platformsPerSec: Math.round(vectors.length / (wasmMs / 1000)) });
  rows.push({ scenario: 'vector corpus (200 platforms)', engine: 'ts oracle', medianMs: tsMs, platformsPerSec: Math.round(vectors.length / (tsMs / 1000)) });
  rows.push({ scenario: 'vector corpus (200 platforms)', engine: 'speed-up', ratio: Math.round((tsMs / wasmMs) * 10) / 10 });
}

function timeOnce(f: () => unknown, reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function stress(regions: number, oracle: boolean): void {
  const input = stressPlatform(regions, 1);
  const reps = regions >= 1_000_000 ? 3 : 5;
  const rssBefore = process.memoryUsage().rss;
  const wasmMs = timeOnce(() => constructWasm(input), reps);
  const rssAfter = process.memoryUsage().rss;
  const result = constructWasm(input);
  const row: Record<string, unknown> = {
    scenario: `stress ${regions.toLocaleString('en')} regions`, engine: 'wasm', medianMs: Math.round(wasmMs * 10) / 10,
    tdmrs: result.ok ? result.tdmrs.length : result.error, rssMiB: Math.round(Math.max(rssBefore, rssAfter) / 2 ** 20),
  };
  rows.push(row);
  if (oracle) {
    const tsMs = timeOnce(() => constructReference(input), 1);
    const same = canonicalResult(constructReference(input)) === canonicalResult(result);
    rows.push({ scenario: row.scenario, engine: 'ts oracle', medianMs: Math.round(tsMs), identical: same });
    rows.push({ scenario: row.scenario, engine: 'speed-up', ratio: Math.round((tsMs / wasmMs) * 10) / 10 });
  } else {
    rows.push({ scenario: row.scenario, engine: 'ts oracle', note: 'not run: the kernel\'s loops grow faster than n², hours at this size' });
  }
}

await corpus();
stress(1_000, true);
stress(4_000, true);
stress(10_000, !quick);
stress(100_000, false);
if (!quick) stress(1_000_000, false);

console.table(rows);
const target = jsonTarget(process.argv);
if (target) {
  writeBenchJson(target, { bench: 'construct', machine: machineInfo(), rows });
  console.log(`wrote ${target}`);
}
