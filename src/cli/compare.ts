// tdxmodel compare A B            two platforms under their own (or --policy) policy
// tdxmodel compare A --policies P1,P2   one platform under two policies

import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { INPUT_HELP, SET, ENGINE, OUT, format } from './options.js';
import { POLICY, policySection } from './modelOptions.js';
import { writeOutput, type Out } from './output.js';
import { printable, usageError } from '../platform/errors.js';
import { loadAndSimulate, type SimulationReport } from '../workers/simulateRun.js';
import { table } from '../report/units.js';
import { compareRows } from '../report/compareRows.js';
import type { Platform } from '../platform/types.js';

interface Side {
  label: string;
  platform: Platform;
  report: SimulationReport;
}

export const COMPARE: CommandSpec = {
  name: 'compare',
  summary: 'Simulate two platforms, or one platform under two kernel policies, and show them side by side with the differences marked.',
  usage: ['compare A B [options]', 'compare INPUT --policies P1,P2 [options]'],
  positional: INPUT_HELP.replace('INPUT:', 'A, B, INPUT: each'),
  options: [
    POLICY,
    { name: 'policies', value: 'P1,P2', help: 'one INPUT under two policies (instead of two inputs)' },
    SET,
    format(['text', 'json', 'html'], 'text'),
    OUT,
    ENGINE,
  ],
  formats: ['text  a table of metrics, A, B and B − A, differing rows marked *', 'json  both results and the differing rows', 'html  a self-contained report, both sides drawn on shared axes'],
  sections: [policySection()],
  examples: ['tdxmodel compare preset:2s-emr-17holes preset:2s-emr-17holes-cmr', 'tdxmodel compare me.json --policies mainline,parallel-tdmr --format html --out cmp.html'],
};

export async function compareCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, COMPARE);
  const format = choiceFlag<'text' | 'json' | 'html'>(args, 'format');
  const engine = choiceFlag<'wasm' | 'ts'>(args, 'engine');
  const sets = args.lists.get('set') ?? [];
  let requests: { label: string; input: string; policy?: string }[];
  const policies = args.flags.get('policies');
  if (policies !== undefined) {
    if (args.flags.has('policy')) throw usageError('compare takes --policy (both inputs) or --policies P1,P2 (one input), not both');
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
    const labels = policies !== undefined
      ? { by: 'policy' as const, a: a.report.policy.name, b: b.report.policy.name }
      : { by: 'platform' as const, a: a.report.platform.name, b: b.report.platform.name };
    await writeOutput(args.flags.get('out'), compareHtml(a.report, b.report, a.platform, b.platform, labels), out);
  } else {
    const text = [
      `A: ${printable(a.label)}`, `B: ${printable(b.label)}`, '',
      table(['', 'metric', 'A', 'B', 'B − A'], rows.map((r) => [r.differs ? '*' : '', r.metric, r.a, r.b, r.delta])),
      '', `${rows.filter((r) => r.differs).length} of ${rows.length} rows differ (marked *)`,
    ].join('\n');
    await writeOutput(args.flags.get('out'), text + '\n', out);
  }
  return 0;
}
