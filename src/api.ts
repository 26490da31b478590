// The library's task-level functions: what each CLI command does, as typed calls on values
// (text and documents in, typed results out) rather than files and exit codes. Each one runs
// the same code as its command, so the library and the CLI give the same numbers.

import path from 'node:path';
import { readText, loadPlatform as load } from './platform/load.js';
import { validatePlatform as validate } from './platform/validate.js';
import { importSources, parseSource, type ImportedPlatform } from './platform/importers/merge.js';
import { readKernelLog } from './platform/importers/dmesg.js';
import { explainSources, type ExplainOptions, type ExplainRun } from './model/explain.js';
import { calibrate as fit, type CalibrateOptions, type CalibrationResult } from './model/calibrate.js';
import { parseSweepSpec, readSweepSpec } from './model/sweep/spec.js';
import { runSweep, type Shard } from './workers/sweepRun.js';
import { textOf } from './util/byteText.js';
import { splitSets, type SimulationReport } from './model/run.js';
import { simulatePlatform } from './workers/simulateRun.js';
import { prepare as prepareModel, type PreparedPlatform } from './model/prepared.js';
import { compareRows, type CompareRow } from './report/compareRows.js';
import { applySets } from './platform/load.js';
import type { EngineName } from './kernels/engine.js';
import type { Platform } from './platform/types.js';
import type { PlatformDocument } from './platform/document.js';

/** A file's name (used in messages and provenance) and its text. */
export interface TextFile {
  name: string;
  text: string;
}

/** Read files from disk (or "-" for standard input) with the CLI's limits and checks. */
export function readFiles(paths: string[]): TextFile[] {
  return paths.map((p) => {
    const { text, source } = readText(p);
    return { name: source, text };
  });
}

/** A validated platform: new objects, the caller's to change (nothing is shared or frozen). */
export function validatePlatform(doc: PlatformDocument | unknown): Platform {
  return validate(doc);
}

/** A platform from a file, standard input ("-") or "preset:NAME", with --set overrides, validated; the caller's to change. */
export async function loadPlatform(spec: string, sets: string[] = []): Promise<Platform> {
  return load(spec, sets);
}

/**
 * A platform prepared for simulation, to simulate many times: `simulate(prepared, …)` under any
 * policy or cost setting reuses what the model derived from it (the memory list, CPU subsets,
 * module configuration, one TDMR construction per set of module limits, cost values) instead
 * of deriving it again each call. Same numbers as simulating the platform itself.
 *
 * It holds a snapshot: a copy of `platform` taken now. Changing `platform` afterwards (an LP
 * offline, a memory range) does not reach the prepared one; prepare the changed platform again.
 */
export function prepare(platform: Platform): PreparedPlatform {
  return prepareModel(structuredClone(platform));
}

/** `tdxmodel import`: a platform document from kernel logs, /proc/iomem, lscpu -p, sysfs listings. */
export function importPlatform(files: TextFile[], opts: { name?: string } = {}): ImportedPlatform {
  return importSources(files.map((f) => ({ file: f.name, text: f.text })), opts);
}

/** `tdxmodel explain`: the log's facts beside the model's, with a diagnosis. */
export function explain(files: TextFile[], opts: ExplainOptions = {}): Promise<ExplainRun> {
  return explainSources(files.map((f) => parseSource({ file: f.name, text: f.text })), opts);
}

/** `tdxmodel calibrate`: fit tdmrInitCallUs and a fixed overhead to the logs' timing windows. */
export function calibrate(logs: TextFile[], opts: CalibrateOptions & { boot?: number } = {}): Promise<CalibrationResult> {
  const { boot, ...fitOptions } = opts;
  return fit(logs.map((f) => ({ source: f.name, log: readKernelLog(f.text, f.name, { boot }), lines: f.text.split(/\r?\n/) })), fitOptions);
}

export interface CompareOptions {
  /** Policy for each side (default: each platform's kernel.policy). */
  policies?: [string | undefined, string | undefined];
  /** --set overrides applied to both sides (platform fields and costs.NAME). */
  sets?: string[];
  engine?: EngineName;
}

export interface Comparison {
  a: SimulationReport;
  b: SimulationReport;
  rows: CompareRow[];
}

/** `tdxmodel compare`: two platform documents (or one twice, under two policies), side by side. */
export async function compare(a: PlatformDocument, b: PlatformDocument, opts: CompareOptions = {}): Promise<Comparison> {
  const { platformSets, costOverrides } = splitSets(opts.sets ?? []);
  const run = (doc: PlatformDocument, policy: string | undefined): Promise<SimulationReport> => {
    const copy = structuredClone(doc);
    applySets(copy, platformSets);
    return simulatePlatform(validate(copy), { policy, costOverrides, engine: opts.engine });
  };
  const ra = await run(a, opts.policies?.[0]);
  const rb = await run(b, opts.policies?.[1]);
  return { a: ra, b: rb, rows: compareRows(ra, rb) };
}

export interface GateOptions {
  /** The baseline file (written with writeBaseline: true). */
  baseline: string;
  /** Platform files or preset:NAME. */
  inputs: string[];
  /** "time=5%", "tdmrs=1", ... as on the command line. */
  tolerances?: string[];
  policy?: string;
  sets?: string[];
  writeBaseline?: boolean;
}

export interface GateResult {
  pass: boolean;
  rows: { input: string; metric: string; baseline: string; current: string; change: string; regressed: boolean }[];
}

/** `tdxmodel gate`: the corpus against a stored baseline. Runs the command's own code. */
export async function gate(opts: GateOptions): Promise<GateResult> {
  const { gateCommand } = await import('./cli/gate.js');
  const argv = ['--baseline', opts.baseline, '--format', 'json'];
  for (const t of opts.tolerances ?? []) argv.push('--tolerance', t);
  for (const s of opts.sets ?? []) argv.push('--set', s);
  if (opts.policy !== undefined) argv.push('--policy', opts.policy);
  if (opts.writeBaseline) argv.push('--write-baseline');
  let text = '';
  await gateCommand([...argv, '--', ...opts.inputs], { write: async (t) => { text += t; } });
  if (opts.writeBaseline) return { pass: true, rows: [] };
  return JSON.parse(text) as GateResult;
}

/** One sweep row: its index, the axis values, the outcome and the metrics (see sweep --help). */
export type SweepRow = { index: number; initialized: boolean } & Record<string, unknown>;

export interface SweepOptions {
  workers?: number;
  engine?: EngineName;
  shard?: Shard;
  /** Where a base given as a relative path is found (default: the working directory). */
  baseDir?: string;
  signal?: AbortSignal;
}

/**
 * `tdxmodel sweep`: the rows of a sweep spec (YAML/JSON text or a parsed object), in index
 * order, as they complete. Stopping the iteration early stops the sweep.
 */
export async function* sweep(spec: string | Record<string, unknown>, opts: SweepOptions = {}): AsyncGenerator<SweepRow> {
  const dir = opts.baseDir ?? process.cwd();
  const readFile = (p: string): string => readText(path.resolve(dir, p)).text;
  const plan = typeof spec === 'string' ? readSweepSpec(spec, '<spec>', { readFile }) : parseSweepSpec(structuredClone(spec), '<spec>', { readFile });
  const ac = new AbortController();
  opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  const lines: string[] = [];
  let partial = '';
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  const run = runSweep(plan, {
    format: 'jsonl', workers: opts.workers ?? 1, engine: opts.engine, shard: opts.shard, signal: ac.signal,
    write: (t) => {
      const parts = (partial + textOf(t)).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      wake?.();
    },
  }).then(
    () => { finished = true; wake?.(); },
    (e: unknown) => { failure = e; finished = true; wake?.(); },
  );
  let next = 0;
  try {
    for (;;) {
      while (next < lines.length) yield JSON.parse(lines[next++]) as SweepRow;
      lines.splice(0, next);
      next = 0;
      if (finished) break;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
    }
    if (failure) throw failure;
  } finally {
    ac.abort();
    await run;
  }
}
