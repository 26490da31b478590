// tdxmodel sweep SPEC [--format csv|jsonl|html] [--metric M] [--out FILE] [--workers N]
//   [--shard K/N | --shard auto [--shards N]] [--engine wasm|ts]
// tdxmodel sweep --merge FILE... [--out FILE]
//
// Rows stream out as soon as every row before them is done, to standard output or to a
// temporary file beside --out that is renamed into place at the end, so a reader never sees a
// half-written file. Ctrl-C (or SIGTERM, SIGHUP) stops the sweep between chunks: the rows done
// so far (a prefix in index order, every row whole) are written as if the sweep had been that
// long, the workers are terminated, and the exit code is 128 + the signal number (130 for
// SIGINT), as a shell reports a killed job. A second signal ends the process at once, with no
// file (output.ts). A reader that closes the pipe (`| head`) stops the sweep too (exit 141).

import path from 'node:path';
import { parseCommand, choiceFlag, intFlag, type CommandSpec } from './args.js';
import { ENGINE, OUT } from './options.js';
import { costSection, policyNames } from './modelOptions.js';
import { textOf } from '../util/byteText.js';
import { writeOutput, openOutput, onInterrupt, signalExitCode, OutputClosedError, EXIT_PIPE_CLOSED, type Out, type Sink, type StopSignal } from './output.js';
import { InputError, usageError } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { WORKERS_MAX } from '../workers/chunkPool.js';
import { readSweepSpec, STRUCTURAL } from '../model/sweep/spec.js';
import { runSweep, type Shard } from '../workers/sweepRun.js';
import { mergeShards, type SweepFormat } from '../model/sweep/output.js';
import { SWEEP_METRICS } from '../report/html/sweepMetrics.js';

const USAGE = 'usage: tdxmodel sweep SPEC [--format csv|jsonl|html] [--metric time|pamt|tdmrs|ready] [--out FILE] [--workers N] [--shard K/N|auto] [--shards N] [--engine wasm|ts], or tdxmodel sweep --merge FILE... [--out FILE]';
/** 128 + SIGINT, what a shell reports for a job stopped with Ctrl-C (other signals: 128 + N). */
export const EXIT_INTERRUPTED = 130;

export function parseShard(s: string): Shard {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(s);
  if (!m) throw usageError(`--shard takes K/N (shard K of N, K from 1), got "${s}"`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 1_000_000 || k < 1 || k > n) throw usageError(`--shard ${s}: need 1 ≤ K ≤ N ≤ 1000000`);
  return { k, n };
}

/**
 * --shard auto: the shard index and count from the scheduler's environment (docs/sweep-spec.md).
 * The index: TDXMODEL_SHARD_INDEX (0-based, set it from a CI matrix value), Kubernetes Indexed
 * Job's JOB_COMPLETION_INDEX (0-based), GitLab's CI_NODE_INDEX (1-based), Buildkite's
 * BUILDKITE_PARALLEL_JOB (0-based). The count: --shards N, else TDXMODEL_SHARDS, CI_NODE_TOTAL,
 * BUILDKITE_PARALLEL_JOB_COUNT (Kubernetes puts .spec.completions in no variable: pass it).
 */
export function autoShard(env: NodeJS.ProcessEnv, shardsFlag: string | undefined): Shard & { from: string } {
  const indexVars: [string, number][] = [['TDXMODEL_SHARD_INDEX', 0], ['JOB_COMPLETION_INDEX', 0], ['CI_NODE_INDEX', 1], ['BUILDKITE_PARALLEL_JOB', 0]];
  const countVars = ['TDXMODEL_SHARDS', 'CI_NODE_TOTAL', 'BUILDKITE_PARALLEL_JOB_COUNT'];
  const found = indexVars.find(([v]) => env[v] !== undefined && env[v] !== '');
  if (!found) throw usageError(`--shard auto: none of ${indexVars.map(([v]) => v).join(', ')} is set (or give --shard K/N)`);
  const [indexVar, origin] = found;
  const whole = (v: string, what: string): number => {
    if (!/^[0-9]{1,7}$/.test(v)) throw usageError(`--shard auto: ${what} must be a whole number, got "${v}"`);
    return Number(v);
  };
  const index = whole(env[indexVar]!, indexVar);
  const countVar = shardsFlag !== undefined ? '--shards' : countVars.find((v) => env[v] !== undefined && env[v] !== '');
  if (!countVar) throw usageError(`--shard auto: the shard count is unknown: give --shards N (the Job's completions or the matrix size) or set ${countVars.join(', ')}`);
  const n = whole(countVar === '--shards' ? shardsFlag! : env[countVar]!, countVar);
  const k = index - origin + 1;
  if (n < 1 || n > 1_000_000 || k < 1 || k > n) {
    throw usageError(`--shard auto: ${indexVar}=${index} is not a shard of ${n} (${countVar}); ${origin === 0 ? 'indices run from 0 to N-1' : 'indices run from 1 to N'}`);
  }
  return { k, n, from: `${indexVar}=${index} and ${countVar}${countVar === '--shards' ? ' ' : '='}${n}` };
}

/** A one-line progress bar on standard error, redrawn at most ten times a second. */
export function progressBar(stream: { write(s: string): unknown }, env: NodeJS.ProcessEnv = process.env): { update(done: number, total: number): void; end(): void } {
  // no-color.org: any non-empty NO_COLOR turns colour off.
  const color = !env.NO_COLOR;
  const started = performance.now();
  let lastDraw = 0;
  let shown = false;
  const draw = (done: number, total: number): void => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : NaN;
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const text = `sweep [${color ? `\x1b[32m${bar}\x1b[0m` : bar}] ${done}/${total} ${pct}% ${Math.round(rate)} rows/s ETA ${clock(eta)}`;
    stream.write(`\r${text}\x1b[K`);
    shown = true;
  };
  return {
    update(done, total) {
      const now = performance.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      draw(done, total);
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

function clock(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export const SWEEP: CommandSpec = {
  name: 'sweep',
  summary: 'Evaluate a grid (every combination of the axes) or a list of platform/policy/parameter variants of a base platform on worker threads; one row per point, streamed in order.',
  usage: ['sweep SPEC [options]', 'sweep --merge FILE... [--out FILE]'],
  positional: 'SPEC: a sweep spec (JSON or YAML; docs/sweep-spec.md, examples/sweep-spec.yaml): a base platform (preset:NAME or a path relative to the spec) and a grid of axes or a list of variants; - for standard input.',
  options: [
    { name: 'format', value: 'FMT', choices: ['csv', 'jsonl', 'html'], default: 'csv', help: 'output format (below)' },
    { name: 'metric', value: 'NAME', choices: SWEEP_METRICS, default: 'time', help: 'what the html page plots against each axis (with --format html only)' },
    OUT,
    { name: 'workers', value: 'N', int: { min: 1, max: WORKERS_MAX }, defaultHelp: 'chosen from the estimated work (platform rows: the row count, one worker per 2 s; guest rows (kind: guest): each row\'s kernel work, one worker per 400 ms), at most the number of CPUs', help: 'worker threads, at most the number of CPUs (two on one CPU); rows are byte-identical for any N' },
    { name: 'shard', value: 'K/N|auto', help: 'evaluate only shard K of N (K from 1), for several machines; join the outputs with --merge. auto: the index from TDXMODEL_SHARD_INDEX, JOB_COMPLETION_INDEX (Kubernetes Indexed Job), CI_NODE_INDEX or BUILDKITE_PARALLEL_JOB, the count from --shards, TDXMODEL_SHARDS, CI_NODE_TOTAL or BUILDKITE_PARALLEL_JOB_COUNT (docs/sweep-spec.md)' },
    { name: 'shards', value: 'N', int: { min: 1, max: 1_000_000 }, help: 'the shard count for --shard auto (Kubernetes puts the completions count in no variable)' },
    { name: 'merge', help: 'join shard outputs (FILE...) into the output of the unsharded sweep' },
    ENGINE,
  ],
  formats: ['csv    a header and one row per point (text cells that would start a spreadsheet formula are guarded; plain numbers never)', 'jsonl  one JSON object per point', 'html   a self-contained page: the chosen --metric against each axis, one series per policy, and the rows'],
  sections: [
    { title: 'axes', lines: [
      `structural (rebuild the machine): ${STRUCTURAL.join(', ')}`,
      `policy: kernel policies (${policyNames()})`,
      'any platform path --set accepts: module.maxTdmrs, kernel.holes, kernel.initCpus, ...',
      'costs.NAME: a cost parameter (below)',
    ] },
    costSection(),
  ],
  exitMore: [
    `${EXIT_INTERRUPTED}  interrupted (Ctrl-C): the rows done so far are written, whole and in index order`,
    `${EXIT_PIPE_CLOSED}  the reader of standard output went away (| head)`,
  ],
  examples: ['tdxmodel sweep examples/sweep-spec.yaml --out rows.csv', 'tdxmodel sweep spec.yaml --shard 1/4 --out part1.csv   (then: tdxmodel sweep --merge part*.csv --out rows.csv)'],
};

export async function sweepCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, SWEEP);
  const file = args.flags.get('out');
  if (args.bools.has('merge')) {
    for (const f of ['format', 'workers', 'shard', 'shards', 'engine', 'metric']) if (args.flags.has(f)) throw usageError(`--merge takes no --${f} (the files say their format)`);
    if (args.positional.length === 0) throw usageError(USAGE);
    const files = args.positional.map((f) => ({ name: f, text: readText(f).text }));
    await writeOutput(file, mergeShards(files), out);
    return 0;
  }
  if (args.positional.length !== 1) throw usageError(USAGE);
  const outputFormat = choiceFlag(args, 'format', ['csv', 'jsonl', 'html'] as const, 'csv');
  // The HTML page is built from the rows as JSON Lines, kept in memory, at the end.
  const format: SweepFormat = outputFormat === 'html' ? 'jsonl' : outputFormat;
  const metric = choiceFlag(args, 'metric', SWEEP_METRICS, 'time');
  if (args.flags.has('metric') && outputFormat !== 'html') throw usageError('--metric chooses what the --format html plots show');
  const engine = choiceFlag(args, 'engine', ['wasm', 'ts'] as const, 'wasm');
  // Absent: runSweep chooses from the row count (workers/chunkPool.ts, sweepWorkers).
  const workers = args.flags.has('workers') ? intFlag(args, 'workers', 1, 1, WORKERS_MAX) : undefined;
  const shardFlag = args.flags.get('shard');
  if (args.flags.has('shards') && shardFlag !== 'auto') throw usageError('--shards N goes with --shard auto (or write --shard K/N)');
  const shard = shardFlag === undefined ? undefined : shardFlag === 'auto' ? autoShard(process.env, args.flags.get('shards')) : parseShard(shardFlag);
  if (shard && outputFormat === 'html') throw usageError('--format html draws a whole sweep: run the shards as CSV or JSON Lines, merge them, and draw the unsharded sweep');

  const specArg = args.positional[0];
  const { text, source } = readText(specArg);
  // A base named by path is relative to the spec file (stdin: to the working directory).
  const dir = specArg === '-' ? process.cwd() : path.dirname(path.resolve(specArg));
  const plan = readSweepSpec(text, source, {
    readFile: (p) => readText(path.resolve(dir, p)).text,
  });
  // The page plots host metrics (init time, PAMT, TDMRs, readiness); a TD sweep's columns differ.
  if (plan.guest && outputFormat === 'html') throw usageError(`${source}: --format html plots host sweeps; a guest sweep (kind: guest) writes csv or jsonl`);

  const started = performance.now();
  const toStdout = file === undefined || file === '-';
  // The HTML page is drawn from all the rows at the end: they are collected, not streamed.
  let collected = '';
  const sink: Sink = outputFormat === 'html'
    ? { write: async (t) => { collected += textOf(t); }, finish: async () => undefined, discard: () => { collected = ''; } }
    : await openOutput(file, out);
  const bar = process.stderr.isTTY ? progressBar(process.stderr) : null;
  const ac = new AbortController();
  let signal: StopSignal | null = null;
  const stopInterrupt = onInterrupt((s) => {
    signal = s;
    ac.abort();
  });
  let result;
  try {
    result = await runSweep(plan, {
      format, workers, engine, shard, signal: ac.signal,
      // A write that fails (a closed pipe, a full disk) stops the sweep; finish() reports it.
      write: (t) => sink.write(t).catch(() => ac.abort()),
      onProgress: bar ? (d, t) => bar.update(d, t) : undefined,
    });
    await sink.finish();
  } catch (e) {
    sink.discard();
    if (e instanceof InputError || e instanceof OutputClosedError) throw e;
    const what = file === undefined || file === '-' ? 'the rows above are complete, the rest is missing' : `${file} not written`;
    throw new Error(`sweep failed (${what}): ${(e as Error).message}`, { cause: e });
  } finally {
    bar?.end();
    stopInterrupt();
  }
  if (signal !== null) {
    process.stderr.write(`tdxmodel: sweep interrupted: ${result.rows} of ${result.total} rows written\n`);
    return signalExitCode(signal);
  }
  if (outputFormat === 'html') {
    const { sweepHtml } = await import('../report/html/sweepHtml.js');
    await writeOutput(file, sweepHtml(plan, parseRows(collected), metric), out);
  }
  // Standard output is the data; a file's reader wants to know what went into it.
  if (!toStdout) {
    const where = shard ? `shard ${shard.k}/${shard.n}${'from' in shard ? ` from ${shard.from}` : ''}; ` : '';
    process.stderr.write(`tdxmodel: sweep: ${result.rows} rows (${where}${result.failed} failed to initialize, ${result.invalid} of them invalid combinations) in ${((performance.now() - started) / 1000).toFixed(2)} s → ${file}\n`);
  }
  return 0;
}

function parseRows(jsonl: string): Record<string, unknown>[] {
  return jsonl.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}
