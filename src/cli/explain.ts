// tdxmodel explain LOG [FILE…] [--policy P] [--set K=V]... [--format text|json|html] [--name N] [--out FILE]
//
// LOG is a kernel log; further files (/proc/iomem, lscpu -p, sysfs node listings) refine the
// rebuilt platform the same way `import` merges them.

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { parseSource } from '../platform/importers/merge.js';
import { explainSources } from '../model/explain.js';

export async function explainCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['policy', 'format', 'out', 'name'], repeat: ['set'], bools: [] });
  if (args.positional.length === 0) throw usageError('usage: tdxmodel explain LOG|- [FILE...] [--policy NAME] [--set KEY=VALUE]... [--format text|json|html] [--out FILE]');
  const format = choiceFlag(args, 'format', ['text', 'json', 'html'] as const, 'text');
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
