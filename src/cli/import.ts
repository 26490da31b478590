// tdxmodel import FILE… [--out FILE] [--name NAME]
//
// Each FILE is read whole and its kind (dmesg/journal, /proc/iomem, lscpu -p, sysfs node
// listing) detected from its content; the merged platform document goes to standard output.

import { parseCommand, type CommandSpec } from './args.js';
import { OUT } from './options.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { importSources } from '../platform/importers/merge.js';

export const IMPORT: CommandSpec = {
  name: 'import',
  summary: "Build a platform document from what a machine prints: dmesg/journal output, /proc/iomem, lscpu -p, /sys/devices/system/node listings. Each file's kind is recognised from its content; the parts are merged, preferring the most direct memory source, and the document's source member says which file and lines each part came from.",
  usage: ['import FILE... [options]'],
  positional: 'FILE: a file to read, or - for standard input (once). Sysfs values are read as "path:value" lines (grep -H . FILES) or a bare value.',
  options: [
    { name: 'name', value: 'NAME', defaultHelp: 'from the first file name', help: 'the platform name in the document' },
    OUT,
  ],
  formats: ['the platform document as JSON (docs/platform-format.md)'],
  examples: [
    'tdxmodel import boot.txt iomem.txt lscpu.txt nodes.txt --out me.json',
    'sudo dmesg | tdxmodel import - --name myhost',
  ],
};

export async function importCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, IMPORT);
  if (args.positional.length === 0) throw usageError(`usage: tdxmodel ${IMPORT.usage[0]} (tdxmodel import --help for more)`);
  if (args.positional.filter((p) => p === '-').length > 1) throw usageError('standard input (-) can be given once');
  const sources = args.positional.map((f) => readText(f));
  const { document } = importSources(sources.map((s) => ({ file: s.source, text: s.text })), { name: args.flags.get('name') });
  await writeOutput(args.flags.get('out'), JSON.stringify(document, null, 2) + '\n', out);
  return 0;
}
