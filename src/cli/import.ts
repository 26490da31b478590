// tdxmodel import FILE… [--out FILE] [--name NAME]
//
// Each FILE is read whole and its kind (dmesg/journal, /proc/iomem, lscpu -p, sysfs node
// listing) detected from its content; the merged platform document goes to standard output.

import { parseArgs } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { importSources } from '../platform/importers/merge.js';

export async function importCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['out', 'name'], bools: [] });
  if (args.positional.length === 0) throw usageError('usage: tdxmodel import FILE|-... [--name NAME] [--out FILE]');
  if (args.positional.filter((p) => p === '-').length > 1) throw usageError('standard input (-) can be given once');
  const sources = args.positional.map((f) => readText(f));
  const { document } = importSources(sources.map((s) => ({ file: s.source, text: s.text })), { name: args.flags.get('name') });
  await writeOutput(args.flags.get('out'), JSON.stringify(document, null, 2) + '\n', out);
  return 0;
}
