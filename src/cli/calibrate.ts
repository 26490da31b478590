// tdxmodel calibrate LOG... [--boot N] [--policy P] [--format text|json]

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { InputError, usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { readKernelLog } from '../platform/importers/dmesg.js';
import { calibrate, nothingToFit } from '../model/calibrate.js';
import { calibrateText } from '../report/calibrateText.js';
import { bootFlag } from './import.js';

export async function calibrateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'out', 'policy', 'boot'], bools: [] });
  if (args.positional.length === 0) throw usageError('usage: tdxmodel calibrate LOG... [--boot N] [--policy NAME] [--format text|json]');
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  const boot = bootFlag(args);
  const logs = args.positional.map((f) => {
    const { text, source } = readText(f);
    // The last boot of each log unless --boot picks another (several boots are never merged).
    return { source, log: readKernelLog(text, source, { boot }), lines: text.split(/\r?\n/) };
  });
  const r = await calibrate(logs, { policy: args.flags.get('policy') });
  // Nothing to fit is the input's fault, not a result: exit 2 with every log's reason.
  if (!r.params) throw new InputError('calibrate', nothingToFit(r));
  const bootNotes = logs.filter((l) => l.log.boot.count > 1)
    .map((l) => `note: ${l.source}: boot ${l.log.boot.used} of ${l.log.boot.count} used (lines ${l.log.boot.firstLine}-${l.log.boot.lastLine}); --boot N picks another`);
  const text = [calibrateText(r), ...bootNotes].join('\n');
  await writeOutput(args.flags.get('out'), format === 'json' ? JSON.stringify(r) + '\n' : text + '\n', out);
  return 0;
}
