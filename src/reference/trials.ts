// TypeScript oracle of the Monte Carlo trials kernel (assembly/trials.ts).
//
// It is written independently of the kernel's memory layout and is deliberately plain: the
// 64-bit generator runs on BigInt, ops are walked from the program objects, and the TDMR
// scheduler keeps a lane array. What it shares with the kernel is the exact sequence of
// floating-point operations, so its output must equal the kernel's bit for bit. For that it
// carries its own fdlibm exp and log (the kernel cannot use AssemblyScript's Math.exp/log,
// which are musl's and may differ from V8's in the last bit); these ports follow V8's
// src/base/ieee754.cc, so they must also agree with this engine's Math.exp and Math.log,
// which the tests check.

import type { TrialOp, TrialProgram } from '../kernels/trialProgram.js';
import { validateSeed, validateTrialProgram, validateTrialRange } from '../kernels/trialProgram.js';
import { EXACT_CALLS_MAX } from '../kernels/trialsAbi.js';

/** The kernel's EXACT_CALLS_MAX (src/kernels/trialsAbi.ts): above it a TDMR's time is one normal draw. */
export { EXACT_CALLS_MAX };

const M64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

function mix64(x: bigint): bigint {
  let z = x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

function rotl(x: bigint, k: bigint): bigint {
  return ((x << k) | (x >> (64n - k))) & M64;
}

/** xoshiro256** seeded by splitmix64 from (seed, trial): a trial's stream depends on nothing else. */
class TrialRng {
  private s0: bigint;
  private s1: bigint;
  private s2: bigint;
  private s3: bigint;

  constructor(seedKey: bigint, trial: bigint) {
    let sm = mix64(seedKey ^ trial);
    sm = (sm + GOLDEN) & M64;
    this.s0 = mix64(sm);
    sm = (sm + GOLDEN) & M64;
    this.s1 = mix64(sm);
    sm = (sm + GOLDEN) & M64;
    this.s2 = mix64(sm);
    sm = (sm + GOLDEN) & M64;
    this.s3 = mix64(sm);
  }

  nextU64(): bigint {
    const result = (rotl((this.s1 * 5n) & M64, 7n) * 9n) & M64;
    const t = (this.s1 << 17n) & M64;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 45n);
    return result;
  }

  /** Open (0, 1): 52 random bits plus one half, exact, never 0 (it is fed to log). */
  uniformOpen(): number {
    return (Number(this.nextU64() >> 12n) + 0.5) * 2.220446049250313e-16;
  }

  normal(): number {
    for (;;) {
      const bits = this.nextU64();
      const i = Number(bits & 0x7fn);
      const u = Number(bits >> 11n) * 2.220446049250313e-16 - 1.0;
      if (Math.abs(u) < zigRatio[i]) return u * zigX[i];
      if (i === 0) {
        let x: number;
        let y: number;
        do {
          x = fdlibmLog(this.uniformOpen()) / ZIG_R;
          y = fdlibmLog(this.uniformOpen());
        } while (-2.0 * y < x * x);
        return u < 0 ? x - ZIG_R : ZIG_R - x;
      }
      const x = u * zigX[i];
      const f0 = fdlibmExp(-0.5 * (zigX[i] * zigX[i] - x * x));
      const f1 = fdlibmExp(-0.5 * (zigX[i + 1] * zigX[i + 1] - x * x));
      if (f1 + (f0 - f1) * this.uniformOpen() < 1.0) return x;
    }
  }
}

/** Standard normals of one trial's stream, for tests of the generator itself. */
export function normalsReference(seed: number, trial: number, n: number): Float64Array {
  const rng = new TrialRng(seedKeyOf(seed), BigInt(trial));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

export function seedKeyOf(seed: number): bigint {
  return mix64(BigInt(seed) & M64);
}

// ---------------------------------------------------------------------------------------------
// fdlibm, with the word access done through one aliased buffer (little-endian: Node's targets).

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LO = 0;
const HI = 1;

function highWord(x: number): number {
  f64[0] = x;
  return u32[HI] | 0;
}

/** 2^k from its exponent bits, as fdlibm's INSERT_WORDS(twopk, 0x3ff00000 + (k << 20), 0). */
function fromHighWord(hi: number): number {
  u32[HI] = hi;
  u32[LO] = 0;
  return f64[0];
}

export function fdlibmExp(x: number): number {
  let hi = 0;
  let lo = 0;
  let k = 0;
  f64[0] = x;
  let hx = u32[HI];
  const lx = u32[LO];
  const xsb = hx >>> 31;
  hx = hx & 0x7fffffff;

  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lx) !== 0) return x + x;
      return xsb === 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e2) return Infinity;
    if (x < -7.4513321910194110842e2) return 0.0;
  }

  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x === 1.0) return 2.718281828459045;
      if (xsb === 0) {
        hi = x - 6.9314718036912381649e-1;
        lo = 1.90821492927058770002e-10;
        k = 1;
      } else {
        hi = x + 6.9314718036912381649e-1;
        lo = -1.90821492927058770002e-10;
        k = -1;
      }
    } else {
      k = (1.442695040888963387 * x + (xsb === 0 ? 0.5 : -0.5)) | 0;
      const t = k;
      hi = x - t * 6.9314718036912381649e-1;
      lo = t * 1.90821492927058770002e-10;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  } else {
    k = 0;
  }

  const t = x * x;
  const twopk = k >= -1021 ? fromHighWord(0x3ff00000 + (k << 20)) : fromHighWord(0x3ff00000 + ((k + 1000) << 20));
  const c =
    x -
    t *
      (1.66666666666666019037e-1 +
        t *
          (-2.77777777770155933842e-3 +
            t * (6.61375632143793436117e-5 + t * (-1.6533902205465251539e-6 + t * 4.13813679705723846039e-8))));
  if (k === 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * 8.98846567431157953865e307;
    return y * twopk;
  }
  return y * twopk * 9.3326361850321887899e-302;
}

export function fdlibmLog(x: number): number {
  const ln2_hi = 6.9314718036912381649e-1;
  const ln2_lo = 1.90821492927058770002e-10;
  f64[0] = x;
  let hx = u32[HI] | 0;
  const lx = u32[LO];
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= 1.8014398509481984e16;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  f64[0] = x;
  u32[HI] = hx | (i ^ 0x3ff00000);
  x = f64[0];
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0.0) {
      if (k === 0) return 0.0;
      return k * ln2_hi + k * ln2_lo;
    }
    const R0 = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - R0;
    return k * ln2_hi - (R0 - k * ln2_lo - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (3.999999999940941908e-1 + w * (2.222219843214978396e-1 + w * 1.531383769920937332e-1));
  const t2 =
    z *
    (6.666666666666735130e-1 +
      w * (2.857142874366239149e-1 + w * (1.818357216161805012e-1 + w * 1.479819860511658591e-1)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - (hfsq - (s * (hfsq + R) + dk * ln2_lo) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * ln2_hi - (s * (f - R) - dk * ln2_lo - f);
}

// Ziggurat (Doornik's ZIGNOR, 128 blocks) and the table exp: see assembly/trials.ts for why.

const ZIG_C = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const zigX = new Float64Array(ZIG_C + 1);
const zigRatio = new Float64Array(ZIG_C);
{
  let f = fdlibmExp(-0.5 * ZIG_R * ZIG_R);
  zigX[0] = ZIG_V / f;
  zigX[1] = ZIG_R;
  zigX[ZIG_C] = 0;
  for (let i = 2; i < ZIG_C; i++) {
    zigX[i] = Math.sqrt(-2.0 * fdlibmLog(ZIG_V / zigX[i - 1] + f));
    f = fdlibmExp(-0.5 * zigX[i] * zigX[i]);
  }
  for (let i = 0; i < ZIG_C; i++) zigRatio[i] = zigX[i + 1] / zigX[i];
}

const EXP_SHIFT = 6755399441055744.0;
const EXP_INV_LN2_N = 64.0 * 1.4426950408889634;
const EXP_LN2_HI_N = 6.9314718036912381649e-1 / 64.0;
const EXP_LN2_LO_N = 1.90821492927058770002e-10 / 64.0;
const EXP_C3 = 1.0 / 6.0;
const EXP_C4 = 1.0 / 24.0;
const EXP_C5 = 1.0 / 120.0;
const expTable = new Float64Array(64);
for (let j = 0; j < 64; j++) expTable[j] = fdlibmExp(j * (6.9314718055994530942e-1 / 64.0));

/** e^x for |x| < 700 (the kernel's hot-path exp; not correctly rounded, about 1 ulp). */
export function expFast(x: number): number {
  const kd = x * EXP_INV_LN2_N + EXP_SHIFT - EXP_SHIFT;
  const r = x - kd * EXP_LN2_HI_N - kd * EXP_LN2_LO_N;
  const k = kd | 0;
  const t = expTable[k & 63];
  const p = r + r * r * (0.5 + r * (EXP_C3 + r * (EXP_C4 + r * EXP_C5)));
  return (t + t * p) * fromHighWord(((k >> 6) + 1023) << 20);
}

// ---------------------------------------------------------------------------------------------

function lognormal(rng: TrialRng, medianUs: number, sigma: number): number {
  return medianUs * expFast(sigma * rng.normal());
}

/** One TDMR's TDMR.INIT time; the normal approximation above EXACT_CALLS_MAX is explained at
 * tdmrDuration in assembly/trials.ts. */
function tdmrDuration(rng: TrialRng, calls: number, medianUs: number, sigma: number): number {
  if (sigma === 0) return calls * medianUs;
  if (calls <= EXACT_CALLS_MAX) {
    let d = 0;
    for (let i = 0; i < calls; i++) d += lognormal(rng, medianUs, sigma);
    return d;
  }
  const s2 = sigma * sigma;
  const e2 = fdlibmExp(s2);
  const mean = calls * medianUs * fdlibmExp(s2 * 0.5);
  const sd = medianUs * Math.sqrt(calls * (e2 - 1.0) * e2);
  const d = mean + sd * rng.normal();
  return d < 0 ? 0 : d;
}

/** `boot`: this trial's boot-to-boot factor, applied to the whole TDMR.INIT phase (assembly/trials.ts). */
function runOp(rng: TrialRng, op: TrialOp, boot: number): number {
  switch (op.kind) {
    case 'fixed':
      return op.sigma === 0 ? op.us : op.us * expFast(op.sigma * rng.normal());
    case 'serial': {
      if (op.sigma === 0) return op.count * (op.fixedUs + op.medianUs);
      let sum = 0;
      for (let i = 0; i < op.count; i++) sum += op.fixedUs + lognormal(rng, op.medianUs, op.sigma);
      return sum;
    }
    case 'parallel': {
      if (op.count === 0) return op.fixedUs;
      if (op.sigma === 0) return op.fixedUs + op.medianUs;
      let most = 0;
      for (let i = 0; i < op.count; i++) {
        const v = lognormal(rng, op.medianUs, op.sigma);
        if (v > most) most = v;
      }
      return op.fixedUs + most;
    }
    case 'tdmrs': {
      const lanes: number[] = new Array(Math.min(op.lanes, op.calls.length)).fill(0);
      for (const calls of op.calls) {
        const d = tdmrDuration(rng, calls, op.medianUs, op.sigma);
        let best = 0;
        for (let l = 1; l < lanes.length; l++) if (lanes[l] < lanes[best]) best = l;
        lanes[best] += d;
      }
      let span = 0;
      for (const at of lanes) if (at > span) span = at;
      return boot * span;
    }
  }
}

/**
 * Trials firstTrial .. firstTrial+count-1: count × (steps + 1) durations, trial-major, each
 * row the steps' durations then the total. Same layout and bits as runTrialsWasm.
 */
export function runTrialsReference(program: TrialProgram, seed: number, firstTrial: number, count: number): Float64Array {
  validateTrialProgram(program);
  validateSeed(seed);
  validateTrialRange(firstTrial, count);
  const width = program.steps.length + 1;
  const out = new Float64Array(count * width);
  const key = seedKeyOf(seed);
  const bootSigma = program.bootSigma ?? 0;
  for (let t = 0; t < count; t++) {
    const rng = new TrialRng(key, BigInt(firstTrial + t));
    // One draw per trial, before any step, and none at σ = 0 (the kernel's order).
    const boot = bootSigma === 0 ? 1.0 : expFast(bootSigma * rng.normal());
    let total = 0;
    program.steps.forEach((step, s) => {
      let d = 0;
      for (const op of step.ops) d += runOp(rng, op, boot);
      out[t * width + s] = d;
      total += d;
    });
    out[t * width + width - 1] = total;
  }
  return out;
}
