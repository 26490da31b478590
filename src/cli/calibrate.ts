// tdxmodel calibrate LOG... [--format text|json]

import { parseArgs, choiceFlag } from './args.js';
import { writeOutput, type Out } from './output.js';
import { printable, usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { readKernelLog } from '../platform/importers/dmesg.js';
import { calibrate } from '../model/calibrate.js';
import { formatUs, table } from '../report/units.js';

export async function calibrateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'out'], bools: [] });
  if (args.positional.length === 0) throw usageError('usage: tdxmodel calibrate LOG... [--format text|json]');
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  const logs = args.positional.map((f) => {
    const { text, source } = readText(f);
    return { source, log: readKernelLog(text, source) };
  });
  const r = calibrate(logs);
  if (format === 'json') {
    await writeOutput(args.flags.get('out'), JSON.stringify(r) + '\n', out);
    return 0;
  }
  const lines: string[] = [];
  lines.push(r.params
    ? `fit (${r.method}): tdmrInitCallUs = ${r.params.tdmrInitCallUs.toFixed(3)} µs per call, fixedOverheadUs = ${formatUs(r.params.fixedOverheadUs)}; RMS error ${r.rmsErrorPct?.toFixed(2)}%`
    : 'no fit: no log had a usable timing window');
  lines.push('');
  lines.push(table(['log', 'TDMR.INIT calls', 'observed', 'fitted', 'error', 'PAMT KB model/log'], r.logs.map((l) => [
    printable(l.source), String(l.calls), formatUs(l.observedWindowUs), formatUs(l.fittedWindowUs), `${l.errorPct.toFixed(2)}%`, `${l.modelPamtKb}/${l.printedPamtKb ?? '-'}`,
  ])));
  for (const s of r.skipped) lines.push(`skipped ${printable(s.source)}: ${printable(s.reason)}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push('', r.params ? `use: --set costs.tdmrInitCallUs=${r.params.tdmrInitCallUs.toFixed(3)} --set costs.fixedOverheadUs=${Math.round(r.params.fixedOverheadUs)}` : '');
  await writeOutput(args.flags.get('out'), lines.join('\n') + '\n', out);
  return 0;
}
