// tdxmodel compare A B            two platforms under their own (or --policy) policy
// tdxmodel compare A --policies P1,P2   one platform under two policies

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { loadAndSimulate, type SimulationReport } from '../workers/simulateRun.js';
import { table } from '../report/units.js';
import { compareRows } from '../report/compareRows.js';
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
