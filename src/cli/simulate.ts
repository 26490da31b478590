// tdxmodel simulate INPUT [--policy P] [--trials N --seed S --workers W] [--set K=V]... [--trace]
//                        [--format text|json|csv|html] [--expect-success] [--timing] [--out FILE]

import { parseCommand, intFlag, choiceFlag, value, type CommandSpec } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { loadAndSimulate, type SimulateRequest } from '../workers/simulateRun.js';
import { INPUT_HELP, SET, ENGINE, OUT, format } from './options.js';
import { POLICY, policySection, costSection } from './modelOptions.js';

export const SIMULATE: CommandSpec = {
  name: 'simulate',
  summary: 'Model the whole TDX initialization of a platform under a kernel policy: outcome, TDMRs, PAMT per node, SEAMCALL counts, timeline, readiness, physical floor and the kernel log it would print.',
  usage: ['simulate INPUT [options]'],
  positional: INPUT_HELP,
  options: [
    POLICY,
    SET,
    { name: 'trials', value: 'N', int: { min: 0, max: 10_000_000 }, default: '0', help: 'Monte Carlo trials of the timing (per-call log-normal spread from the *Sigma parameters); 0 = the deterministic run only' },
    { name: 'seed', value: 'S', int: { min: 0, max: 2 ** 53 - 1 }, default: '1', help: 'random seed of the trials (with --trials only); the same seed gives the same bytes for any --workers' },
    { name: 'workers', value: 'N', int: { min: 1, max: 256 }, defaultHelp: 'chosen from the amount of trial work (draws per trial × trials), at most the number of CPUs', help: 'worker threads for the trials (with --trials only), at most the number of CPUs (two on one CPU); the output is byte-identical for any N' },
    { name: 'trace', help: 'record every SEAMCALL (leaf, CPU, start, end, status): a table in text, "trace" in JSON' },
    { name: 'timing', help: "how long tdxmodel itself took (load, simulate, trials): a line in text, \"timing\" in JSON" },
    { name: 'expect-success', help: 'exit 1 when the modeled initialization fails (for scripts and CI)' },
    format(['text', 'json', 'csv', 'html'], 'text'),
    OUT,
    ENGINE,
  ],
  formats: [
    'text  the summary a person reads',
    'json  the full result, versioned (docs/simulate-schema.md)',
    'csv   the timeline, one step a row (--trace and --timing are refused: they are not timeline rows)',
    'html  a self-contained report with charts (--trace and --timing are refused: use text or json)',
  ],
  sections: [policySection(), costSection()],
  exit1: '--expect-success was given and the modeled initialization failed',
  examples: [
    'tdxmodel simulate preset:default',
    'tdxmodel simulate me.json --policy parallel-tdmr --set kernel.initCpus=4 --trials 1000 --format html --out report.html',
  ],
};

export async function simulateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, SIMULATE);
  if (args.positional.length !== 1) throw usageError(`usage: tdxmodel ${SIMULATE.usage[0]} (tdxmodel simulate --help for more)`);
  const format = choiceFlag<'text' | 'json' | 'html' | 'csv'>(args, 'format');
  for (const flag of ['trace', 'timing']) {
    if ((format === 'csv' || format === 'html') && args.bools.has(flag)) throw usageError(`--${flag} is not shown in --format ${format}: use --format text or json`);
  }
  // The seed and the workers serve the trials alone: without trials they would change nothing.
  for (const flag of ['seed', 'workers']) {
    if (args.flags.has(flag) && intFlag(args, 'trials') === 0) throw usageError(`--${flag} applies to the trials: add --trials N`);
  }
  const req: SimulateRequest = {
    input: args.positional[0],
    policy: value(args, 'policy'),
    sets: args.lists.get('set') ?? [],
    trials: intFlag(args, 'trials'),
    seed: intFlag(args, 'seed'),
    // Absent: chosen from the amount of trial work (workers/pool.ts, trialWorkers).
    workers: args.flags.has('workers') ? intFlag(args, 'workers') : undefined,
    trace: args.bools.has('trace'),
    engine: choiceFlag(args, 'engine'),
    timing: args.bools.has('timing'),
  };
  const { platform, report } = await loadAndSimulate(req);
  if (format === 'json') {
    await writeOutput(args.flags.get('out'), JSON.stringify(report) + '\n', out);
  } else if (format === 'csv') {
    const { simulateCsv } = await import('../report/simulateCsv.js');
    await writeOutput(args.flags.get('out'), simulateCsv(report), out);
  } else if (format === 'html') {
    const { simulateHtml } = await import('../report/html/simulateHtml.js');
    await writeOutput(args.flags.get('out'), simulateHtml(report, platform), out);
  } else {
    const { simulateText } = await import('../report/simulateText.js');
    await writeOutput(args.flags.get('out'), simulateText(report) + '\n', out);
  }
  return args.bools.has('expect-success') && !report.outcome.initialized ? 1 : 0;
}
