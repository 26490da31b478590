// tdxmodel simulate INPUT [--policy P] [--trials N --seed S --workers W] [--set K=V]... [--trace]
//                        [--format text|json|csv|html] [--expect-success] [--timing] [--out FILE]

import { parseArgs, intFlag, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { loadAndSimulate, type SimulateRequest } from '../workers/simulateRun.js';

export async function simulateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, {
    values: ['policy', 'trials', 'seed', 'workers', 'format', 'out', 'engine'],
    repeat: ['set'],
    bools: ['trace', 'expect-success', 'timing'],
  });
  if (args.positional.length !== 1) throw usageError('usage: tdxmodel simulate INPUT|-|preset:NAME [--policy NAME] [--trials N] [--seed S] [--workers N] [--set KEY=VALUE]... [--trace] [--format text|json|csv|html] [--expect-success]');
  const format = choiceFlag(args, 'format', ['text', 'json', 'html', 'csv'] as const, 'text');
  const req: SimulateRequest = {
    input: args.positional[0],
    policy: args.flags.get('policy'),
    sets: args.lists.get('set') ?? [],
    trials: intFlag(args, 'trials', 0, 0, 10_000_000),
    seed: intFlag(args, 'seed', 1, 0, 2 ** 53 - 1),
    // Absent: chosen from the amount of trial work (workers/pool.ts, trialWorkers).
    workers: args.flags.has('workers') ? intFlag(args, 'workers', 1, 1, 256) : undefined,
    trace: args.bools.has('trace'),
    engine: choiceFlag(args, 'engine', ['wasm', 'ts'] as const, 'wasm'),
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
