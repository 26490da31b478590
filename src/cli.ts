// tdxmodel: the command line. Each command's module is imported only when it runs, so a cold
// start pays only for what the command needs.

import { parseArgs } from 'node:util';
import { InputError } from './platform/errors.js';
import { stdoutOut, exitOnSignals, OutputClosedError, EXIT_PIPE_CLOSED, type Out } from './cli/output.js';
import { closest, commandHelp, type CommandSpec } from './cli/args.js';

type Command = (argv: string[], out: Out) => Promise<number>;
interface Loaded { run: Command; spec: CommandSpec }

// Each entry loads its module on demand; the module declares its options (a CommandSpec)
// beside its code, and `--help` prints that declaration. `early` runs before the load, for work
// that can overlap it; what it returns runs once the command has ended.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Loaded>; early?: (argv: string[]) => Promise<(() => Promise<void>) | undefined> }> = {
  simulate: {
    summary: 'the whole initialization under a kernel policy: outcome, TDMRs, PAMT, timeline, log',
    load: async () => { const m = await import('./cli/simulate.js'); return { run: m.simulateCommand, spec: m.SIMULATE }; },
    early: startWorkersEarly(1, async () => (await import('./workers/pool.js')).prewarmTrialWorkers),
  },
  construct: {
    summary: 'TDMR construction only: the kernel-exact RESULT as canonical JSON (--jsonl for many)',
    load: async () => { const m = await import('./cli/construct.js'); return { run: m.constructCommand, spec: m.CONSTRUCT }; },
  },
  import: {
    summary: 'build a platform document from dmesg/journal, /proc/iomem, lscpu -p, /sys node listings',
    load: async () => { const m = await import('./cli/import.js'); return { run: m.importCommand, spec: m.IMPORT }; },
  },
  explain: {
    summary: 'read a real boot log, rebuild and simulate the platform, put log and model side by side',
    load: async () => { const m = await import('./cli/explain.js'); return { run: m.explainCommand, spec: m.EXPLAIN }; },
  },
  sweep: {
    summary: 'evaluate a grid or list of platforms/policies on worker threads (CSV or JSON Lines)',
    load: async () => { const m = await import('./cli/sweep.js'); return { run: m.sweepCommand, spec: m.SWEEP }; },
  },
  compare: {
    summary: 'two platforms, or one platform under two policies, side by side',
    load: async () => { const m = await import('./cli/compare.js'); return { run: m.compareCommand, spec: m.COMPARE }; },
  },
  gate: {
    summary: 're-run a corpus against a stored baseline; exit 1 beyond the tolerances',
    load: async () => { const m = await import('./cli/gate.js'); return { run: m.gateCommand, spec: m.GATE }; },
  },
  guest: {
    summary: 'one TD on a host: boot to init, memory acceptance, quote latency (guest decode VALUE: a TDCALL/TDVMCALL code)',
    load: async () => { const m = await import('./cli/guest.js'); return { run: m.guestCommand, spec: m.GUEST }; },
    // The boot's acceptance trials run first (two or more trials), then the quote requests.
    early: startWorkersEarly(2, async () => (await import('./workers/guestAcceptRun.js')).prewarmGuestWorkers),
  },
  calibrate: {
    summary: 'fit tdmrInitCallUs and a fixed overhead to the timing windows of real logs',
    load: async () => { const m = await import('./cli/calibrate.js'); return { run: m.calibrateCommand, spec: m.CALIBRATE }; },
  },
  presets: {
    summary: 'list the built-in platforms (preset:NAME), or --dump one as a document to edit',
    load: async () => { const m = await import('./cli/presets.js'); return { run: m.presetsCommand, spec: m.PRESETS }; },
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
  return [
    'usage: tdxmodel COMMAND [options]', '       tdxmodel help COMMAND | COMMAND --help', '       tdxmodel -V | --version', '',
    'commands:', ...rows, '',
    'INPUT is a platform file (JSON or YAML, docs/platform-format.md), - for standard input, or preset:NAME.',
    'global options: --help (-h), --debug (stack trace on an internal error), --version (-V)',
    'exit codes: 0 ran (whatever the modeled outcome), 1 gate or --expect-success failed, 2 bad input or usage, 3 internal error (a bug: report it with --debug)',
  ].join('\n');
}

/**
 * `--trials N --workers W` (W > 1): start the worker threads of the command's first pool (W − 1:
 * this thread is one of the W; at most the CPUs beside this one, prewarmWorkers) before the
 * command's modules load. A thread takes 60-150 ms to come up on the 2-vCPU development
 * machine; started by the run itself it came up 50-100 ms after the trials began, and the
 * trials waited for it on one thread. This reads only the two options (the command's own
 * parser still checks everything), and starts nothing for fewer than `minTrials` trials (the
 * pool would not run). A thread the run did not claim (it failed first,
 * or its pool had too little work) is terminated when the command ends.
 */
function startWorkersEarly(minTrials: number, prewarm: () => Promise<(workers: number) => void>) {
  return async (argv: string[]): Promise<(() => Promise<void>) | undefined> => {
    const { values } = parseArgs({ args: argv, strict: false, allowPositionals: true, options: { trials: { type: 'string' }, workers: { type: 'string' } } });
    const trials = Number(values.trials);
    const workers = Number(values.workers);
    if (!(trials >= minTrials) || !Number.isInteger(workers) || workers < 2) return undefined;
    const { WORKERS_MAX, dropSpareWorkers } = await import('./workers/chunkPool.js');
    if (workers > WORKERS_MAX) return undefined;
    (await prewarm())(workers);
    return dropSpareWorkers;
  };
}

/** Help asked for within a command's arguments (before any "--"). */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** `tdxmodel help [COMMAND]`, `tdxmodel COMMAND --help`. */
async function help(name: string | undefined, out: Out): Promise<number> {
  if (name === undefined) {
    await out.write(usage() + '\n');
    return 0;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) throw unknownCommand(name);
  await out.write(commandHelp((await cmd.load()).spec));
  return 0;
}

function unknownCommand(name: string): InputError {
  const near = closest(name, Object.keys(COMMANDS));
  return new InputError('', `unknown command "${name}"${near ? ` (did you mean ${near}?)` : ''} (try: ${Object.keys(COMMANDS).join(', ')})`);
}

/** The package version, from package.json above this file (source: src; compiled: dist/src; bundled: dist/src/bundle). */
async function packageVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
      if (pkg.name === 'tdxmodel') return String(pkg.version);
    } catch {
      // not this candidate
    }
  }
  return 'unknown';
}

let stderrGuarded = false;

/**
 * Runs one command and returns its exit code. Every failure ends here as one line on standard
 * error (never a stack trace without --debug); a closed output pipe ends quietly; SIGINT,
 * SIGTERM and SIGHUP remove temporary output files and exit 128 + the signal number.
 */
export async function main(argv: string[], out: Out = stdoutOut): Promise<number> {
  // Standard error can be a closed pipe too: there is nowhere left to report that.
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on('error', () => undefined);
  }
  const stopSignals = exitOnSignals();
  try {
    return await runCommand(argv, out);
  } catch (e) {
    return failure(e, argv.includes('--debug'));
  } finally {
    stopSignals();
  }
}

function failure(e: unknown, debug: boolean): number {
  if (e instanceof OutputClosedError) return EXIT_PIPE_CLOSED;
  if (e instanceof InputError) {
    process.stderr.write(`tdxmodel: ${e.message}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
  const err = e as Error;
  process.stderr.write(`tdxmodel: internal error: ${err?.message ?? String(e)}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug) process.stderr.write(`${err?.stack}\n`);
  return 3;
}

async function runCommand(argv: string[], out: Out): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  if (!name) {
    await out.write(usage() + '\n');
    return 2;
  }
  if (name === '--version' || name === '-V') {
    await out.write(`tdxmodel ${await packageVersion()}\n`);
    return 0;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (name === '--help' || name === '-h' || name === 'help') return await help(rest[0], out);
    if (!cmd) throw unknownCommand(name);
    if (wantsHelp(rest)) return await help(name, out);
    const ended = await cmd.early?.(rest);
    try {
      const { run } = await cmd.load();
      return await run(rest, out);
    } finally {
      await ended?.();
    }
  } catch (e) {
    return failure(e, debug);
  }
}
