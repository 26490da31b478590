// tdxmodel explain LOG [FILE…] [--policy P] [--set K=V]... [--format text|json|html] [--name N] [--out FILE]
//
// LOG is a kernel log; further files (/proc/iomem, lscpu -p, sysfs node listings) refine the
// rebuilt platform the same way `import` merges them.

import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { SET, OUT, format } from './options.js';
import { POLICY } from './modelOptions.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { parseSource } from '../platform/importers/merge.js';
import { explainSources } from '../model/explain.js';

export const EXPLAIN: CommandSpec = {
  name: 'explain',
  summary: "Read a real boot log (dmesg, journalctl, or a paste of its TDX lines), rebuild the platform from it, simulate it, and put the log's TDX facts beside the model's, with a diagnosis of known failure signatures and their remedies.",
  usage: ['explain LOG [FILE...] [options]'],
  positional: 'LOG: a kernel log (- for standard input). FILE: /proc/iomem, lscpu -p or /sys/devices/system/node listings that refine the rebuilt platform, merged as import merges them.',
  options: [
    POLICY,
    SET,
    { name: 'name', value: 'NAME', defaultHelp: 'from the log file name', help: 'the name of the rebuilt platform in the report' },
    format(['text', 'json', 'html'], 'text'),
    OUT,
  ],
  formats: [
    'text  log beside model, diagnosis, remedies',
    'json  the same as data (pretty-printed)',
    'html  a self-contained report',
  ],
  examples: [
    'sudo dmesg > boot.txt && tdxmodel explain boot.txt',
    'tdxmodel explain boot.txt iomem.txt lscpu.txt --format html --out explain.html',
  ],
};

export async function explainCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, EXPLAIN);
  if (args.positional.length === 0) throw usageError(`usage: tdxmodel ${EXPLAIN.usage[0]} (tdxmodel explain --help for more)`);
  const format = choiceFlag<'text' | 'json' | 'html'>(args, 'format');
  const sources = args.positional.map((f) => readText(f)).map((s) => parseSource({ file: s.source, text: s.text }));
  const run = await explainSources(sources, {
    policy: args.flags.get('policy'), sets: args.lists.get('set') ?? [], name: args.flags.get('name'),
  });
  const { result, context } = run;
  if (format === 'json') {
    await writeOutput(args.flags.get('out'), JSON.stringify(result, null, 2) + '\n', out);
  } else if (format === 'html') {
    const { explainHtml } = await import('../report/html/explainHtml.js');
    await writeOutput(args.flags.get('out'), explainHtml(run), out);
  } else {
    const { explainText } = await import('../report/explainText.js');
    await writeOutput(args.flags.get('out'), explainText(result, context) + '\n', out);
  }
  return 0;
}
