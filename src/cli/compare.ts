// tdxmodel compare A B            two platforms under their own (or --policy) policy
// tdxmodel compare A --policies P1,P2   one platform under two policies

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { loadAndSimulate, type SimulationReport } from '../model/run.js';
import { formatBytes, formatUs, table } from '../report/units.js';
import type { Platform } from '../platform/types.js';

interface Side {
  label: string;
  platform: Platform;
  report: SimulationReport;
}

export async function compareCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['policy', 'policies', 'format', 'out', 'engine'], repeat: ['set'], bools: [] });
  const format = choiceFlag(args, 'format', ['text', 'json', 'html'] as const, 'text');
  const engine = choiceFlag(args, 'engine', ['wasm', 'ts'] as const, 'wasm');
  const sets = args.lists.get('set') ?? [];
  let requests: { label: string; input: string; policy?: string }[];
  const policies = args.flags.get('policies');
  if (policies !== undefined) {
    const ps = policies.split(',').map((p) => p.trim()).filter(Boolean);
    if (args.positional.length !== 1 || ps.length !== 2) throw usageError('usage: tdxmodel compare INPUT --policies P1,P2');
    requests = ps.map((p) => ({ label: `${args.positional[0]} (${p})`, input: args.positional[0], policy: p }));
  } else {
    if (args.positional.length !== 2) throw usageError('usage: tdxmodel compare A B [--policy P] | compare INPUT --policies P1,P2');
    if (args.positional.filter((p) => p === '-').length > 1) throw usageError('only one input can be standard input');
    requests = args.positional.map((input) => ({ label: input, input, policy: args.flags.get('policy') }));
  }
  const sides: Side[] = [];
  for (const r of requests) {
    const { platform, report } = await loadAndSimulate({ input: r.input, policy: r.policy, sets, engine });
    sides.push({ label: r.label, platform, report });
  }
  const [a, b] = sides;
  const rows = compareRows(a.report, b.report);
  if (format === 'json') {
    await writeOutput(args.flags.get('out'), JSON.stringify({ a: { label: a.label, ...a.report }, b: { label: b.label, ...b.report }, differences: rows.filter((r) => r.differs) }) + '\n', out);
  } else if (format === 'html') {
    const { compareHtml } = await import('../report/html/simulateHtml.js');
    await writeOutput(args.flags.get('out'), compareHtml(a.report, b.report, a.platform, b.platform), out);
  } else {
    const text = [
      `A: ${a.label}`, `B: ${b.label}`, '',
      table(['', 'metric', 'A', 'B', 'B − A'], rows.map((r) => [r.differs ? '*' : '', r.metric, r.a, r.b, r.delta])),
      '', `${rows.filter((r) => r.differs).length} of ${rows.length} rows differ (marked *)`,
    ].join('\n');
    await writeOutput(args.flags.get('out'), text + '\n', out);
  }
  return 0;
}

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
