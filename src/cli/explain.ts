// tdxmodel explain LOG [FILE…] [--policy P] [--set K=V]... [--boot N] [--kernel-version V] [--format text|json|html] [--name N] [--out FILE]
//
// LOG is a kernel log; further files (/proc/iomem, lscpu -p, sysfs node listings) refine the
// rebuilt platform the same way `import` merges them. A log holding several boots is read at
// its last boot unless --boot says; --kernel-version overrides the release the log printed.

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { parseSource } from '../platform/importers/merge.js';
import { explainSources } from '../model/explain.js';
import { bootFlag } from './import.js';

export async function explainCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['policy', 'format', 'out', 'name', 'boot', 'kernel-version'], repeat: ['set'], bools: [] });
  if (args.positional.length === 0) throw usageError('usage: tdxmodel explain LOG|- [FILE...] [--policy NAME] [--set KEY=VALUE]... [--boot N] [--kernel-version V] [--format text|json|html] [--out FILE]');
  const format = choiceFlag(args, 'format', ['text', 'json', 'html'] as const, 'text');
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
