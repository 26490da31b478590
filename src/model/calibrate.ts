// Fit the TDMR.INIT cost to the CMR→PAMT windows of real boot logs (cost-model.md §3).
//
// The fit is made on the very model `explain` and `simulate` run, so its `--set` line
// round-trips: each log is explained (platform rebuilt from the log, simulated with the WASM
// construct engine), and the modeled window is split into the TDMR.INIT phase and the rest
// (TDMR construction, PAMT allocation, CONFIG, WBINVD, KEY.CONFIG, all modeled). The window is
// linear in the two free parameters:
//     window = rest + fixedOverheadUs + K · tdmrInitCallUs
// with K the TDMR.INIT phase in units of one call (the call count when TDMR.INIT is serial, the
// busiest lane's calls when it is parallel). Only `rest` is subtracted; it is not refitted.
//
// Robust fit: Theil–Sen (slope = median of the pairwise slopes, intercept = median of the
// residuals). Two real hosts with one memory layout have taken 2.19 s and 4.04 s; least squares
// follows such a boot half way, a median does not (breakdown point 29%: one bad log of four
// moves it little), and unlike a Huber fit it needs no scale parameter, which a handful of logs
// cannot estimate. With few logs no method is robust; the residuals are printed per log, and
// logs outside the 80% band of boot-to-boot variation are named in a warning.

import { createHash } from 'node:crypto';
import type { KernelLog } from '../platform/importers/dmesg.js';
import { explainSources, logFacts } from './explain.js';
import { windowParts, bootLn, sampleSd, INTERVAL_LEVEL, Z90 } from './interval.js';
import { TDMR_INIT_BOOT_SIGMA } from './costs.js';
import type { SimulationReport } from './run.js';
import { InputError } from '../platform/errors.js';
import { getPolicy } from './policies/registry.js';

export interface CalibrationLogInput {
  source: string;
  log: KernelLog;
  /** The log's lines (evidence texts in explain's diagnoses). */
  lines?: string[];
}

export interface CalibratedLog {
  source: string;
  /** Where explain took the memory map from ('cmrs' for `dmesg | grep tdx` pastes). */
  memoryFrom: string | null;
  /** TDMR.INIT calls the model makes, and K: the TDMR.INIT phase in calls (= calls when serial). */
  calls: number;
  phaseCalls: number;
  /** Modeled window time outside TDMR.INIT (construction, allocation, CONFIG, WBINVD, KEY.CONFIG), µs. */
  restUs: number;
  observedWindowUs: number;
  /** rest + fixedOverheadUs + K · tdmrInitCallUs with the fitted (printed) parameters. */
  fittedWindowUs: number;
  /** (observed − fitted) / fitted × 100. */
  residualPct: number;
  /** ln of the boot factor this log implies for its TDMR.INIT phase (0 = exactly the fit); null when the fit leaves it no TDMR.INIT time. */
  bootLn: number | null;
  modelPamtKb: number | null;
  printedPamtKb: number;
  pamtMatches: boolean;
}

export interface SkippedLog {
  source: string;
  reason: string;
}

export type FitMethod = 'theil-sen' | 'median-ratio' | 'single-log' | 'none';

export interface CalibrationResult {
  method: FitMethod;
  /** Fitted parameters as printed (tdmrInitCallUs to 1e-4 µs, fixedOverheadUs to 1 µs): the --set line. */
  params: { tdmrInitCallUs: number; fixedOverheadUs: number } | null;
  /** Sample standard deviation of the logs' bootLn (n ≥ 3; null below): the spread these logs show. */
  bootSigmaEstimate: number | null;
  notes: string[];
  warnings: string[];
  logs: CalibratedLog[];
  skipped: SkippedLog[];
}

export interface CalibrateOptions {
  /** Kernel policy to model the logs under (default: what explain picks). */
  policy?: string;
}

interface Point {
  source: string;
  memoryFrom: string | null;
  calls: number;
  k: number;
  restUs: number;
  yUs: number;
  modelPamtKb: number | null;
  printedPamtKb: number;
}

/**
 * What a log is, whatever its file is called: every fact read from it (lines, timestamps, TDX
 * lines), so a file given twice, or copied under another name, is one log; two boots picked from
 * one journal are two.
 */
function contentKey(input: CalibrationLogInput): string {
  return createHash('sha256').update(JSON.stringify({ ...input.log, source: '' })).digest('hex');
}

/** A log's TDMR.INIT phase inside the modeled window, in calls, and everything else in it. */
function decompose(report: SimulationReport): { k: number; restUs: number; calls: number } | null {
  const parts = report.outcome.initialized ? windowParts(report.timeline) : null;
  if (!parts) return null;
  const perCall = report.parameters.find((p) => p.name === 'tdmrInitCallUs')!.value;
  return { k: parts.phaseUs / perCall, restUs: parts.restUs, calls: report.seamcalls.perLeaf['TDH.SYS.TDMR.INIT'] ?? 0 };
}

async function collect(inputs: CalibrationLogInput[], opts: CalibrateOptions, skipped: SkippedLog[]): Promise<Point[]> {
  const points: Point[] = [];
  const seen = new Map<string, string>();
  for (const input of inputs) {
    const { source, log } = input;
    const key = contentKey(input);
    const first = seen.get(key);
    if (first !== undefined) {
      skipped.push({ source, reason: `same content as ${first}: counted once` });
      continue;
    }
    seen.set(key, source);
    const facts = logFacts(log);
    if (!log.pamt) {
      skipped.push({ source, reason: 'no "KB allocated for PAMT" line: initialization did not finish in this excerpt' });
      continue;
    }
    if (facts.windowSeconds === null) {
      skipped.push({ source, reason: 'no timing window: the PAMT line or the CMR/module line before it has no timestamp, or is missing' });
      continue;
    }
    if (facts.windowSeconds <= 0) {
      skipped.push({ source, reason: `non-positive window (${facts.windowSeconds} s)` });
      continue;
    }
    let run;
    try {
      run = await explainSources([{ kind: 'dmesg', file: source, log, lines: input.lines ?? [] }], {
        policy: opts.policy, sets: ['costs.fixedOverheadUs=0'],
      });
    } catch (e) {
      // A platform rebuilt from a damaged excerpt may not validate: that log has no model.
      if (!(e instanceof InputError)) throw e;
      skipped.push({ source, reason: `no model: ${e.message}` });
      continue;
    }
    const parts = run.report ? decompose(run.report) : null;
    if (!run.report || !parts || parts.k <= 0) {
      const why = run.report ? (run.report.outcome.error?.message ?? 'no TDMR.INIT in the modeled window') : 'the platform cannot be rebuilt from it';
      skipped.push({ source, reason: `no modeled window to fit: ${why}` });
      continue;
    }
    const yUs = Math.round(facts.windowSeconds * 1e6);
    if (yUs <= parts.restUs) {
      // Nothing left for TDMR.INIT: the fixed parameters (PAMT allocation, WBINVD) are slower than this machine.
      skipped.push({ source, reason: `its window (${facts.windowSeconds} s) is no longer than the modeled rest of it (${(parts.restUs / 1e6).toFixed(6)} s: construction, PAMT allocation, CONFIG, WBINVD, KEY.CONFIG), so it leaves no time for TDMR.INIT; check costs.allocBandwidthGBps and costs.wbinvdUs` });
      continue;
    }
    points.push({
      source, memoryFrom: run.context.memoryFrom, calls: parts.calls, k: parts.k, restUs: parts.restUs,
      yUs, modelPamtKb: run.result.model?.pamtKb ?? null, printedPamtKb: log.pamt.kb,
    });
  }
  return points;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Theil–Sen on (K, window − rest), constrained to fixedOverheadUs ≥ 0 and tdmrInitCallUs > 0. */
function fit(points: Point[], notes: string[]): { method: FitMethod; a: number; b: number } {
  const y = points.map((p) => p.yUs - p.restUs);
  const ratio = (): number => median(points.map((p, i) => y[i] / p.k));
  if (points.length === 1) {
    notes.push('one usable log: fixedOverheadUs = 0 and tdmrInitCallUs = (window − modeled rest) / calls; a second log of another size separates the two');
    return { method: 'single-log', a: 0, b: ratio() };
  }
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dk = points[j].k - points[i].k;
      if (Math.abs(dk) > 1e-9 * Math.max(points[i].k, points[j].k)) slopes.push((y[j] - y[i]) / dk);
    }
  }
  if (slopes.length === 0) {
    notes.push('every usable log has the same TDMR.INIT call count: the fixed overhead cannot be told from the per-call cost, so fixedOverheadUs = 0 and tdmrInitCallUs = the median of (window − modeled rest) / calls');
    return { method: 'median-ratio', a: 0, b: ratio() };
  }
  const b = median(slopes);
  const a = median(points.map((p, i) => y[i] - b * p.k));
  if (b <= 0 || a < 0) {
    notes.push(`the Theil–Sen line (fixedOverheadUs ${a.toFixed(0)} µs, tdmrInitCallUs ${b.toFixed(3)} µs) is not physical: fixedOverheadUs = 0 and tdmrInitCallUs = the median of (window − modeled rest) / calls`);
    return { method: 'median-ratio', a: 0, b: ratio() };
  }
  notes.push(`Theil–Sen over ${points.length} logs: window − modeled rest = fixedOverheadUs + calls × tdmrInitCallUs (median of pairwise slopes, then median intercept)`);
  if (points.length === 2) notes.push('two logs determine the line exactly: their residuals say nothing about the model');
  return { method: 'theil-sen', a, b };
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export async function calibrate(inputs: CalibrationLogInput[], options: CalibrateOptions = {}): Promise<CalibrationResult> {
  // An unknown policy is the caller's mistake, not a log's: refused before any log is read.
  if (options.policy !== undefined) getPolicy(options.policy);
  const skipped: SkippedLog[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const points = await collect(inputs, options, skipped);
  if (points.length === 0) {
    return { method: 'none', params: null, bootSigmaEstimate: null, notes, warnings, logs: [], skipped };
  }
  const f = fit(points, notes);
  // The printed values are the fitted ones: the --set line reproduces these windows exactly.
  const params = { tdmrInitCallUs: Math.max(1e-4, Math.round(f.b * 1e4) / 1e4), fixedOverheadUs: Math.round(f.a) };
  const logs: CalibratedLog[] = points.map((p) => {
    const phase = p.k * params.tdmrInitCallUs;
    const fitted = p.restUs + params.fixedOverheadUs + phase;
    return {
      source: p.source, memoryFrom: p.memoryFrom, calls: p.calls, phaseCalls: p.k, restUs: Math.round(p.restUs),
      observedWindowUs: p.yUs, fittedWindowUs: Math.round(fitted), residualPct: ((p.yUs - fitted) / fitted) * 100,
      bootLn: finiteOrNull(bootLn(p.yUs, { phaseUs: phase, restUs: p.restUs + params.fixedOverheadUs })),
      modelPamtKb: p.modelPamtKb, printedPamtKb: p.printedPamtKb, pamtMatches: p.modelPamtKb === p.printedPamtKb,
    };
  });
  const band = Z90 * TDMR_INIT_BOOT_SIGMA;
  const outside = logs.filter((l) => l.bootLn === null || Math.abs(l.bootLn) > band);
  if (outside.length) {
    warnings.push(`large spread: ${outside.map((l) => `${l.source} (${l.residualPct >= 0 ? '+' : ''}${l.residualPct.toFixed(1)}%)`).join(', ')} ${outside.length === 1 ? 'lies' : 'lie'} outside the ${100 * INTERVAL_LEVEL}% band of boot-to-boot variation around the fit (TDMR.INIT phase × e^±${band.toFixed(3)}, σ = ${TDMR_INIT_BOOT_SIGMA}): a slow or fast boot, or a machine unlike the others; compare more boots of it`);
  }
  const lns = logs.map((l) => l.bootLn).filter((x): x is number => x !== null);
  const bootSigmaEstimate = logs.length >= 3 && lns.length === logs.length ? sampleSd(lns) : null;
  if (bootSigmaEstimate !== null && bootSigmaEstimate > 2 * TDMR_INIT_BOOT_SIGMA) {
    warnings.push(`large spread: these logs scatter about the fit with σ ≈ ${bootSigmaEstimate.toFixed(3)}, more than twice the default boot-to-boot σ (${TDMR_INIT_BOOT_SIGMA}); pass --set costs.tdmrInitBootSigma=${bootSigmaEstimate.toFixed(2)} for intervals that reflect them`);
  }
  const mismatched = logs.filter((l) => !l.pamtMatches);
  if (mismatched.length) {
    notes.push(`the modeled PAMT differs from the printed figure in ${mismatched.map((l) => l.source).join(', ')}: the rebuilt memory map differs from the machine's there, so its call count is approximate`);
  }
  notes.push('each log is modeled as `explain` models it (same platform, policy and WASM construct engine); the modeled rest of the window (construction, PAMT allocation, CONFIG, WBINVD, KEY.CONFIG) is subtracted before the fit');
  return { method: f.method, params, bootSigmaEstimate, notes, warnings, logs, skipped };
}

/** The one-line reason nothing could be fitted, naming each log and why it was skipped. */
export function nothingToFit(r: CalibrationResult): string {
  return `nothing to fit: no log has a usable CMR→PAMT window (${r.skipped.map((s) => `${s.source}: ${s.reason}`).join('; ')})`;
}
