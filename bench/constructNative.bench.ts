// The construct batch against the kernel's own C code (the native anchor: construct_tdmrs()
// and everything it calls, compiled with gcc -O2; see its README). The anchor is GPL kernel
// code and never part of this repository: give the path of a built binary, or this prints one
// line and skips.
//   TDXMODEL_NATIVE_ANCHOR=/path/to/tdx-native npm run bench:native [-- --json FILE] [--quick]
//   node --import tsx bench/constructNative.bench.ts --anchor /path/to/tdx-native
// Needs `npm run build` (the WASM side runs the compiled package, dist/, as users load it).
//
// Both sides are timed the same way, each in a fresh process: parse every input first
// (untimed), warm up, then K passes of construction only over the whole file
// (bench/constructPasses.mjs for constructWasmBatch, `tdx-native bench` for the C code).
// Repetitions alternate native, WASM, native, WASM… because this machine's speed drifts; the
// result is the median of the per-pair ratios. Corpora: the 200 public golden vectors, 400
// random realistic platforms (test/helpers/randomPlatform.ts, restricted to what the anchor
// models: memblock holes, no Dynamic PAMT), and one 100,000-region platform
// (test/helpers/stressPlatform.ts). Before timing, the two must print the same RESULT for every
// platform of every corpus (checked on the anchor's first timed run).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VECTORS_PATH } from '../test/helpers/vectors.js';
import { randomPlatform } from '../test/helpers/randomPlatform.js';
import { stressPlatform } from '../test/helpers/stressPlatform.js';
import type { ConstructInput } from '../src/construct/types.js';
import { hex } from '../src/construct/hex.js';
import { validatePlatform } from '../src/platform/validate.js';
import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';

const argv = process.argv.slice(2);
const anchorAt = argv.indexOf('--anchor');
const anchor = anchorAt >= 0 ? argv[anchorAt + 1] : process.env.TDXMODEL_NATIVE_ANCHOR;
if (!anchor || !existsSync(anchor)) {
  console.log('bench:native skipped: no native anchor (set TDXMODEL_NATIVE_ANCHOR or pass --anchor PATH to a built tdx-native)');
  process.exit(0);
}
const quick = argv.includes('--quick');
const withStress = !argv.includes('--no-100k');
const passesScript = fileURLToPath(new URL('./constructPasses.mjs', import.meta.url));

/** A ConstructInput as the platform document both sides read (hex addresses). */
function document(input: ConstructInput, name: string): string {
  return JSON.stringify({
    name,
    memory: input.memory.map((m) => ({ start: hex(m.start), end: hex(m.end), node: m.node })),
    reserved: input.reserved.map((r) => ({ start: hex(r.start), end: hex(r.end) })),
    nodeDistance: input.nodeDistance,
    module: {
      maxTdmrs: input.maxTdmrs,
      maxReservedPerTdmr: input.maxReservedPerTdmr,
      pamtEntrySize4k: input.pamtEntrySize[0],
      pamtEntrySize2m: input.pamtEntrySize[1],
      pamtEntrySize1g: input.pamtEntrySize[2],
    },
  });
}

interface Pass {
  platformsPerSec: number;
  usPerPlatform: number;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

function lastJson(text: string): Pass {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Pass;
}

/** Same RESULT line for every platform (native lines from its first timed run), or no timing is reported. */
function checkSame(file: string, nativeResults: string): void {
  const native = readFileSync(nativeResults, 'utf8').trim().split('\n');
  const wasm = run(process.execPath, [passesScript, file, '--print']).trim().split('\n');
  if (native.length !== wasm.length) throw new Error(`${file}: ${native.length} native results, ${wasm.length} wasm`);
  native.forEach((line, i) => {
    if (line !== wasm[i]) throw new Error(`${file}: platform ${i + 1} differs between the anchor and constructWasmBatch`);
  });
}

function accepted(doc: string): boolean {
  try {
    validatePlatform(JSON.parse(doc));
    return true;
  } catch {
    return false;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function compare(label: string, file: string, passes: number, warmup: number, reps: number): Record<string, unknown> {
  const native: Pass[] = [];
  const wasm: Pass[] = [];
  const nativeResults = join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.native-results`);
  for (let r = 0; r < reps; r++) {
    const keep = r === 0 ? ['--result', nativeResults] : [];
    native.push(lastJson(run(anchor!, ['bench', file, '--passes', String(passes), '--warmup', String(warmup), ...keep])));
    if (r === 0) checkSame(file, nativeResults);
    wasm.push(lastJson(run(process.execPath, [passesScript, file, '--passes', String(passes), '--warmup', String(warmup)])));
  }
  const ratios = wasm.map((w, i) => w.platformsPerSec / native[i]!.platformsPerSec);
  const row = {
    corpus: label,
    passes,
    warmup,
    repetitions: reps,
    nativePlatformsPerSec: median(native.map((p) => p.platformsPerSec)),
    wasmPlatformsPerSec: median(wasm.map((p) => p.platformsPerSec)),
    nativeUsPerPlatform: median(native.map((p) => p.usPerPlatform)),
    wasmUsPerPlatform: median(wasm.map((p) => p.usPerPlatform)),
    wasmOverNative: Math.round(median(ratios) * 1000) / 1000,
    ratios: ratios.map((x) => Math.round(x * 1000) / 1000),
  };
  console.log(JSON.stringify(row));
  return row;
}

const dir = mkdtempSync(join(tmpdir(), 'tdxmodel-native-'));
try {
  const randomFile = join(dir, 'random.jsonl');
  const docs: string[] = [];
  for (let seed = 1; docs.length < 400; seed++) {
    // What the anchor models: mainline construction with memblock holes, no Dynamic PAMT; and
    // only documents the package accepts (the generator also makes limits validation refuses).
    const doc = document({ ...randomPlatform(seed), holes: 'memblock', dynamicPamt: false }, `random-${seed}`);
    if (accepted(doc)) docs.push(doc);
  }
  writeFileSync(randomFile, docs.join('\n') + '\n');
  const reps = quick ? 3 : 5;
  const rows = [
    // Warm-up: 2,000 passes (400,000 constructions, under a second). In its first ~500 passes
    // V8 grows its young generation from 1 to 16 MiB semispaces, and on this VM touching the
    // new pages stalls the WASM side for ~100 ms (measured on the vectors: passes 400-500 at
    // 4.8-5.9 µs a platform, 1.8-2.0 µs before and after); with the former 300 passes that one-time
    // start-up cost fell inside the timed window in some repetitions and not in others. Start-up
    // is measured by the CLI benches; this row compares the cost per platform. The anchor gets
    // the same warm-up (it changes nothing for compiled C).
    compare('200 public vectors', VECTORS_PATH, quick ? 200 : 1000, 2000, reps),
    compare('400 random realistic platforms', randomFile, quick ? 100 : 500, 150, reps),
  ];
  if (withStress) {
    const stressFile = join(dir, 'stress100k.jsonl');
    writeFileSync(stressFile, document(stressPlatform(100_000, 1), 'stress-100k') + '\n');
    // The kernel's loops take about a minute per pass here: one pass, one pair.
    rows.push(compare('100,000 memory regions (one platform)', stressFile, 1, 0, 1));
  }
  const target = jsonTarget(process.argv) ?? 'bench/results/constructNative.json';
  writeBenchJson(target, { bench: 'constructNative', anchor, machine: machineInfo(), rows });
  console.log(`wrote ${target}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
