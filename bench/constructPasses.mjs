// One side of the native comparison (bench/constructNative.bench.ts): the package's own
// constructWasmBatch, compiled (dist/, as users load it; no TypeScript loader in the way),
// timed the way the native anchor's `bench` times the kernel's C code: parse every input
// first (untimed), warm up, then K passes of construction only over the whole file.
//   node bench/constructPasses.mjs FILE.jsonl --passes K [--warmup W]   (or --print)
// Prints one JSON line: platforms, passes, seconds, platformsPerSec, usPerPlatform.

import { readFileSync } from 'node:fs';

const dist = new URL('../dist/src/index.js', import.meta.url);
const { validatePlatform, toConstructInput, constructWasmBatch, canonicalResult } = await import(dist.href);

const args = process.argv.slice(2);
const option = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const file = args[0];
const passes = option('--passes', 100);
const warmup = option('--warmup', 300);

// A line is a platform document or {"input": document, ...} (the golden-vector format).
const inputs = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((line) => {
  const o = JSON.parse(line);
  return toConstructInput(validatePlatform(o.input ?? o));
});

// --print: the RESULT lines instead of a timing (the bench checks them against the anchor).
// (No process.exit after writing: it would cut off output still queued for a pipe.)
if (args.includes('--print')) {
  process.stdout.write(constructWasmBatch(inputs).map(canonicalResult).join('\n') + '\n');
} else {
  time();
}

function time() {
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += constructWasmBatch(inputs).length;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < passes; i++) sink += constructWasmBatch(inputs).length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const done = passes * inputs.length;
  console.log(JSON.stringify({
    impl: 'wasm', file, platforms: inputs.length, passes, warmup, seconds,
    platformsPerSec: Math.round(done / seconds), usPerPlatform: (seconds * 1e6) / done, checksum: sink,
  }));
}
