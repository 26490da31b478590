// The sweep spec: a base platform and either a grid of axes (every combination) or an explicit
// list of variants. Parsing checks everything that can be checked once, so a typo in the spec
// is a one-line input error before any worker starts, not ten million failed rows:
//
// - axis names: a structural axis (STRUCTURAL below), `policy`, or a dotted platform path that
//   --set accepts (`module.maxTdmrs`, `kernel.holes`, `costs.tdmrInitCallUs`, ...);
// - every axis value, alone on the base: structural values by their ranges, dotted values by
//   validating the base with that one override, cost values by the cost model's rules, policy
//   names against the registry. A combination of individually valid values can still be
//   invalid (1 GiB NUMA nodes from 2 GiB sockets with SNC2): that row says so in its outcome.
//
// The parsed spec (SweepPlan) is plain data: it crosses to the worker threads unchanged.

import { InputError } from '../../platform/errors.js';
import { parseU64, describe } from '../../platform/units.js';
import { applySets, readText } from '../../platform/load.js';
import { validatePlatform } from '../../platform/validate.js';
import { getPreset } from '../../platform/presets.js';
import { getPolicy } from '../policies/registry.js';
import { resolveCosts } from '../costs.js';
import { inferLayout, type InferredLayout } from './inferSocketLayout.js';
import { parseJsonOrYaml } from '../../platform/jsonOrYaml.js';
import { parseGuestSweep, type GuestSweepPlan } from '../../guest/sweep.js';

export const SWEEP_MAX_POINTS = 10_000_000;

const GiB = 2 ** 30;

/**
 * Axes that rebuild the machine rather than edit one field. memoryPerSocket, sockets and snc
 * rebuild the memory map with the presets' layout rules (presets/socketMemoryMap.ts); coresPerSocket and
 * smt only change the CPU counts.
 */
export const STRUCTURAL = ['memoryPerSocket', 'sockets', 'snc', 'coresPerSocket', 'smt'] as const;
export type StructuralAxis = (typeof STRUCTURAL)[number];
export const MEMORY_AXES: readonly string[] = ['memoryPerSocket', 'sockets', 'snc'];

const SET_ROOTS = new Set(['name', 'module', 'keyids', 'kernel', 'cpus', 'nodeDistance']);

export type AxisKind = 'label' | 'policy' | 'cost' | 'structural' | 'set';

export interface Axis {
  name: string;
  kind: AxisKind;
  /** Grid: the values in the order written. List: unused (values live in the entries). */
  values: unknown[];
}

export interface SweepPlan {
  /** Where the spec came from, for messages. */
  source: string;
  mode: 'grid' | 'list';
  /** The base platform document, unvalidated (it validates; checked at parse time). */
  base: Record<string, unknown>;
  /** How the base's memory map decomposes into sockets, for the structural axes. */
  layout: InferredLayout;
  axes: Axis[];
  /** List mode: per entry, the value of each axis (undefined = not set). */
  entries: unknown[][];
  total: number;
  /** `kind: guest` specs: TD axes (src/guest/sweep.ts); src/workers/sweepRun.ts hands the whole sweep to src/workers/guestSweepRun.ts. */
  guest?: GuestSweepPlan;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON when the text starts like JSON, YAML otherwise (YAML 1.2 is a superset anyway). */
export function parseSpecText(text: string, source: string): unknown {
  return parseJsonOrYaml(text, source);
}

function axisKind(name: string): AxisKind | null {
  if ((STRUCTURAL as readonly string[]).includes(name)) return 'structural';
  if (name === 'policy') return 'policy';
  if (/^costs\.[a-zA-Z][a-zA-Z0-9]*$/.test(name)) return 'cost';
  const parts = name.split('.');
  if (SET_ROOTS.has(parts[0]) && parts.every((p) => /^[A-Za-z0-9_]+$/.test(p))) return 'set';
  return null;
}

const AXIS_HELP = `structural: ${STRUCTURAL.join(', ')}; policy; or a dotted platform path such as module.maxTdmrs, kernel.holes, costs.tdmrInitCallUs`;

function structuralValue(name: string, v: unknown, where: string, layout: InferredLayout): void {
  const int = (min: number, max: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new InputError(where, `expected a whole number in [${min}, ${max}], got ${describe(v)}`);
    }
  };
  switch (name as StructuralAxis) {
    case 'memoryPerSocket': {
      const bytes = Number(parseU64(v, where, true));
      if (bytes % GiB !== 0 || bytes < 2 * GiB) throw new InputError(where, `must be a whole number of GiB, at least 2 ("256G"), got ${describe(v)}`);
      return;
    }
    case 'sockets':
      if (layout.explicitLps) throw new InputError(where, 'the base lists cpus.lps one by one; sockets needs a base with CPU counts');
      return int(1, 64);
    case 'snc':
      return int(1, 8);
    case 'coresPerSocket':
      if (layout.explicitLps) throw new InputError(where, 'the base lists cpus.lps one by one; coresPerSocket needs a base with CPU counts');
      return int(1, 4096);
    case 'smt':
      if (layout.explicitLps) throw new InputError(where, 'the base lists cpus.lps one by one; smt needs a base with CPU counts');
      if (typeof v !== 'boolean') throw new InputError(where, `expected true or false, got ${describe(v)}`);
      return;
  }
}

/** Checks one value of one axis alone against the base. */
function checkValue(axis: Axis, v: unknown, where: string, base: Obj, layout: InferredLayout, basePlatform: ReturnType<typeof validatePlatform>): void {
  switch (axis.kind) {
    case 'label':
      if (typeof v !== 'string') throw new InputError(where, `expected a string, got ${describe(v)}`);
      return;
    case 'policy':
      if (typeof v !== 'string') throw new InputError(where, `expected a policy name, got ${describe(v)}`);
      try {
        getPolicy(v);
      } catch (e) {
        throw new InputError(where, (e as Error).message);
      }
      return;
    case 'cost':
      if (typeof v !== 'number') throw new InputError(where, `expected a number, got ${describe(v)}`);
      try {
        resolveCosts(basePlatform, { [axis.name.slice('costs.'.length)]: v });
      } catch (e) {
        throw new InputError(where, e instanceof InputError ? e.rule : (e as Error).message);
      }
      return;
    case 'structural':
      structuralValue(axis.name, v, where, layout);
      return;
    case 'set': {
      if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) throw new InputError(where, `not a value: ${describe(v)}`);
      const doc = structuredClone(base);
      try {
        applySets(doc, [`${axis.name}=${JSON.stringify(v)}`]);
        validatePlatform(doc);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(where, e.where && e.where !== axis.name ? `${e.where}: ${e.rule}` : e.rule);
        throw e;
      }
    }
  }
}

/** The base: "preset:NAME", a platform document inline, or a path (relative to the spec). */
function resolveBase(v: unknown, source: string, readFile: (path: string) => string): Obj {
  if (v === undefined) return getPreset('default') as unknown as Obj;
  if (isObj(v)) return structuredClone(v);
  if (typeof v !== 'string' || v === '') throw new InputError(`${source}: base`, `expected "preset:NAME", a file path or a platform document, got ${describe(v)}`);
  if (v.startsWith('preset:')) {
    try {
      return getPreset(v.slice('preset:'.length)) as unknown as Obj;
    } catch (e) {
      throw new InputError(`${source}: base`, (e as Error).message);
    }
  }
  const text = readFile(v);
  const doc = parseSpecText(text, v);
  if (!isObj(doc)) throw new InputError(v, 'expected a platform document (an object)');
  return doc;
}

function countPoints(axes: Axis[], source: string): number {
  let total = 1;
  for (const a of axes) {
    total *= a.values.length;
    if (total > SWEEP_MAX_POINTS) {
      const sizes = axes.map((x) => x.values.length).join(' × ');
      throw new InputError(`${source}: grid`, `${sizes} points is over the ${SWEEP_MAX_POINTS} limit; split the sweep`);
    }
  }
  return total;
}

export interface ParseSpecOptions {
  /** Reads a base file named by the spec (relative paths resolved by the caller). */
  readFile: (path: string) => string;
}

const readFromCwd: ParseSpecOptions = { readFile: (p) => readText(p).text };

/** A spec from its text: JSON or YAML, then parseSweepSpec. */
export function readSweepSpec(text: string, source: string, opts: ParseSpecOptions = readFromCwd): SweepPlan {
  return parseSweepSpec(parseSpecText(text, source), source, opts);
}

export function parseSweepSpec(doc: unknown, source: string, opts: ParseSpecOptions = readFromCwd): SweepPlan {
  if (isObj(doc) && doc.kind === 'guest') {
    const guest = parseGuestSweep(doc, source, opts.readFile);
    return { source, mode: 'grid', base: {}, layout: null as unknown as InferredLayout, axes: [], entries: [], total: guest.total, guest };
  }
  if (!isObj(doc)) throw new InputError(source, `expected a sweep spec object with "base" and "grid" or "list", got ${describe(doc)}`);
  for (const k of Object.keys(doc)) {
    if (!['base', 'grid', 'list', 'description'].includes(k)) throw new InputError(`${source}: ${k}`, 'unknown field (allowed: base, grid, list, description)');
  }
  if ((doc.grid === undefined) === (doc.list === undefined)) throw new InputError(source, 'give exactly one of "grid" (every combination) or "list" (explicit variants)');
  const base = resolveBase(doc.base, source, opts.readFile);
  let basePlatform;
  try {
    basePlatform = validatePlatform(structuredClone(base));
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${source}: base${e.where ? `: ${e.where}` : ''}`, e.rule);
    throw e;
  }
  const layout = inferLayout(base, basePlatform);
  const at = (path: string): string => `${source}: ${path}`;

  if (doc.grid !== undefined) {
    if (!isObj(doc.grid)) throw new InputError(at('grid'), `expected an object of axis: [values], got ${describe(doc.grid)}`);
    const axes: Axis[] = [];
    for (const [name, values] of Object.entries(doc.grid)) {
      const kind = axisKind(name);
      if (!kind) throw new InputError(at(`grid.${name}`), `unknown axis (${AXIS_HELP})`);
      if (!Array.isArray(values)) throw new InputError(at(`grid.${name}`), `expected a list of values, got ${describe(values)}`);
      if (values.length === 0) throw new InputError(at(`grid.${name}`), 'empty list of values');
      axes.push({ name, kind, values });
    }
    if (axes.length === 0) throw new InputError(at('grid'), 'no axes');
    const total = countPoints(axes, source);
    checkMemoryAxes(axes.map((a) => a.name), layout, at('grid'));
    for (const a of axes) a.values.forEach((v, i) => checkValue(a, v, at(`grid.${a.name}[${i}]`), base, layout, basePlatform));
    return { source, mode: 'grid', base, layout, axes, entries: [], total };
  }

  if (!Array.isArray(doc.list)) throw new InputError(at('list'), `expected a list of variants, got ${describe(doc.list)}`);
  if (doc.list.length === 0) throw new InputError(at('list'), 'empty list');
  if (doc.list.length > SWEEP_MAX_POINTS) throw new InputError(at('list'), `${doc.list.length} variants is over the ${SWEEP_MAX_POINTS} limit`);
  // Columns: the name, every key any entry sets (first appearance order), then the policy.
  const axes: Axis[] = [{ name: 'name', kind: 'label', values: [] }];
  const index = new Map<string, number>([['name', 0]]);
  const raw: { name: string; set: Obj; policy: unknown }[] = [];
  let anyPolicy = false;
  doc.list.forEach((e, i) => {
    const path = `list[${i}]`;
    if (!isObj(e)) throw new InputError(at(path), `expected {name, set, policy}, got ${describe(e)}`);
    for (const k of Object.keys(e)) if (!['name', 'set', 'policy'].includes(k)) throw new InputError(at(`${path}.${k}`), 'unknown field (allowed: name, set, policy)');
    if (e.name !== undefined && typeof e.name !== 'string') throw new InputError(at(`${path}.name`), `expected a string, got ${describe(e.name)}`);
    const set = e.set === undefined ? {} : e.set;
    if (!isObj(set)) throw new InputError(at(`${path}.set`), `expected an object of path: value, got ${describe(set)}`);
    for (const k of Object.keys(set)) {
      if (k === 'name') throw new InputError(at(`${path}.set.name`), 'the variant\'s name goes in "name" beside "set"');
      const kind = axisKind(k);
      if (!kind || kind === 'policy') throw new InputError(at(`${path}.set.${k}`), `unknown field (${AXIS_HELP}; the policy goes in "policy")`);
      if (!index.has(k)) {
        index.set(k, axes.length);
        axes.push({ name: k, kind, values: [] });
      }
    }
    if (e.policy !== undefined) anyPolicy = true;
    raw.push({ name: e.name ?? `variant-${i}`, set, policy: e.policy });
  });
  if (anyPolicy) {
    index.set('policy', axes.length);
    axes.push({ name: 'policy', kind: 'policy', values: [] });
  }
  const entries = raw.map((r, i) => {
    const row: unknown[] = new Array(axes.length);
    row[0] = r.name;
    for (const [k, v] of Object.entries(r.set)) {
      const ax = axes[index.get(k)!];
      checkValue(ax, v, at(`list[${i}].set.${k}`), base, layout, basePlatform);
      row[index.get(k)!] = v;
    }
    if (r.policy !== undefined) {
      checkValue(axes[index.get('policy')!], r.policy, at(`list[${i}].policy`), base, layout, basePlatform);
      row[index.get('policy')!] = r.policy;
    }
    checkMemoryAxes(Object.keys(r.set), layout, at(`list[${i}].set`));
    return row;
  });
  return { source, mode: 'list', base, layout, axes, entries, total: entries.length };
}

/** The structural memory axes need to know the base's size per socket unless they set it. */
function checkMemoryAxes(names: string[], layout: InferredLayout, where: string): void {
  const memory = names.filter((n) => MEMORY_AXES.includes(n));
  if (memory.length && !names.includes('memoryPerSocket') && layout.dramPerSocketGiB === null) {
    throw new InputError(where, `${memory.join(', ')} rebuild the memory map, and the base's map does not show its memory per socket: add a memoryPerSocket axis`);
  }
}

/**
 * How many of a plan's rows simulate (the first row of each platform and policy; model/clock.ts):
 * the others run that row's time program under their own costs. A list may change anything in
 * any row: all of its rows count.
 */
export function simulatedRows(plan: SweepPlan): number {
  if (plan.mode === 'list') return plan.total;
  let n = 1;
  for (const a of plan.axes) if (a.kind === 'structural' || a.kind === 'set' || a.kind === 'policy') n *= a.values.length;
  return Math.min(n, plan.total);
}

/** The axis values of grid row `index`: lexicographic over the axes, the last varying fastest. */
export function gridValueIndices(plan: SweepPlan, index: number, out: number[]): number[] {
  let rest = index;
  for (let a = plan.axes.length - 1; a >= 0; a--) {
    const n = plan.axes[a].values.length;
    out[a] = rest % n;
    rest = Math.floor(rest / n);
  }
  return out;
}

/**
 * Moves grid value indices `idx` (gridValueIndices) on by `step` rows: the last axis turns and
 * carries into the ones before it like an odometer (a division only where an axis wraps).
 * Returns the first axis that changed: axes from there on may have new values.
 */
export function advanceGridIndices(plan: SweepPlan, idx: number[], step: number): number {
  let carry = step;
  let a = idx.length - 1;
  for (; a >= 0 && carry > 0; a--) {
    const n = plan.axes[a].values.length;
    const v = idx[a] + carry;
    if (v < n) {
      idx[a] = v;
      return a;
    }
    idx[a] = v % n;
    carry = Math.floor(v / n);
  }
  return a + 1;
}

/** Row `index`'s value for each axis (undefined where a list entry leaves it unset). */
export function rowValues(plan: SweepPlan, index: number): unknown[] {
  if (plan.mode === 'list') return plan.entries[index];
  const idx = gridValueIndices(plan, index, new Array(plan.axes.length));
  return idx.map((k, a) => plan.axes[a].values[k]);
}
