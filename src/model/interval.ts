// The 80% interval of the modeled init time and CMR→PAMT window under boot-to-boot variation.
//
// Model (the one the trials kernel draws, assembly/trials.ts): a boot's TDMR.INIT phase takes
// T·B, B = e^{σ_b·Z} with Z standard normal (σ_b = tdmrInitBootSigma), one draw per boot; every
// other step keeps its modeled time. So any time t = rest + T·B is monotone in B and its
// quantiles are rest + T·e^{σ_b·z_q} exactly: the interval is computed analytically (no trials,
// no seed), in O(steps).
//
// Per-call noise (tdmrInitSigma) over the thousands of calls of a TDMR is summed, so it moves
// the phase's centre to its mean, T·e^{σ_c²/2} (the mean of a log-normal with median 1), and
// its own spread falls as 1/√calls (under 0.2% of the total at σ_c = 0.3 and 131,072 calls):
// the centre moves, the spread is left out. Spreads of other steps (lpInitSigma, …) are not in
// the interval; `--trials` shows them.

import type { TrialStep } from '../kernels/trialProgram.js';

/** The interval's coverage: from the 10th to the 90th percentile. */
export const INTERVAL_LEVEL = 0.8;
/** Φ⁻¹(0.9), the standard normal's 90th percentile. */
export const Z90 = 1.2815515655446004;
/** The timeline step of the TDMR.INIT phase (src/model/policies/steps.ts, tdmrInit). */
const TDMR_INIT_STEP = 'TDH.SYS.TDMR.INIT';

export interface TimeIntervals {
  /** Fraction of boots inside each interval. */
  level: number;
  /** tdmrInitBootSigma the interval was computed with. */
  bootSigma: number;
  /** [10th, 90th] percentile of the time until the last step ends (totals.initUs). */
  initUs: [number, number];
  /** [10th, 90th] percentile of TDMR construction → end of TDH.SYS.TDMR.INIT (the span a log's CMR→PAMT window covers); null when initialization did not get there. */
  windowUs: [number, number] | null;
}

interface Span {
  step: string;
  startUs: number;
  endUs: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The [lo, hi] quantiles of rest + phase·centre·B. */
function band(totalUs: number, phaseUs: number, centre: number, bootSigma: number): [number, number] {
  const rest = totalUs - phaseUs;
  const mid = phaseUs * centre;
  return [r3(rest + mid * Math.exp(-Z90 * bootSigma)), r3(rest + mid * Math.exp(Z90 * bootSigma))];
}

/** Modeled TDMR construction → end of the last TDH.SYS.TDMR.INIT, µs (explain's model window); null if either is missing. */
export function modelWindowSpan(timeline: readonly Span[]): { startUs: number; endUs: number } | null {
  const from = timeline.find((s) => s.step === 'construct TDMRs');
  let end = -Infinity;
  for (const s of timeline) if (s.step === TDMR_INIT_STEP) end = Math.max(end, s.endUs);
  if (!from || end === -Infinity) return null;
  return { startUs: from.startUs, endUs: end };
}

/**
 * A modeled window split into its TDMR.INIT phase (what boot-to-boot variation scales) and the
 * rest (construction, allocation, CONFIG, WBINVD, KEY.CONFIG, calibrated overhead), µs.
 */
export function windowParts(timeline: readonly Span[]): { phaseUs: number; restUs: number } | null {
  const span = modelWindowSpan(timeline);
  if (!span) return null;
  let phase = 0;
  for (const s of timeline) if (s.step === TDMR_INIT_STEP && s.startUs >= span.startUs) phase += s.endUs - s.startUs;
  return { phaseUs: phase, restUs: span.endUs - span.startUs - phase };
}

/** ln of the factor a measured window implies for the modeled TDMR.INIT phase: (measured − rest) / phase. */
export function bootLn(measuredUs: number, parts: { phaseUs: number; restUs: number }): number {
  const b = (measuredUs - parts.restUs) / parts.phaseUs;
  return b > 0 ? Math.log(b) : Number.NEGATIVE_INFINITY;
}

/** Sample standard deviation (n − 1): the estimator tdmrInitBootSigma's default comes from. */
export function sampleSd(xs: readonly number[]): number {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * The intervals of a run. `timeline` and `steps` are the simulation's parallel lists (one trial
 * step per timeline span): the TDMR.INIT spans are what the boot factor scales (their 'tdmrs'
 * op in the trials kernel), and their op's per-call σ sets the phase's mean.
 */
export function timeIntervals(
  timeline: readonly Span[], steps: readonly TrialStep[], initUs: number, bootSigma: number, initialized: boolean,
): TimeIntervals {
  let phase = 0;
  let weighted = 0;
  timeline.forEach((s, i) => {
    if (s.step !== TDMR_INIT_STEP) return;
    const d = s.endUs - s.startUs;
    const op = steps[i].ops.find((o) => o.kind === 'tdmrs');
    phase += d;
    weighted += d * Math.exp((op?.sigma ?? 0) ** 2 / 2);
  });
  const centre = phase > 0 ? weighted / phase : 1;
  const win = initialized ? windowParts(timeline) : null;
  return {
    level: INTERVAL_LEVEL,
    bootSigma,
    initUs: band(initUs, phase, centre, bootSigma),
    windowUs: win ? band(win.restUs + win.phaseUs, win.phaseUs, centre, bootSigma) : null,
  };
}

const seconds = (us: number): number => Math.round(us) / 1e6;

/** The model's 80% interval for the CMR→PAMT window in seconds (µs rounded), or null when it has no window. */
export function windowIntervalSeconds(intervals: TimeIntervals | null): [number, number] | null {
  const w = intervals?.windowUs ?? null;
  return w ? [seconds(w[0]), seconds(w[1])] : null;
}

/**
 * Whether the log's window lies inside the model's interval: inside is agreement on timing,
 * outside is `timing-differs` (explain). A point comparison would call every boot-to-boot
 * difference a disagreement, and a relative tolerance would hide a 36% miss. Null when either
 * side lacks a window.
 */
export function insideInterval(logSeconds: number | null, interval: [number, number] | null): boolean | null {
  if (logSeconds === null || interval === null) return null;
  return logSeconds >= interval[0] && logSeconds <= interval[1];
}
