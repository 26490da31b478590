// Fit the TDMR.INIT cost to the timing windows of real boot logs (cost-model.md §3).
//
// Posted logs are nearly always `dmesg | grep tdx`: the memory map is gone, the CMR lines
// survive. Treating each CMR as one memory region and building TDMRs the mainline way
// reproduces the printed PAMT figure in most such logs (real-logs/README.md), so the CMRs are
// a good enough memory map to count TDMR.INIT calls. The PAMT comparison per log says how far
// that stand-in can be trusted for that log.

import { validatePlatform } from '../platform/validate.js';
import { toConstructInput } from '../construct/input.js';
import { constructReference } from '../reference/construct.js';
import type { KernelLog } from '../platform/importers/dmesg.js';
import { timingWindow } from '../platform/importers/dmesg.js';
import { COST_PARAMETERS } from './costs.js';

export interface CalibrationLogInput {
  source: string;
  log: KernelLog;
}

export interface CalibratedLog {
  source: string;
  /** Where the memory map came from; only 'cmrs' today (a full memory map may follow). */
  memoryFrom: 'cmrs';
  cmrCount: number;
  tdmrCount: number;
  tdmrBytes: number;
  calls: number;
  observedWindowUs: number;
  fittedWindowUs: number;
  /** (fitted − observed) / observed × 100. */
  errorPct: number;
  modelPamtKb: number;
  printedPamtKb: number;
  pamtMatches: boolean;
  /** Lines the window was read from (last CMR line, PAMT line). */
  windowLines: [number, number];
}

export interface SkippedLog {
  source: string;
  reason: string;
}

export type FitMethod = 'least-squares' | 'through-origin' | 'single-log' | 'none';

export interface CalibrationResult {
  method: FitMethod;
  /** Fitted parameters, in cost-parameter units, ready to pass as cost overrides. */
  params: { tdmrInitCallUs: number; fixedOverheadUs: number } | null;
  /** Plain-language account of how the fit was made and what it cannot tell. */
  notes: string[];
  logs: CalibratedLog[];
  skipped: SkippedLog[];
  /** Root mean square of the per-log error percentages. */
  rmsErrorPct: number | null;
}

export interface CalibrateOptions {
  /** TDMR bytes per TDMR.INIT call; default: the cost table's tdmrChunkBytes (no Dynamic PAMT). */
  chunkBytes?: number;
}

interface Point {
  source: string;
  log: KernelLog;
  calls: number;
  windowUs: number;
  tdmrCount: number;
  tdmrBytes: number;
  modelPamtKb: number;
  windowLines: [number, number];
}

function defaultChunkBytes(): number {
  const p = COST_PARAMETERS.find((c) => c.name === 'tdmrChunkBytes');
  if (!p) throw new Error('cost table lacks tdmrChunkBytes');
  return p.default;
}

/** TDMRs for a log's CMRs taken as node-0 memory, with the module's default limits. */
function tdmrsFromCmrs(log: KernelLog): { ok: true; sizes: number[]; pamtKb: number } | { ok: false; reason: string } {
  const hex = (n: number): string => '0x' + n.toString(16);
  let platform;
  try {
    platform = validatePlatform({
      name: log.source,
      memory: log.cmrs.map((c) => ({ start: hex(c.start), end: hex(c.end), node: 0 })),
      cmrs: log.cmrs.map((c) => ({ start: hex(c.start), end: hex(c.end) })),
    });
  } catch (e) {
    return { ok: false, reason: `its CMR list is not a valid memory map (${(e as Error).message})` };
  }
  const r = constructReference(toConstructInput(platform));
  if (!r.ok) return { ok: false, reason: `TDMR construction from its CMRs fails (${r.error})` };
  return { ok: true, sizes: r.tdmrs.map((t) => t.size), pamtKb: r.pamtKb };
}

function collect(inputs: CalibrationLogInput[], chunk: number, skipped: SkippedLog[]): Point[] {
  const points: Point[] = [];
  for (const { source, log } of inputs) {
    if (log.cmrs.length === 0) {
      skipped.push({ source, reason: 'no CMR lines (newer kernels print none): no memory map to count TDMR.INIT calls' });
      continue;
    }
    if (!log.pamt) {
      skipped.push({ source, reason: 'no "KB allocated for PAMT" line: initialization did not finish in this excerpt' });
      continue;
    }
    const w = timingWindow(log);
    if (!w) {
      skipped.push({ source, reason: 'the CMR or PAMT line has no timestamp: no timing window' });
      continue;
    }
    if (w.seconds <= 0) {
      skipped.push({ source, reason: `non-positive window (${w.seconds} s) between lines ${w.from.line} and ${w.to.line}` });
      continue;
    }
    const t = tdmrsFromCmrs(log);
    if (!t.ok) {
      skipped.push({ source, reason: t.reason });
      continue;
    }
    const tdmrBytes = t.sizes.reduce((a, b) => a + b, 0);
    // The module walks every TDMR in whole chunks, holes included: cost scales with TDMR size.
    const calls = t.sizes.reduce((a, s) => a + Math.ceil(s / chunk), 0);
    points.push({
      source, log, calls, windowUs: Math.round(w.seconds * 1e6), tdmrCount: t.sizes.length, tdmrBytes,
      modelPamtKb: t.pamtKb, windowLines: [w.from.line, w.to.line],
    });
  }
  return points;
}

/** Least squares for y = a + b·x; falls back to y = b·x when a would be negative or x is constant. */
function fit(points: Point[], notes: string[]): { method: FitMethod; a: number; b: number } {
  const n = points.length;
  const xs = points.map((p) => p.calls);
  const ys = points.map((p) => p.windowUs);
  const throughOrigin = (): number => {
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += xs[i] * ys[i];
      sxx += xs[i] * xs[i];
    }
    return sxy / sxx;
  };
  if (n === 1) {
    notes.push('one usable log: fixedOverheadUs is set to 0 and tdmrInitCallUs = window / calls, so the per-call cost absorbs every fixed cost in the window (allocation, CONFIG, WBINVD, KEY.CONFIG)');
    return { method: 'single-log', a: 0, b: ys[0] / xs[0] };
  }
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) {
    notes.push('all usable logs have the same number of TDMR.INIT calls: the intercept cannot be told from the slope, so the fit goes through the origin (fixedOverheadUs = 0)');
    return { method: 'through-origin', a: 0, b: throughOrigin() };
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  if (a < 0 || b <= 0) {
    notes.push(`the unconstrained fit gave fixedOverheadUs = ${a.toFixed(0)} and tdmrInitCallUs = ${b.toFixed(3)}, which is not physical; refitted through the origin (fixedOverheadUs = 0)`);
    return { method: 'through-origin', a: 0, b: throughOrigin() };
  }
  notes.push(`least squares over ${n} logs: window = fixedOverheadUs + calls × tdmrInitCallUs`);
  if (n === 2) notes.push('two logs determine the line exactly: the fit errors say nothing about the model');
  return { method: 'least-squares', a, b };
}

export function calibrate(inputs: CalibrationLogInput[], options: CalibrateOptions = {}): CalibrationResult {
  const chunk = options.chunkBytes ?? defaultChunkBytes();
  const skipped: SkippedLog[] = [];
  const notes: string[] = [];
  const points = collect(inputs, chunk, skipped);
  if (points.length === 0) {
    notes.push('no log had CMR lines, a PAMT line and timestamps on both: nothing to fit');
    return { method: 'none', params: null, notes, logs: [], skipped, rmsErrorPct: null };
  }
  const { method, a, b } = fit(points, notes);
  notes.push('memory map: each log\'s CMRs taken as node-0 memory (posted logs keep no e820 or memblock lines); the PAMT comparison per log shows whether that stand-in holds');
  notes.push('the window also holds PAMT allocation, which grows with memory like the call count does: the fitted per-call cost absorbs it, and the intercept holds only the size-independent part');
  const logs: CalibratedLog[] = points.map((p) => {
    const fitted = a + b * p.calls;
    const printed = p.log.pamt!.kb;
    return {
      source: p.source,
      memoryFrom: 'cmrs',
      cmrCount: p.log.cmrs.length,
      tdmrCount: p.tdmrCount,
      tdmrBytes: p.tdmrBytes,
      calls: p.calls,
      observedWindowUs: p.windowUs,
      fittedWindowUs: fitted,
      errorPct: ((fitted - p.windowUs) / p.windowUs) * 100,
      modelPamtKb: p.modelPamtKb,
      printedPamtKb: printed,
      pamtMatches: p.modelPamtKb === printed,
      windowLines: p.windowLines,
    };
  });
  const mismatched = logs.filter((l) => !l.pamtMatches);
  if (mismatched.length) {
    notes.push(`PAMT from CMRs differs from the printed figure in ${mismatched.map((l) => l.source).join(', ')}: the real memory map differs from the CMRs there, so the call count is approximate`);
  }
  const rms = Math.sqrt(logs.reduce((s, l) => s + l.errorPct ** 2, 0) / logs.length);
  return { method, params: { tdmrInitCallUs: b, fixedOverheadUs: a }, notes, logs, skipped, rmsErrorPct: rms };
}
