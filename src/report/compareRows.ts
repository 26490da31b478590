// The rows of a side-by-side comparison of two simulations: outcome, TDMRs, PAMT per node,
// step times and readiness. One definition serves compare's text, JSON and HTML.

import type { SimulationReport } from '../model/run.js';
import { formatBytes, formatUs } from './units.js';

export interface CompareRow {
  metric: string;
  a: string;
  b: string;
  delta: string;
  differs: boolean;
}

/** Outcome, TDMRs, PAMT per node, step times and readiness, side by side. */
export function compareRows(a: SimulationReport, b: SimulationReport): CompareRow[] {
  const rows: CompareRow[] = [];
  const add = (metric: string, x: string, y: string, delta = ''): void => {
    rows.push({ metric, a: x, b: y, delta, differs: x !== y });
  };
  const num = (metric: string, x: number | null | undefined, y: number | null | undefined, fmt: (v: number) => string): void => {
    const fx = x === null || x === undefined ? '-' : fmt(x);
    const fy = y === null || y === undefined ? '-' : fmt(y);
    const d = typeof x === 'number' && typeof y === 'number' && x !== y
      ? `${y > x ? '+' : '−'}${fmt(Math.abs(y - x))}${x !== 0 ? ` (${y > x ? '+' : '−'}${(Math.abs(y - x) / Math.abs(x) * 100).toFixed(1)}%)` : ''}`
      : '';
    add(metric, fx, fy, d);
  };
  const outcome = (r: SimulationReport): string => (r.outcome.initialized ? 'initialized' : `failed: ${r.outcome.error?.code ?? ''} at ${r.outcome.error?.step ?? ''}`);
  add('policy', a.policy.name, b.policy.name);
  add('outcome', outcome(a), outcome(b));
  num('TDMRs', a.construct.tdmrsUsed, b.construct.tdmrsUsed, String);
  num('reserved areas (fullest TDMR)', a.construct.reservedAreasUsed, b.construct.reservedAreasUsed, String);
  num('PAMT KB', a.pamt.totalKb, b.pamt.totalKb, String);
  const nodes = [...new Set([...a.pamt.perNode, ...b.pamt.perNode].map((n) => n.node))].sort((x, y) => x - y);
  for (const n of nodes) {
    num(`PAMT node ${n}`, a.pamt.perNode.find((p) => p.node === n)?.kb ?? 0, b.pamt.perNode.find((p) => p.node === n)?.kb ?? 0, (v) => formatBytes(v * 1024));
  }
  num('total time', a.totals.initUs, b.totals.initUs, formatUs);
  const steps = [...new Set([...Object.keys(a.totals.byStep), ...Object.keys(b.totals.byStep)])];
  for (const s of steps) num(`  ${s}`, a.totals.byStep[s] ?? 0, b.totals.byStep[s] ?? 0, formatUs);
  num('ready 50%', a.readiness?.p50Us, b.readiness?.p50Us, formatUs);
  num('ready 90%', a.readiness?.p90Us, b.readiness?.p90Us, formatUs);
  num('ready 100%', a.readiness?.p100Us, b.readiness?.p100Us, formatUs);
  num('SEAMCALLs', a.seamcalls.total, b.seamcalls.total, String);
  return rows;
}
