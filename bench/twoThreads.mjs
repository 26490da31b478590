// What two threads of this machine give on the trials kernel at this moment: one thread runs
// 2N trials, then this thread and a warmed worker run N each at the same time. Prints one JSON
// line: {"ratio": one/two, "msPer250": one thread's time per 250 trials}. On two dedicated cores
// the ratio is ~2.0; on the 2-vCPU development VM it was anywhere from 1.26 to 2.0 within the
// same minute (the host shares the cores), and `--workers 2` cannot beat what the cores give.
// bench/workers.bench.ts runs it before and after each round of the trials scenario, so that a
// round can be judged against the machine's own two-thread speed. Plain Node, compiled kernel.
//   node bench/twoThreads.mjs [N]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const { runTrialsWasm, loadTrialsKernel } = await import(new URL('../dist/src/kernels/trials.js', import.meta.url).href);
// One noisy serial op over 3840 LPs: the draw-bound loop that preset:8s-gnr-64t's trials spend
// their time in.
const program = { steps: [{ name: 'lp-init', ops: [{ kind: 'serial', count: 3840, fixedUs: 5, medianUs: 20, sigma: 0.2 }] }] };

function warm() {
  loadTrialsKernel();
  runTrialsWasm(program, 1, 0, 1000);
}

if (isMainThread) {
  const n = Number(process.argv[2] ?? 6000);
  warm();
  const worker = new Worker(new URL(import.meta.url), { workerData: { n } });
  await new Promise((resolve) => worker.once('message', resolve));
  let t = performance.now();
  runTrialsWasm(program, 1, 0, 2 * n);
  const one = performance.now() - t;
  t = performance.now();
  const done = new Promise((resolve) => worker.once('message', resolve));
  worker.postMessage('go');
  runTrialsWasm(program, 1, 0, n);
  await done;
  const two = performance.now() - t;
  await worker.terminate();
  console.log(JSON.stringify({ ratio: Math.round((one / two) * 1000) / 1000, msPer250: Math.round((one / (2 * n)) * 250 * 100) / 100 }));
} else {
  warm();
  parentPort.postMessage('ready');
  parentPort.on('message', () => {
    runTrialsWasm(program, 1, workerData.n, workerData.n);
    parentPort.postMessage('done');
  });
}
