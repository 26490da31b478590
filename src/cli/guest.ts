// tdxmodel guest INPUT [--set PATH=V]... [--trials N --seed S --workers W] [--format text|json|csv|html] [--out FILE]
// tdxmodel guest decode VALUE   (a TDCALL/TDVMCALL status or leaf; src/cli/guestDecode.ts)

import os from 'node:os';
import { parseArgs, intFlag, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';

const USAGE = 'usage: tdxmodel guest INPUT|-|preset:NAME [--set PATH=VALUE]... [--trials N] [--seed S] [--workers N] [--format text|json|csv|html] [--out FILE]; or: tdxmodel guest decode VALUE';

export async function guestCommand(argv: string[], out: Out): Promise<number> {
  if (argv[0] === 'decode') {
    const { guestDecodeCommand } = await import('./guestDecode.js');
    return guestDecodeCommand(argv.slice(1), out);
  }
  const args = parseArgs(argv, { values: ['trials', 'seed', 'workers', 'format', 'out'], repeat: ['set'], bools: [] });
  if (args.positional.length !== 1) throw usageError(USAGE);
  const format = choiceFlag(args, 'format', ['text', 'json', 'csv', 'html'] as const, 'text');
  const { runGuest } = await import('../guest/run.js');
  const report = await runGuest({
    input: args.positional[0],
    sets: args.lists.get('set') ?? [],
    // A trial re-simulates every accepted page (up to 2^21 units per job): 10,000 bounds the work.
    trials: intFlag(args, 'trials', 0, 0, 10_000),
    seed: intFlag(args, 'seed', 1, 0, 2 ** 53 - 1),
    workers: intFlag(args, 'workers', Math.max(1, os.availableParallelism?.() ?? os.cpus().length), 1, 256),
  });
  let text: string;
  if (format === 'json') text = JSON.stringify(report) + '\n';
  else if (format === 'csv') text = (await import('../report/guestCsv.js')).guestCsv(report);
  else if (format === 'html') text = (await import('../report/html/guestHtml.js')).guestHtml(report);
  else text = (await import('../report/guestText.js')).guestText(report) + '\n';
  await writeOutput(args.flags.get('out'), text, out);
  return 0;
}
