// tdxmodel calibrate LOG... [--format text|json]

import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { OUT, format } from './options.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { readKernelLog } from '../platform/importers/dmesg.js';
import { calibrate } from '../model/calibrate.js';
import { formatUs, table } from '../report/units.js';

export const CALIBRATE: CommandSpec = {
  name: 'calibrate',
  summary: 'Fit the per-call TDMR.INIT cost (tdmrInitCallUs) and a fixed overhead to the CMR-to-PAMT timing windows of real boot logs, and print the --set line that applies the fit.',
  usage: ['calibrate LOG... [options]'],
  positional: 'LOG: a kernel log with the CMR list and the "allocated for PAMT" line (their timestamps bound the window); - for standard input.',
  options: [format(['text', 'json'], 'text'), OUT],
  formats: ['text  the fit, a table of each log\'s observed and fitted window, and the --set line', 'json  the same as data'],
  examples: ['tdxmodel calibrate boot.txt', 'tdxmodel calibrate host-a.txt host-b.txt --format json'],
};

export async function calibrateCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, CALIBRATE);
  if (args.positional.length === 0) throw usageError(`usage: tdxmodel ${CALIBRATE.usage[0]} (tdxmodel calibrate --help for more)`);
  const format = choiceFlag<'text' | 'json'>(args, 'format');
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
    l.source, String(l.calls), formatUs(l.observedWindowUs), formatUs(l.fittedWindowUs), `${l.errorPct.toFixed(2)}%`, `${l.modelPamtKb}/${l.printedPamtKb ?? '-'}`,
  ])));
  for (const s of r.skipped) lines.push(`skipped ${s.source}: ${s.reason}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push('', r.params ? `use: --set costs.tdmrInitCallUs=${r.params.tdmrInitCallUs.toFixed(3)} --set costs.fixedOverheadUs=${Math.round(r.params.fixedOverheadUs)}` : '');
  await writeOutput(args.flags.get('out'), lines.join('\n') + '\n', out);
  return 0;
}
