// tdxmodel gate --baseline FILE INPUT... [--write-baseline] [--tolerance METRIC=V]... [--policy P]
//   [--allow-missing] [--allow-option-change]
// Re-runs a corpus and compares each input's modeled numbers with a stored baseline; exit 1
// with a table of what regressed. Only a change for the worse beyond its tolerance counts as a
// regression; improvements are shown. Inputs of the baseline missing from the run, and a
// policy or option that differs from the baseline's, fail the gate unless allowed.

import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { INPUT_HELP, SET, ENGINE } from './options.js';
import { POLICY } from './modelOptions.js';
import { writeOutput, type Out } from './output.js';
import { InputError, printable, usageError } from '../platform/errors.js';
import { parseJsonStrict } from '../platform/json.js';
import { readText } from '../platform/load.js';
import { loadAndSimulate } from '../workers/simulateRun.js';
import { metricsOf } from '../model/metrics.js';
import {
  BASELINE_VERSION, KEYS_NOTE, METRICS, TOLERANCE_HELP, compareWithBaseline, inputKey, parseTolerances, validateBaseline,
  type Baseline, type BaselineEntry, type GateOptions, type GateResult, type GateRow,
} from '../model/gate.js';
import { formatBytes, formatUs, table } from '../report/units.js';
import { green, red } from '../report/color.js';

function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readText(file).text;
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.where, `${e.rule} (a baseline; create it with --write-baseline)`);
    throw e;
  }
  return validateBaseline(parseJsonStrict(text, file), file);
}

/** A stored number in human units (the JSON output keeps the raw number). */
function human(v: number | string | null, unit: string): string {
  if (v === null) return '-';
  if (typeof v === 'string') return v;
  if (unit === 'µs') return formatUs(v);
  if (unit === 'KB') return formatBytes(v * 1024);
  return String(v);
}

function changeText(r: GateRow): string {
  if (r.change === null) return '';
  const sign = r.change > 0 ? '+' : r.change < 0 ? '-' : '';
  const pct = r.changePercent === null ? '' : ` (${r.changePercent > 0 ? '+' : ''}${r.changePercent.toFixed(2)}%)`;
  return `${sign}${human(Math.abs(r.change), r.unit)}${pct}`;
}

const STATUS_TEXT: Record<GateRow['status'], string> = {
  regressed: 'REGRESSED', worse: 'worse (within tolerance)', improved: 'improved', new: 'NEW (not in baseline)',
  missing: 'MISSING from the run', 'missing-allowed': 'missing (--allow-missing)',
  'changed-option': 'OPTION CHANGED', 'changed-option-allowed': 'option changed (--allow-option-change)',
};

function textReport(file: string, res: GateResult): string {
  const lines = [`gate: ${res.inputs} input(s) against ${printable(file)}`];
  if (res.rows.length) {
    lines.push(table(['', 'input', 'metric', 'baseline', 'current', 'change', 'tolerance'], res.rows.map((r) => [
      r.fails ? red(STATUS_TEXT[r.status]) : r.status === 'improved' ? green(STATUS_TEXT[r.status]) : STATUS_TEXT[r.status],
      printable(r.input), r.metric, human(r.baseline, r.unit), human(r.current, r.unit), changeText(r), r.tolerance ?? '',
    ])));
  }
  const failing = res.rows.filter((r) => r.fails);
  const improved = res.improvements ? `; ${res.improvements} improvement(s)` : '';
  if (!failing.length) {
    lines.push(green(`PASS: no regression beyond tolerance${improved}`));
  } else {
    const why = [
      res.regressions && `${res.regressions} regression(s) beyond tolerance`,
      failing.some((r) => r.status === 'missing') && 'baseline input(s) missing from the run (--allow-missing to accept)',
      failing.some((r) => r.status === 'new') && 'input(s) not in the baseline (--write-baseline to add)',
      failing.some((r) => r.status === 'changed-option') && 'policy or options differ from the baseline\'s (--allow-option-change to accept)',
    ].filter(Boolean);
    lines.push(red(`FAIL: ${why.join('; ')}${improved}`));
  }
  return lines.join('\n') + '\n';
}

export const GATE: CommandSpec = {
  name: 'gate',
  summary: "Re-run a corpus of platforms and compare each one's modeled numbers with a stored baseline; exit 1 with a table of what got worse beyond the tolerances.",
  usage: ['gate --baseline FILE INPUT... [options]', 'gate --baseline FILE --write-baseline INPUT...'],
  positional: INPUT_HELP.replace('INPUT:', 'INPUT: each').replace(', - for standard input,', ','),
  options: [
    { name: 'baseline', value: 'FILE', help: 'the baseline to compare with (or to write with --write-baseline); required' },
    { name: 'write-baseline', help: 'record the current numbers as the baseline instead of comparing' },
    { name: 'tolerance', value: 'METRIC=V', repeat: true, help: `how much worse a metric may get: ${TOLERANCE_HELP}` },
    { name: 'allow-missing', help: 'inputs in the baseline that this run does not include are listed, not failed' },
    { name: 'allow-option-change', help: "a --policy, --set or --engine (or a platform's resolved policy) that differs from the baseline's is reported, not failed" },
    POLICY,
    SET,
    { name: 'format', value: 'FMT', choices: ['text', 'json'], default: 'text', help: 'output format (below)' },
    ENGINE,
  ],
  formats: ['text  a table of changed metrics, regressions marked, and PASS or FAIL', 'json  {"pass": true|false, "rows": [...]}'],
  sections: [{
    title: 'metrics (--tolerance METRIC=...; default time=5% (covering tdmrInit and ready), the others exact)',
    lines: Object.entries(METRICS).map(([name, m]) => `${name.padEnd(9)} ${m.key}${m.unit ? ` (${m.unit})` : ' (a count)'}: ${m.help}`),
  }],
  exit1: 'a metric regressed beyond its tolerance, an input is not in the baseline, a baseline input is missing from the run, or the policy/options differ from the baseline\'s (unless allowed)',
  examples: ['tdxmodel gate --baseline base.json --write-baseline preset:default me.json', 'tdxmodel gate --baseline base.json --tolerance time=10% --tolerance pamt=1MiB preset:default me.json'],
};

export async function gateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, GATE);
  const file = args.flags.get('baseline');
  if (!file || args.positional.length === 0) throw usageError('usage: tdxmodel gate --baseline FILE INPUT... [--write-baseline] [--tolerance time=5%]... [--allow-missing] [--allow-option-change]');
  if (args.positional.includes('-')) throw usageError('gate inputs are files or presets, not standard input');
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  const engine = choiceFlag(args, 'engine', ['wasm', 'ts'] as const, 'wasm');
  const tol = parseTolerances(args.lists.get('tolerance') ?? []);
  const options: GateOptions = { policy: args.flags.get('policy') ?? null, engine, sets: args.lists.get('set') ?? [] };
  // Read the baseline before running anything: a corrupt one is an input error, never a pass.
  const baseline = args.bools.has('write-baseline') ? null : readBaseline(file);
  const current: Record<string, BaselineEntry> = {};
  for (const input of args.positional) {
    const { report } = await loadAndSimulate({ input, policy: options.policy ?? undefined, engine, sets: options.sets });
    current[inputKey(input, file)] = { policy: report.policy.name, ...metricsOf(report) };
  }
  if (baseline === null) {
    const doc: Baseline = { schemaVersion: BASELINE_VERSION, keys: KEYS_NOTE, options, entries: current };
    await writeOutput(file, JSON.stringify(doc, null, 2) + '\n', out);
    await out.write(`wrote baseline ${printable(file)} with ${Object.keys(current).length} input(s)\n`);
    return 0;
  }
  const res = compareWithBaseline(baseline, current, options, tol, {
    missing: args.bools.has('allow-missing'), optionChange: args.bools.has('allow-option-change'),
  });
  if (format === 'json') await writeOutput(undefined, JSON.stringify(res) + '\n', out);
  else await out.write(textReport(file, res));
  return res.pass ? 0 : 1;
}
