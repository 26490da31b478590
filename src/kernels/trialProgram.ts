// A trial program: one initialization's critical path as a list of steps whose latencies are
// drawn at random in each Monte Carlo trial. The WASM kernel (assembly/trials.ts) and the
// TypeScript oracle (src/reference/trials.ts) both run it; this file holds the shared shape and
// the validation that must happen before the kernel sees a program (AssemblyScript cannot throw
// recoverably, so a bad program must never reach it).

import { invalidField } from '../platform/errors.js';

export type TrialOp =
  /** us·exp(σZ); σ = 0 gives exactly `us` and draws nothing. */
  | { kind: 'fixed'; us: number; sigma: number }
  /** Σ_i (fixedUs + medianUs·exp(σZ_i)), e.g. mainline LP.INIT one CPU after another. */
  | { kind: 'serial'; count: number; fixedUs: number; medianUs: number; sigma: number }
  /** fixedUs + max_i medianUs·exp(σZ_i), e.g. v7 LP.INIT by one IPI broadcast. */
  | { kind: 'parallel'; count: number; fixedUs: number; medianUs: number; sigma: number }
  /**
   * TDMR j needs calls[j] TDMR.INIT calls of medianUs·exp(σZ) each; TDMRs go in index order to
   * the first free of `lanes` CPUs (ties: lowest lane); the duration is the makespan.
   * lanes = 1 is mainline's serial TDMR.INIT. Above 64 calls a TDMR's time is drawn from the
   * normal approximation of the sum (see assembly/trials.ts, tdmrDuration).
   */
  | { kind: 'tdmrs'; calls: number[]; medianUs: number; sigma: number; lanes: number };

/** A step's duration is the sum of its ops. */
export interface TrialStep {
  name: string;
  ops: TrialOp[];
}

/** The steps run one after another: the total is their sum. */
export interface TrialProgram {
  steps: TrialStep[];
  /**
   * Boot-to-boot variation: each trial draws one factor e^{σZ} that scales every 'tdmrs' op
   * (the whole TDMR.INIT phase of that boot), beside the per-call σ of the op. Absent or 0: none.
   */
  bootSigma?: number;
}

export interface TrialStats {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export interface TrialsResult {
  trials: number;
  seed: number;
  steps: { name: string; stats: TrialStats }[];
  total: TrialStats;
}

/** Beyond σ = 4 a "latency" spans 14 orders of magnitude between p0.1 and p99.9: a typo. */
export const SIGMA_MAX = 4;
/** Per-LP and per-call counts are i32 in the kernel. */
export const COUNT_MAX = 0x7fffffff;
/** 2^40 calls of 4 MiB is 4 EiB: far beyond any CMR; keeps count × median exact-ish. */
export const CALLS_MAX = 2 ** 40;
export const TDMRS_MAX = 1 << 20;
/** Durations are µs; an hour per op is already absurd, 1e12 µs is 11 days. */
export const US_MAX = 1e12;
/** Seeds are split into two 32-bit words for the kernel, so they must be exact integers. */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;
/** Trial indexes cross into the kernel as f64 and become u64 there. */
export const TRIALS_MAX = 2 ** 40;

function checkUs(path: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > US_MAX) {
    throw invalidField(path, `must be a number of microseconds in [0, ${US_MAX}]`);
  }
}

function checkSigma(path: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > SIGMA_MAX) {
    throw invalidField(path, `must be a log-normal sigma in [0, ${SIGMA_MAX}]`);
  }
}

function checkInt(path: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalidField(path, `must be an integer in [${min}, ${max}]`);
  }
}

function checkKeys(path: string, op: Record<string, unknown>, keys: string[]): void {
  for (const k of Object.keys(op)) {
    if (!keys.includes(k)) throw invalidField(`${path}.${k}`, `unknown field for a '${String(op.kind)}' op`);
  }
}

/** Throws an InputError naming the offending field; returns the program typed on success. */
export function validateTrialProgram(program: unknown): TrialProgram {
  if (typeof program !== 'object' || program === null) throw invalidField('program', 'must be an object');
  const steps = (program as { steps?: unknown }).steps;
  if (!Array.isArray(steps) || steps.length === 0) throw invalidField('program.steps', 'must be a non-empty array');
  const bootSigma = (program as { bootSigma?: unknown }).bootSigma;
  if (bootSigma !== undefined) checkSigma('program.bootSigma', bootSigma);
  steps.forEach((step: unknown, s) => {
    const sp = `program.steps[${s}]`;
    if (typeof step !== 'object' || step === null) throw invalidField(sp, 'must be an object');
    const { name, ops } = step as { name?: unknown; ops?: unknown };
    if (typeof name !== 'string' || name.length === 0) throw invalidField(`${sp}.name`, 'must be a non-empty string');
    if (!Array.isArray(ops)) throw invalidField(`${sp}.ops`, 'must be an array');
    ops.forEach((op: unknown, o) => {
      const p = `${sp}.ops[${o}]`;
      if (typeof op !== 'object' || op === null) throw invalidField(p, 'must be an object');
      const r = op as Record<string, unknown>;
      switch (r.kind) {
        case 'fixed':
          checkKeys(p, r, ['kind', 'us', 'sigma']);
          checkUs(`${p}.us`, r.us);
          checkSigma(`${p}.sigma`, r.sigma);
          break;
        case 'serial':
        case 'parallel':
          checkKeys(p, r, ['kind', 'count', 'fixedUs', 'medianUs', 'sigma']);
          checkInt(`${p}.count`, r.count, 0, COUNT_MAX);
          checkUs(`${p}.fixedUs`, r.fixedUs);
          checkUs(`${p}.medianUs`, r.medianUs);
          checkSigma(`${p}.sigma`, r.sigma);
          break;
        case 'tdmrs': {
          checkKeys(p, r, ['kind', 'calls', 'medianUs', 'sigma', 'lanes']);
          if (!Array.isArray(r.calls) || r.calls.length > TDMRS_MAX) {
            throw invalidField(`${p}.calls`, `must be an array of at most ${TDMRS_MAX} call counts`);
          }
          r.calls.forEach((c: unknown, j) => checkInt(`${p}.calls[${j}]`, c, 0, CALLS_MAX));
          checkUs(`${p}.medianUs`, r.medianUs);
          checkSigma(`${p}.sigma`, r.sigma);
          checkInt(`${p}.lanes`, r.lanes, 1, COUNT_MAX);
          break;
        }
        default:
          throw invalidField(`${p}.kind`, "must be one of 'fixed', 'serial', 'parallel', 'tdmrs'");
      }
    });
  });
  return program as TrialProgram;
}

export function validateSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) {
    throw invalidField('seed', `must be an integer in [0, ${SEED_MAX}]`);
  }
  return seed;
}

/** A range of trial indexes [firstTrial, firstTrial + count). */
export function validateTrialRange(firstTrial: unknown, count: unknown): void {
  checkInt('firstTrial', firstTrial, 0, TRIALS_MAX);
  checkInt('count', count, 0, TRIALS_MAX);
  if ((firstTrial as number) + (count as number) > TRIALS_MAX) {
    throw invalidField('count', `trial indexes must stay below ${TRIALS_MAX}`);
  }
}
