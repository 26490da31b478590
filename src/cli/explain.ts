// tdxmodel explain LOG [FILE…] [--policy P] [--set K=V]... [--boot N] [--kernel-version V] [--format text|json|html] [--name N] [--out FILE]
//
// LOG is a kernel log; further files (/proc/iomem, lscpu -p, sysfs node listings) refine the
// rebuilt platform the same way `import` merges them. A log holding several boots is read at
// its last boot unless --boot says; --kernel-version overrides the release the log printed.

import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { SET, OUT, BOOT, format, bootFlag } from './options.js';
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
    BOOT,
    { name: 'kernel-version', value: 'V', defaultHelp: "the log's Linux version line", help: 'the kernel release to model (e.g. 6.8, 6.16): it selects the metadata read order of the mainline policy' },
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
  const boot = bootFlag(args);
  const sources = args.positional.map((f) => readText(f)).map((s) => parseSource({ file: s.source, text: s.text }, undefined, { boot }));
  const kernelVersion = args.flags.get('kernel-version');
  // The flag is a --set written without JSON quoting (6.10 must stay a string).
  const sets = [...(kernelVersion === undefined ? [] : [`kernel.version=${JSON.stringify(kernelVersion)}`]), ...(args.lists.get('set') ?? [])];
  const run = await explainSources(sources, { policy: args.flags.get('policy'), sets, name: args.flags.get('name') });
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
