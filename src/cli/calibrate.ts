// tdxmodel calibrate LOG... [--policy P] [--format text|json]

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { InputError, usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { readKernelLog } from '../platform/importers/dmesg.js';
import { calibrate, nothingToFit } from '../model/calibrate.js';
import { calibrateText } from '../report/calibrateText.js';

export async function calibrateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'out', 'policy'], bools: [] });
  if (args.positional.length === 0) throw usageError('usage: tdxmodel calibrate LOG... [--policy NAME] [--format text|json]');
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  const logs = args.positional.map((f) => {
    const { text, source } = readText(f);
    return { source, log: readKernelLog(text, source), lines: text.split(/\r?\n/) };
  });
  const r = await calibrate(logs, { policy: args.flags.get('policy') });
  // Nothing to fit is the input's fault, not a result: exit 2 with every log's reason.
  if (!r.params) throw new InputError('calibrate', nothingToFit(r));
  await writeOutput(args.flags.get('out'), format === 'json' ? JSON.stringify(r) + '\n' : calibrateText(r) + '\n', out);
  return 0;
}
