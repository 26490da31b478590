// Importers on large inputs (issue 13.7): each one fed an input far beyond a real capture, with
// its wall time and the time target it must meet. Before the fix, the 20,000 e820 + 20,000 SRAT
// log took 116 s (node assignment was quadratic) and lscpu -p with 50,000 threads on one core
// ran past 120 s.
//   node --import tsx bench/importers.bench.ts [--json FILE] [--runs N]

import { machineInfo, jsonTarget, writeBenchJson } from './machine.js';
import { importSources } from '../src/platform/importers/merge.js';
import { readLscpu, lscpuToCpus } from '../src/platform/importers/lscpu.js';
import { readKernelLog } from '../src/platform/importers/dmesg.js';
import { InputError } from '../src/platform/errors.js';
import { e820SratLog, lscpuOneCore, lscpuManyCores, iomemText, sysNodeText, manyBootsJournal } from '../test/helpers/importerInputs.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
/** Every scenario must finish well inside this; the quadratic code took minutes. */
const TARGET_MS = 10_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(f: () => string): { ms: number; result: string } {
  let result = '';
  const times = Array.from({ length: runs }, () => {
    const t0 = performance.now();
    result = f();
    return performance.now() - t0;
  });
  return { ms: Math.round(median(times)), result };
}

/** An import that ends in a refusal (exit 2 on the command line) is a result here, not a failure. */
function imported(sources: { file: string; text: string }[]): string {
  try {
    const r = importSources(sources);
    return `${(r.document.memory as unknown[]).length} memory ranges`;
  } catch (e) {
    if (e instanceof InputError) return `refused: ${e.message.slice(0, 70)}`;
    throw e;
  }
}

const e820 = e820SratLog(20000);
const scenarios: { scenario: string; bytes: number; run: () => string }[] = [
  { scenario: 'import: dmesg, 20,000 e820 + 20,000 SRAT lines', bytes: e820.length, run: () => imported([{ file: 'dmesg', text: e820 }]) },
  { scenario: 'lscpu -p, 50,000 threads on one core (read + topology)', bytes: 0, run: () => { const t = lscpuOneCore(50000); return `${JSON.stringify(lscpuToCpus(readLscpu(t, 'l'), () => 0).cpus).slice(0, 60)}`; } },
  { scenario: 'import: lscpu -p, 50,000 threads on one core', bytes: 0, run: () => imported([{ file: 'dmesg', text: e820SratLog(8) }, { file: 'lscpu', text: lscpuOneCore(50000) }]) },
  { scenario: 'import: lscpu -p, 50,000 CPUs on 8 sockets', bytes: 0, run: () => imported([{ file: 'dmesg', text: e820SratLog(8) }, { file: 'lscpu', text: lscpuManyCores(50000) }]) },
  { scenario: 'import: /proc/iomem, 20,000 System RAM ranges', bytes: 0, run: () => imported([{ file: 'iomem', text: iomemText(20000) }]) },
  { scenario: 'import: sysfs node listing, 20,000 blocks', bytes: 0, run: () => imported([{ file: 'sysnode', text: sysNodeText(20000) }]) },
  { scenario: 'read: journal of 5,000 boots (last boot)', bytes: 0, run: () => `boot ${readKernelLog(manyBootsJournal(5000), 'j').boot.used}` },
];

const rows = scenarios.map((s) => {
  const { ms, result } = measure(s.run);
  return { scenario: s.scenario, medianMs: ms, targetMs: TARGET_MS, met: ms <= TARGET_MS, result };
});
console.table(rows);
const target = jsonTarget(process.argv);
if (target) writeBenchJson(target, { bench: 'importers', machine: machineInfo(), runs, rows });
