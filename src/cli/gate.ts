// tdxmodel gate --baseline FILE INPUT... [--write-baseline] [--tolerance METRIC=N%|N]... [--policy P]
// Re-runs a corpus and compares each input's modeled numbers with a stored baseline; exit 1
// with a table of what regressed. Only a change for the worse counts as a regression.

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, writeFileAtomic, type Out } from './output.js';
import { InputError, usageError } from '../platform/errors.js';
import { parseJsonStrict } from '../platform/json.js';
import { readText } from '../platform/load.js';
import { loadAndSimulate } from '../workers/simulateRun.js';
import { metricsOf, type Metrics } from '../model/metrics.js';
import { table } from '../report/units.js';
import { green, red } from '../report/color.js';

const BASELINE_VERSION = 1;
type MetricName = 'time' | 'tdmrInit' | 'pamt' | 'tdmrs' | 'reserved';
const METRICS: Record<MetricName, { key: keyof Metrics; unit: string }> = {
  time: { key: 'timeUs', unit: 'µs' },
  tdmrInit: { key: 'tdmrInitUs', unit: 'µs' },
  pamt: { key: 'pamtKb', unit: 'KB' },
  tdmrs: { key: 'tdmrs', unit: '' },
  reserved: { key: 'reservedAreas', unit: '' },
};

interface Tolerance {
  relative: number;
  absolute: number;
}

/** time=5% (relative) or tdmrs=1 (absolute). Defaults: time 5%, others exact. */
export function parseTolerances(specs: string[]): Record<MetricName, Tolerance> {
  const t: Record<MetricName, Tolerance> = {
    time: { relative: 0.05, absolute: 0 }, tdmrInit: { relative: 0.05, absolute: 0 },
    pamt: { relative: 0, absolute: 0 }, tdmrs: { relative: 0, absolute: 0 }, reserved: { relative: 0, absolute: 0 },
  };
  for (const s of specs) {
    const m = /^([a-zA-Z]+)=([0-9]+(?:\.[0-9]+)?)(%?)$/.exec(s);
    if (!m) throw usageError(`--tolerance takes METRIC=N% or METRIC=N, got "${s}"`);
    if (!(m[1] in METRICS)) throw usageError(`--tolerance: unknown metric "${m[1]}" (known: ${Object.keys(METRICS).join(', ')})`);
    const v = Number(m[2]);
    t[m[1] as MetricName] = m[3] ? { relative: v / 100, absolute: 0 } : { relative: 0, absolute: v };
  }
  return t;
}

interface Baseline {
  schemaVersion: number;
  policy: string | null;
  entries: Record<string, Metrics>;
}

function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readText(file).text;
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.where, `${e.rule} (a baseline; create it with --write-baseline)`);
    throw e;
  }
  const doc = parseJsonStrict(text, file) as Partial<Baseline>;
  if (typeof doc !== 'object' || doc === null || doc.schemaVersion !== BASELINE_VERSION || typeof doc.entries !== 'object' || doc.entries === null) {
    throw new InputError(file, `not a tdxmodel baseline (schemaVersion ${BASELINE_VERSION} with "entries")`);
  }
  for (const [k, m] of Object.entries(doc.entries)) {
    for (const name of Object.values(METRICS)) {
      if (typeof (m as unknown as Record<string, unknown>)[name.key] !== 'number') throw new InputError(file, `entries["${k}"].${name.key}: expected a number`);
    }
    if (typeof m.initialized !== 'boolean') throw new InputError(file, `entries["${k}"].initialized: expected true or false`);
  }
  return doc as Baseline;
}

export async function gateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['baseline', 'policy', 'format', 'engine'], repeat: ['tolerance', 'set'], bools: ['write-baseline'] });
  const file = args.flags.get('baseline');
  if (!file || args.positional.length === 0) throw usageError('usage: tdxmodel gate --baseline FILE INPUT... [--write-baseline] [--tolerance time=5%]...');
  if (args.positional.includes('-')) throw usageError('gate inputs are files or presets, not standard input');
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  const engine = choiceFlag(args, 'engine', ['wasm', 'ts'] as const, 'wasm');
  const tol = parseTolerances(args.lists.get('tolerance') ?? []);
  const policy = args.flags.get('policy');
  const current: Record<string, Metrics> = {};
  for (const input of args.positional) {
    const { report } = await loadAndSimulate({ input, policy, engine, sets: args.lists.get('set') ?? [] });
    current[input] = metricsOf(report);
  }
  if (args.bools.has('write-baseline')) {
    const doc: Baseline = { schemaVersion: BASELINE_VERSION, policy: policy ?? null, entries: current };
    writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
    await out.write(`wrote baseline ${file} with ${Object.keys(current).length} input(s)\n`);
    return 0;
  }
  const baseline = readBaseline(file);
  const rows: { input: string; metric: string; baseline: string; current: string; change: string; regressed: boolean }[] = [];
  for (const [input, m] of Object.entries(current)) {
    const b = baseline.entries[input];
    if (!b) {
      rows.push({ input, metric: '(all)', baseline: '-', current: 'new', change: 'not in baseline', regressed: true });
      continue;
    }
    if (b.initialized !== m.initialized) {
      rows.push({ input, metric: 'outcome', baseline: b.initialized ? 'initialized' : 'failed', current: m.initialized ? 'initialized' : 'failed', change: '', regressed: b.initialized && !m.initialized });
    }
    for (const [name, def] of Object.entries(METRICS) as [MetricName, { key: keyof Metrics; unit: string }][]) {
      const was = b[def.key] as number;
      const now = m[def.key] as number;
      if (was === now) continue;
      const allowed = Math.abs(was) * tol[name].relative + tol[name].absolute;
      const pct = was !== 0 ? ` (${now > was ? '+' : ''}${(((now - was) / was) * 100).toFixed(2)}%)` : '';
      rows.push({ input, metric: name, baseline: `${was} ${def.unit}`.trim(), current: `${now} ${def.unit}`.trim(), change: `${now > was ? '+' : ''}${Math.round((now - was) * 1000) / 1000}${pct}`, regressed: now - was > allowed });
    }
  }
  const regressed = rows.filter((r) => r.regressed);
  if (format === 'json') {
    await writeOutput(undefined, JSON.stringify({ pass: regressed.length === 0, rows }) + '\n', out);
  } else {
    const lines = [`gate: ${Object.keys(current).length} input(s) against ${file}`];
    if (rows.length) lines.push(table(['', 'input', 'metric', 'baseline', 'current', 'change'], rows.map((r) => [r.regressed ? red('REGRESSED') : 'ok', r.input, r.metric, r.baseline, r.current, r.change])));
    lines.push(regressed.length ? red(`FAIL: ${regressed.length} regression(s) beyond tolerance`) : green('PASS: no regression beyond tolerance'));
    await out.write(lines.join('\n') + '\n');
  }
  return regressed.length ? 1 : 0;
}
