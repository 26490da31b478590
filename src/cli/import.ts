// tdxmodel import FILE… [--out FILE] [--name NAME] [--boot N]
//
// Each FILE is read whole and its kind (dmesg/journal, /proc/iomem, lscpu -p, sysfs node
// listing) detected from its content; the merged platform document goes to standard output,
// what the importer assumed or skipped to standard error (one line each, control characters
// escaped). A kernel log holding several boots is read at its last boot unless --boot says.

import { parseCommand, type CommandSpec } from './args.js';
import { OUT, BOOT, bootFlag } from './options.js';
import { writeOutput, type Out } from './output.js';
import { oneLine, usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { importSources } from '../platform/importers/merge.js';

/** Import notes go to standard error so that standard output stays one JSON document. */
export function warnLines(command: string, warnings: string[]): void {
  for (const w of warnings) process.stderr.write(`tdxmodel ${command}: warning: ${oneLine(w)}\n`);
}

export const IMPORT: CommandSpec = {
  name: 'import',
  summary: "Build a platform document from what a machine prints: dmesg/journal output, /proc/iomem, lscpu -p, /sys/devices/system/node listings. Each file's kind is recognised from its content; the parts are merged, preferring the most direct memory source, and the document's source member says which file and lines each part came from.",
  usage: ['import FILE... [options]'],
  positional: 'FILE: a file to read, or - for standard input (once). Sysfs values are read as "path:value" lines (grep -H . FILES) or a bare value.',
  options: [
    { name: 'name', value: 'NAME', defaultHelp: 'from the first file name', help: 'the platform name in the document' },
    BOOT,
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
  const boot = bootFlag(args);
  const sources = args.positional.map((f) => readText(f));
  const { document, warnings } = importSources(sources.map((s) => ({ file: s.source, text: s.text })), { name: args.flags.get('name'), boot });
  warnLines('import', warnings);
  await writeOutput(args.flags.get('out'), JSON.stringify(document, null, 2) + '\n', out);
  return 0;
}
