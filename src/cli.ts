// tdxmodel: the command line. Each command's module is imported only when it runs, so a cold
// start pays only for what the command needs.

import { InputError } from './platform/errors.js';
import { stdoutOut, exitOnSignals, OutputClosedError, EXIT_PIPE_CLOSED, type Out } from './cli/output.js';

type Command = (argv: string[], out: Out) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  construct: {
    summary: 'TDMR construction only: the kernel-exact RESULT as canonical JSON (--jsonl for many)',
    load: async () => (await import('./cli/construct.js')).constructCommand,
  },
  simulate: {
    summary: 'the whole initialization under a kernel policy: outcome, TDMRs, PAMT, timeline, log',
    load: async () => (await import('./cli/simulate.js')).simulateCommand,
  },
  presets: {
    summary: 'list the built-in platforms (use them as preset:NAME)',
    load: async () => (await import('./cli/presets.js')).presetsCommand,
  },
  import: {
    summary: 'build a platform document from dmesg/journal, /proc/iomem, lscpu -p, /sys node listings',
    load: async () => (await import('./cli/import.js')).importCommand,
  },
  explain: {
    summary: 'read a real boot log, rebuild and simulate the platform, put log and model side by side',
    load: async () => (await import('./cli/explain.js')).explainCommand,
  },
  sweep: {
    summary: 'evaluate a grid or list of platforms/policies on worker threads (CSV or JSON Lines)',
    load: async () => (await import('./cli/sweep.js')).sweepCommand,
  },
  compare: {
    summary: 'two platforms, or one platform under two policies, side by side',
    load: async () => (await import('./cli/compare.js')).compareCommand,
  },
  gate: {
    summary: 're-run a corpus against a stored baseline; exit 1 beyond the tolerances',
    load: async () => (await import('./cli/gate.js')).gateCommand,
  },
  calibrate: {
    summary: 'fit tdmrInitCallUs and a fixed overhead to the timing windows of real logs',
    load: async () => (await import('./cli/calibrate.js')).calibrateCommand,
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
  return ['usage: tdxmodel COMMAND [options]', '', 'commands:', ...rows, '', 'INPUT is a platform file, - for standard input, or preset:NAME.', 'exit codes: 0 ran, 1 gate or --expect-success failed, 2 bad input or usage'].join('\n');
}

/** The package version, from package.json above this file (compiled: dist/src; source: src). */
async function packageVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  for (const rel of ['../../package.json', '../package.json']) {
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
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await out.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    await out.write(`tdxmodel ${await packageVersion()}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new InputError('', `unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})`);
    return await (await cmd.load())(rest, out);
  } catch (e) {
    return failure(e, debug);
  }
}
