// Sweeps over TDs: a spec with `kind: guest`, a `base` TD document (preset:NAME, a path relative
// to the spec, or inline) and a `grid` whose axes are TD document paths (`vcpus`, `memoryGiB`,
// `attestation.concurrency`, `costs.acceptFaultUs`, ...). One row per combination, the last axis
// varying fastest, so a capacity table comes out of one command. Every axis value is checked
// alone against the base before any row runs.
//
// This file reads the spec; the rows run in src/workers/guestSweepRun.ts, in chunks on the worker
// pool (a row is one boot model plus one attestation run on one thread, milliseconds to a
// fraction of a second); the text goes out in index order, the same for any --workers.

import { InputError } from '../platform/errors.js';
import { describe as show } from '../platform/units.js';
import { parseJsonOrYaml } from '../platform/jsonOrYaml.js';
import { applyTdSets, validateTd } from './document.js';
import { getTdPreset } from './presets.js';
import { guestCostValues, resolveGuestCosts } from './costs.js';

export const GUEST_SWEEP_MAX_ROWS = 100_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface GuestSweepPlan {
  source: string;
  base: Obj;
  axes: { name: string; values: unknown[] }[];
  total: number;
  trials: number;
  seed: number;
}

/** The metric columns after the axis columns. */
export const GUEST_SWEEP_COLUMNS = [
  'firmwareSeconds', 'toInitSeconds', 'acceptedAtInitGiB', 'stormSeconds', 'fullyAcceptedSeconds', 'sharedBytes',
  'quoteP50Seconds', 'quoteP95Seconds', 'quoteP99Seconds', 'quoteMaxSeconds', 'quotesPerSecond', 'ok', 'ebusy', 'eio', 'timeout',
] as const;

function setText(path: string, v: unknown): string {
  return `${path}=${typeof v === 'string' ? v : JSON.stringify(v)}`;
}

/** Base + the given axis values → a validated TD and its cost values. */
export function rowTd(base: Obj, names: string[], values: unknown[]) {
  const doc = structuredClone(base);
  const costSets: Obj = {};
  const sets: string[] = [];
  names.forEach((n, i) => {
    if (values[i] === undefined) return;
    if (n.startsWith('costs.')) costSets[n.slice('costs.'.length)] = values[i];
    else sets.push(setText(n, values[i]));
  });
  applyTdSets(doc, sets);
  const { td } = validateTd(doc);
  return { td, values: guestCostValues(resolveGuestCosts(td.costs, costSets)) };
}

export function parseGuestSweep(doc: Obj, source: string, readFile: (path: string) => string): GuestSweepPlan {
  const at = (p: string): string => `${source}: ${p}`;
  for (const k of Object.keys(doc)) {
    if (!['kind', 'base', 'grid', 'description', 'trials', 'seed'].includes(k)) throw new InputError(at(k), 'unknown field (allowed in a guest sweep: kind, base, grid, description, trials, seed)');
  }
  let base: Obj;
  if (typeof doc.base === 'string' && doc.base.startsWith('preset:')) {
    try { base = getTdPreset(doc.base.slice('preset:'.length)); } catch (e) { throw new InputError(at('base'), (e as InputError).rule ?? String(e)); }
  } else if (typeof doc.base === 'string' && doc.base !== '') {
    const parsed = parseJsonOrYaml(readFile(doc.base), doc.base);
    if (!isObj(parsed)) throw new InputError(doc.base, 'expected a TD document (an object)');
    base = parsed;
  } else if (isObj(doc.base)) {
    base = structuredClone(doc.base);
  } else {
    throw new InputError(at('base'), `expected "preset:NAME", a file path or a TD document, got ${show(doc.base)}`);
  }
  try {
    validateTd(structuredClone(base));
  } catch (e) {
    if (e instanceof InputError) throw new InputError(at(`base${e.where ? `: ${e.where}` : ''}`), e.rule);
    throw e;
  }
  if (!isObj(doc.grid)) throw new InputError(at('grid'), `expected an object of TD-path: [values], got ${show(doc.grid)}`);
  const axes = Object.entries(doc.grid).map(([name, values]) => {
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(name)) throw new InputError(at(`grid.${name}`), 'not a TD document path');
    if (!Array.isArray(values) || values.length === 0) throw new InputError(at(`grid.${name}`), `expected a non-empty list of values, got ${show(values)}`);
    return { name, values };
  });
  if (axes.length === 0) throw new InputError(at('grid'), 'no axes');
  let total = 1;
  for (const a of axes) total *= a.values.length;
  if (total > GUEST_SWEEP_MAX_ROWS) throw new InputError(at('grid'), `${axes.map((a) => a.values.length).join(' × ')} rows is over the ${GUEST_SWEEP_MAX_ROWS} limit of a guest sweep`);
  for (const a of axes) {
    a.values.forEach((v, i) => {
      try {
        rowTd(base, [a.name], [v]);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(at(`grid.${a.name}[${i}]`), e.where && e.where !== a.name ? `${e.where}: ${e.rule}` : e.rule);
        throw e;
      }
    });
  }
  const int = (k: 'trials' | 'seed', dflt: number, max: number): number => {
    const v = doc[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new InputError(at(k), `expected a whole number from 0 to ${max}, got ${show(v)}`);
    return v;
  };
  return { source, base, axes, total, trials: int('trials', 0, 10_000), seed: int('seed', 1, 2 ** 32 - 1) };
}
