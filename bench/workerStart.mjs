// A worker thread's start, to its first reply, from the compiled script and from its bundle
// (scripts/bundle.mjs), interleaved; medians in ms as one JSON line. Plain Node (no tsx
// loader hooks, which worker threads would inherit): the threads start as the CLI starts them.
//   node bench/workerStart.mjs NAME RUNS
import { Worker } from 'node:worker_threads';

const [name, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 15);

// The pool's api (comlink) answers any request once the script has run; the kernels are
// instantiated at its top, so the reply comes when the worker is ready for work.
function firstReply(script) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const w = new Worker(script);
    w.once('message', () => {
      const ms = performance.now() - t0;
      void w.terminate().then(() => resolve(ms));
    });
    w.once('error', reject);
    w.postMessage({ id: 'bench', type: 'GET', path: ['nothing'] });
  });
}

const plain = new URL(`../dist/src/workers/${name}.js`, import.meta.url);
const bundle = new URL(`../dist/src/workers/${name}.bundle.js`, import.meta.url);
const a = [];
const b = [];
await firstReply(plain);
await firstReply(bundle);
for (let i = 0; i < runs; i++) {
  a.push(await firstReply(plain));
  b.push(await firstReply(bundle));
}
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
console.log(JSON.stringify({ compiledMs: median(a), bundledMs: median(b) }));
