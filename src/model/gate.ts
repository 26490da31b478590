// The regression gate as plain functions: tolerances as the user writes them, the baseline
// document (validated like any input), and the comparison of a run against it. The command
// line (src/cli/gate.ts) only reads files, runs the inputs and prints.

import path from 'node:path';
import { InputError, usageError } from '../platform/errors.js';
import { describe } from '../platform/units.js';
import type { Metrics } from './metrics.js';

/** schemaVersion 2: keys relative to the baseline file, the policy per entry, the run's options. */
export const BASELINE_VERSION = 2;

export type MetricName = 'time' | 'tdmrInit' | 'ready' | 'pamt' | 'tdmrs' | 'reserved';
export type MetricKind = 'time' | 'size' | 'count';

interface MetricDef {
  key: Exclude<keyof Metrics, 'initialized'>;
  kind: MetricKind;
  /** Unit of the stored number. */
  unit: 'µs' | 'KB' | '';
  /** What a tolerance on this metric's group (time=...) also covers. */
  group: MetricName;
  help: string;
}

export const METRICS: Record<MetricName, MetricDef> = {
  time: { key: 'timeUs', kind: 'time', unit: 'µs', group: 'time', help: 'modeled time from the first step to the end of initialization' },
  tdmrInit: { key: 'tdmrInitUs', kind: 'time', unit: 'µs', group: 'time', help: 'time in TDH.SYS.TDMR.INIT' },
  ready: { key: 'readyP100Us', kind: 'time', unit: 'µs', group: 'time', help: 'time until all TDX memory is usable' },
  pamt: { key: 'pamtKb', kind: 'size', unit: 'KB', group: 'pamt', help: 'PAMT size (the kernel\'s KB: 1024 bytes)' },
  tdmrs: { key: 'tdmrs', kind: 'count', unit: '', group: 'tdmrs', help: 'TDMRs used' },
  reserved: { key: 'reservedAreas', kind: 'count', unit: '', group: 'reserved', help: 'reserved areas in the fullest TDMR' },
};
const NAMES = Object.keys(METRICS) as MetricName[];

export interface Tolerance {
  relative: number;
  /** In the metric's stored unit (µs, KB, count). */
  absolute: number;
  /** As the user wrote it (or the default), for reports. */
  text: string;
}

// Absolute tolerances carry their unit, converted to the stored unit (µs for time, KB for size).
const TIME_UNITS: Record<string, number> = { ns: 1e-3, us: 1, 'µs': 1, ms: 1e3, s: 1e6 };
const SIZE_UNITS: Record<string, number> = { B: 1 / 1024, KiB: 1, MiB: 1024, GiB: 1024 ** 2, TiB: 1024 ** 3 };

export const TOLERANCE_HELP =
  'METRIC=N% (relative) or METRIC=N UNIT (absolute: time 5ms, 200us, 1s; pamt 1MiB, 512KiB; tdmrs/reserved a count). ' +
  `Metrics: ${NAMES.join(', ')}; time=... also covers tdmrInit and ready unless they are named. Default: time=5%, the rest exact.`;

function parseOne(metric: MetricName, value: string, spec: string): Tolerance {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*(%|[a-zA-Zµ]+)?$/.exec(value);
  if (!m) throw usageError(`--tolerance ${spec}: expected N% or N with a unit (${TOLERANCE_HELP})`);
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === '%') return { relative: n / 100, absolute: 0, text: value };
  const kind = METRICS[metric].kind;
  if (kind === 'count') {
    if (unit !== undefined) throw usageError(`--tolerance ${spec}: ${metric} is a count, it takes no unit`);
    return { relative: 0, absolute: n, text: value };
  }
  const table = kind === 'time' ? TIME_UNITS : SIZE_UNITS;
  if (unit === undefined || !(unit in table)) {
    throw usageError(`--tolerance ${spec}: an absolute ${metric} tolerance needs a unit (${Object.keys(table).join(', ')}), or write N%`);
  }
  return { relative: 0, absolute: n * table[unit], text: value };
}

/**
 * --tolerance values, each METRIC=V or several joined by commas. A group name (time) sets every
 * metric of its group that is not named on its own, whatever the order.
 */
export function parseTolerances(specs: string[]): Record<MetricName, Tolerance> {
  const named = new Map<MetricName, Tolerance>();
  for (const spec of specs.flatMap((s) => s.split(','))) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq).trim();
    if (eq < 0) throw usageError(`--tolerance takes METRIC=VALUE, got "${spec}" (${TOLERANCE_HELP})`);
    if (!(NAMES as string[]).includes(name)) throw usageError(`--tolerance: unknown metric "${name}" (known: ${NAMES.join(', ')})`);
    named.set(name as MetricName, parseOne(name as MetricName, spec.slice(eq + 1).trim(), spec));
  }
  const defaults: Record<MetricName, Tolerance> = {
    time: { relative: 0.05, absolute: 0, text: '5% (default)' },
    tdmrInit: { relative: 0.05, absolute: 0, text: '5% (default)' },
    ready: { relative: 0.05, absolute: 0, text: '5% (default)' },
    pamt: { relative: 0, absolute: 0, text: 'exact (default)' },
    tdmrs: { relative: 0, absolute: 0, text: 'exact (default)' },
    reserved: { relative: 0, absolute: 0, text: 'exact (default)' },
  };
  const out = {} as Record<MetricName, Tolerance>;
  for (const n of NAMES) out[n] = named.get(n) ?? named.get(METRICS[n].group) ?? defaults[n];
  return out;
}

export interface GateOptions {
  /** --policy as given (null: each platform's own). */
  policy: string | null;
  engine: string;
  /** --set values, in the order given. */
  sets: string[];
}

export type BaselineEntry = Metrics & { policy: string };

export interface Baseline {
  schemaVersion: number;
  /** How entries are keyed, for a reader of the file. */
  keys: string;
  options: GateOptions;
  entries: Record<string, BaselineEntry>;
}

export const KEYS_NOTE = 'preset:NAME, or the input file\'s path relative to this baseline file';

/**
 * The key of an input: presets by name, files by their path relative to the baseline's
 * directory (with /), so the same baseline gates the same files from any working directory.
 */
export function inputKey(input: string, baselineFile: string, cwd = process.cwd()): string {
  if (input.startsWith('preset:')) return input;
  const dir = path.dirname(path.resolve(cwd, baselineFile));
  return path.relative(dir, path.resolve(cwd, input)).split(path.sep).join('/');
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A baseline document checked field by field: every problem is an InputError naming the entry and field. */
export function validateBaseline(doc: unknown, file: string): Baseline {
  if (!isObj(doc)) throw new InputError(file, 'not a tdxmodel baseline (expected an object with schemaVersion and entries)');
  if (doc.schemaVersion === 1) {
    throw new InputError(file, 'schemaVersion 1 baselines keyed inputs by paths relative to the working directory they were written in; write it again with --write-baseline (schemaVersion 2 keys files relative to the baseline)');
  }
  if (doc.schemaVersion !== BASELINE_VERSION) throw new InputError(`${file}: schemaVersion`, `expected ${BASELINE_VERSION}, got ${describe(doc.schemaVersion)}`);
  const o = doc.options;
  if (!isObj(o)) throw new InputError(`${file}: options`, 'expected an object with policy, engine and sets');
  if (o.policy !== null && typeof o.policy !== 'string') throw new InputError(`${file}: options.policy`, `expected a policy name or null, got ${describe(o.policy)}`);
  if (typeof o.engine !== 'string') throw new InputError(`${file}: options.engine`, `expected a string, got ${describe(o.engine)}`);
  if (!Array.isArray(o.sets) || !o.sets.every((s) => typeof s === 'string')) throw new InputError(`${file}: options.sets`, 'expected a list of strings');
  if (!isObj(doc.entries)) throw new InputError(`${file}: entries`, 'expected an object of inputs');
  for (const [k, e] of Object.entries(doc.entries)) {
    const where = `${file}: entries[${JSON.stringify(k)}]`;
    if (!isObj(e)) throw new InputError(where, `expected an object of metrics, got ${describe(e)}`);
    if (typeof e.policy !== 'string') throw new InputError(`${where}.policy`, `expected a policy name, got ${describe(e.policy)}`);
    if (typeof e.initialized !== 'boolean') throw new InputError(`${where}.initialized`, `expected true or false, got ${describe(e.initialized)}`);
    for (const def of Object.values(METRICS)) {
      const v = e[def.key];
      // Readiness has no value when initialization failed.
      if (v === null && def.key === 'readyP100Us') continue;
      // JSON reads 1e400 as Infinity: a number no run can produce, so the file is corrupt.
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new InputError(`${where}.${def.key}`, `expected a finite number ≥ 0${def.unit ? ` (${def.unit})` : ''}, got ${typeof v === 'number' ? String(v) : describe(v)}`);
      }
    }
  }
  return doc as unknown as Baseline;
}

export type RowStatus = 'regressed' | 'worse' | 'improved' | 'new' | 'missing' | 'missing-allowed' | 'changed-option' | 'changed-option-allowed';

export interface GateRow {
  input: string;
  metric: MetricName | 'outcome' | 'policy' | 'option' | '(all)';
  unit: string;
  /** Raw values in the stored unit (µs, KB, count); strings for outcome, policy and options. */
  baseline: number | string | null;
  current: number | string | null;
  change: number | null;
  changePercent: number | null;
  tolerance: string | null;
  status: RowStatus;
  /** Does this row fail the gate? */
  fails: boolean;
}

export interface GateResult {
  pass: boolean;
  inputs: number;
  rows: GateRow[];
  regressions: number;
  improvements: number;
}

const row = (r: Omit<GateRow, 'unit' | 'change' | 'changePercent' | 'tolerance'> & Partial<GateRow>): GateRow => ({
  unit: '', change: null, changePercent: null, tolerance: null, ...r,
});

function optionRows(was: GateOptions, now: GateOptions, allow: boolean): GateRow[] {
  const rows: GateRow[] = [];
  const status: RowStatus = allow ? 'changed-option-allowed' : 'changed-option';
  const diff = (name: string, a: string, b: string): void => {
    if (a !== b) rows.push(row({ input: `--${name}`, metric: 'option', baseline: a, current: b, status, fails: !allow }));
  };
  diff('policy', was.policy ?? '(platform\'s own)', now.policy ?? '(platform\'s own)');
  diff('engine', was.engine, now.engine);
  diff('set', was.sets.join(' ') || '(none)', now.sets.join(' ') || '(none)');
  return rows;
}

/** Compare a run (keyed as the baseline is) with the baseline. */
export function compareWithBaseline(
  baseline: Baseline,
  current: Record<string, BaselineEntry>,
  options: GateOptions,
  tol: Record<MetricName, Tolerance>,
  allow: { missing: boolean; optionChange: boolean },
): GateResult {
  const rows = optionRows(baseline.options, options, allow.optionChange);
  for (const [input, m] of Object.entries(current)) {
    const b = baseline.entries[input];
    if (!b) {
      rows.push(row({ input, metric: '(all)', baseline: null, current: 'new', status: 'new', fails: true }));
      continue;
    }
    if (b.policy !== m.policy) {
      const status: RowStatus = allow.optionChange ? 'changed-option-allowed' : 'changed-option';
      rows.push(row({ input, metric: 'policy', baseline: b.policy, current: m.policy, status, fails: !allow.optionChange }));
    }
    if (b.initialized !== m.initialized) {
      const worse = b.initialized && !m.initialized;
      const fmt = (x: boolean): string => (x ? 'initialized' : 'failed');
      rows.push(row({ input, metric: 'outcome', baseline: fmt(b.initialized), current: fmt(m.initialized), status: worse ? 'regressed' : 'improved', fails: worse }));
    }
    for (const name of NAMES) rows.push(...metricRow(input, name, b, m, tol[name]));
  }
  for (const input of Object.keys(baseline.entries)) {
    if (input in current) continue;
    rows.push(row({ input, metric: '(all)', baseline: 'in baseline', current: null, status: allow.missing ? 'missing-allowed' : 'missing', fails: !allow.missing }));
  }
  return {
    pass: !rows.some((r) => r.fails),
    inputs: Object.keys(current).length,
    rows,
    regressions: rows.filter((r) => r.status === 'regressed').length,
    improvements: rows.filter((r) => r.status === 'improved').length,
  };
}

function metricRow(input: string, name: MetricName, b: Metrics, m: Metrics, tol: Tolerance): GateRow[] {
  const def = METRICS[name];
  const was = b[def.key];
  const now = m[def.key];
  // A missing readiness goes with a changed outcome, which has its own row.
  if (was === null || now === null || was === now) return [];
  const change = now - was;
  const allowed = Math.abs(was) * tol.relative + tol.absolute;
  // Every gated metric is better smaller: time, PAMT memory, TDMRs, reserved areas.
  const status: RowStatus = change < 0 ? 'improved' : change > allowed ? 'regressed' : 'worse';
  return [row({
    input, metric: name, unit: def.unit, baseline: was, current: now,
    change: Math.round(change * 1000) / 1000,
    changePercent: was !== 0 ? Math.round((change / was) * 1e4) / 100 : null,
    tolerance: tol.text, status, fails: status === 'regressed',
  })];
}
