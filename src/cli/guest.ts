// tdxmodel guest INPUT [--set PATH=V]... [--trials N --seed S --workers W] [--format text|json|csv|html] [--out FILE]
// tdxmodel guest decode VALUE   (a TDCALL/TDVMCALL status or leaf; src/cli/guestDecode.ts)

import { parseCommand, intFlag, choiceFlag, type CommandSpec } from './args.js';
import { OUT, format } from './options.js';
import { writeOutput, type Out } from './output.js';
import { usageError } from '../platform/errors.js';
import { WORKERS_MAX } from '../workers/chunkPool.js';

export const GUEST: CommandSpec = {
  name: 'guest',
  summary: 'Model one TD on a host: firmware to init and to all memory accepted (accept storm, lazy/eager accept, serial AP bring-up, the host\'s per-page work), the memory TDX costs the guest, and Quote generation latency and outcomes. `guest decode VALUE` explains a TDCALL/TDVMCALL leaf or status.',
  usage: ['guest INPUT [options]', 'guest decode VALUE [--format text|json]'],
  positional: 'INPUT: a TD document (JSON or YAML; fields in docs/guest-schema.md and schema/guest.schema.json), - for standard input, or preset:NAME (tdxmodel presets lists the TD presets). Only vcpus and memoryGiB are required; the report lists every defaulted field.',
  options: [
    { name: 'set', value: 'PATH=VALUE', repeat: true, help: 'override a TD field (vcpus=64, firmware.accept=eager, attestation.pollMs=10) or a guest cost parameter (costs.acceptFaultUs=10) before validation; VALUE is JSON, a string field keeps the text as typed' },
    { name: 'trials', value: 'N', int: { min: 0, max: 10_000 }, default: '0', help: 'Monte Carlo trials of the accept jobs and the quote requests; 0 = the deterministic boot and one attestation run (a trial re-simulates every accepted page: 10,000 bounds the work)' },
    { name: 'seed', value: 'S', int: { min: 0, max: 2 ** 53 - 1 }, default: '1', help: 'random seed; the same seed gives the same bytes for any --workers' },
    { name: 'workers', value: 'N', int: { min: 1, max: WORKERS_MAX }, defaultHelp: 'chosen from the amount of work of each run (accept: units × log2(vCPUs) × trials; quotes: requests × trials), one per 150 ms of it, at most the number of CPUs', help: 'worker threads for the trials, this one included, at most the number of CPUs (two on one CPU); the output is byte-identical for any N' },
    format(['text', 'json', 'csv', 'html'], 'text'),
    OUT,
  ],
  formats: [
    'text  boot timeline, memory costs, attestation latency and outcomes, the parameters and what was defaulted',
    'json  the versioned contract of docs/guest-schema.md',
    'csv   one row per boot phase',
    'html  a self-contained report: boot Gantt chart, accepted memory over time, quote-latency distribution',
  ],
  examples: [
    'tdxmodel guest preset:td-dstack-248',
    'tdxmodel guest td.yaml --set host.privatePageSize=2M --format html --out td.html',
    'tdxmodel guest decode 0x10002',
  ],
};

export async function guestCommand(argv: string[], out: Out): Promise<number> {
  if (argv[0] === 'decode') {
    const { guestDecodeCommand } = await import('./guestDecode.js');
    return guestDecodeCommand(argv.slice(1), out);
  }
  const args = parseCommand(argv, GUEST);
  if (args.positional.length !== 1) throw usageError(`usage: tdxmodel ${GUEST.usage[0]}; or: tdxmodel ${GUEST.usage[1]} (tdxmodel guest --help for more)`);
  const format = choiceFlag<'text' | 'json' | 'csv' | 'html'>(args, 'format');
  const { runGuest } = await import('../workers/guestRun.js');
  const report = await runGuest({
    input: args.positional[0],
    sets: args.lists.get('set') ?? [],
    // A trial re-simulates every accepted page (up to 2^21 units per job): 10,000 bounds the work.
    trials: intFlag(args, 'trials'),
    seed: intFlag(args, 'seed'),
    // Absent: each pool chooses from its estimated work (guestAcceptRun.ts, attestationRun.ts).
    workers: args.flags.has('workers') ? intFlag(args, 'workers') : undefined,
  });
  let text: string;
  if (format === 'json') text = JSON.stringify(report) + '\n';
  else if (format === 'csv') text = (await import('../report/guestCsv.js')).guestCsv(report);
  else if (format === 'html') text = (await import('../report/html/guestHtml.js')).guestHtml(report);
  else text = (await import('../report/guestText.js')).guestText(report) + '\n';
  await writeOutput(args.flags.get('out'), text, out);
  return 0;
}
