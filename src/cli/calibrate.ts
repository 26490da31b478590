// tdxmodel calibrate LOG... [--boot N] [--policy P] [--format text|json]

import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { OUT, BOOT, format, bootFlag } from './options.js';
import { POLICY } from './modelOptions.js';
import { writeOutput, type Out } from './output.js';
import { InputError, printable, usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { readKernelLog } from '../platform/importers/dmesg.js';
import { calibrate, nothingToFit } from '../model/calibrate.js';
import { calibrateText } from '../report/calibrateText.js';

export const CALIBRATE: CommandSpec = {
  name: 'calibrate',
  summary: 'Fit the per-call TDMR.INIT cost (tdmrInitCallUs) and a fixed overhead to the CMR-to-PAMT timing windows of real boot logs, and print the --set line that applies the fit.',
  usage: ['calibrate LOG... [options]'],
  positional: 'LOG: a kernel log with the CMR list and the "allocated for PAMT" line (their timestamps bound the window); - for standard input. A file given twice (or the same boot under another name) counts once; nothing to fit is exit 2 with each log\'s reason.',
  options: [BOOT, POLICY, format(['text', 'json'], 'text'), OUT],
  formats: ['text  the fit, a table of each log\'s observed and fitted window, and the --set line', 'json  the same as data'],
  examples: ['tdxmodel calibrate boot.txt', 'tdxmodel calibrate host-a.txt host-b.txt --format json'],
};

export async function calibrateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, CALIBRATE);
  if (args.positional.length === 0) throw usageError(`usage: tdxmodel ${CALIBRATE.usage[0]} (tdxmodel calibrate --help for more)`);
  const format = choiceFlag<'text' | 'json'>(args, 'format');
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
    .map((l) => `note: ${printable(l.source)}: boot ${l.log.boot.used} of ${l.log.boot.count} used (lines ${l.log.boot.firstLine}-${l.log.boot.lastLine}); --boot N picks another`);
  const text = [calibrateText(r), ...bootNotes].join('\n');
  await writeOutput(args.flags.get('out'), format === 'json' ? JSON.stringify(r) + '\n' : text + '\n', out);
  return 0;
}
