// Monte Carlo trials kernel: one call runs a batch of trials of one trial program.
//
// Compiled on its own (build/trials.wasm), separate from the construct kernel. The TypeScript
// oracle in src/reference/trials.ts performs the same floating-point operations in the same
// order, and the two must agree BIT FOR BIT (not within a tolerance). That is why this file
// does not use Math.exp or Math.log: AssemblyScript's versions (musl, table-driven) and V8's
// (fdlibm) may differ in the last bit. Both sides carry the same implementations instead (fdlibm
// ports, a table exp, a ziggurat whose tables both sides compute at start-up); +, -, *, / and
// sqrt are correctly rounded IEEE-754 operations in both WebAssembly and JavaScript, and
// neither has an implicit fused multiply-add, so the same sequence of them gives the same
// doubles. Binaryen does not reassociate floating-point arithmetic, so the optimizer keeps that
// order; test/trials.oracle.test.ts and test/trials.math.test.ts hold both sides to it.
//
// PROGRAM (f64 words, written by src/kernels/trials.ts after validation):
//   bootSigma, nSteps, then per step: nOps, then per op one of
//     OP_FIXED    us, sigma
//     OP_SERIAL   count, fixedUs, medianUs, sigma
//     OP_PARALLEL count, fixedUs, medianUs, sigma
//     OP_TDMRS    nTdmrs, medianUs, sigma, lanes, calls[0..nTdmrs)
// bootSigma: boot-to-boot variation. Each trial (one boot) draws ONE factor e^{bootSigma·Z}
// before its steps and multiplies every OP_TDMRS duration by it: the whole TDMR.INIT phase of a
// boot runs faster or slower together, which per-call noise summed over 10^5 calls cannot show
// (its relative spread falls as 1/√calls). bootSigma = 0 draws nothing and multiplies by 1.0,
// so the streams and bits are those of a program without it.
// OUTPUT: count × (nSteps + 1) f64, trial-major: each step's duration, then the total.
// SCRATCH: min(lanes, nTdmrs) f64 for the busiest 'tdmrs' op (lane finish times).

import { OP_FIXED, OP_SERIAL, OP_PARALLEL, OP_TDMRS, EXACT_CALLS_MAX as EXACT_CALLS_MAX_I32 } from '../src/kernels/trialsAbi';

// The op codes and the exact-calls limit are the contract in src/kernels/trialsAbi.ts.
const EXACT_CALLS_MAX: f64 = <f64>EXACT_CALLS_MAX_I32;

export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Random numbers: xoshiro256** per trial, seeded by splitmix64 from (seed, trial index), so a
// trial's stream depends on nothing else (not on the batch, chunk or worker that runs it).

let s0: u64 = 0;
let s1: u64 = 0;
let s2: u64 = 0;
let s3: u64 = 0;

// @ts-ignore: decorator
@inline
function mix64(x: u64): u64 {
  let z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

function seedTrial(seedKey: u64, trial: u64): void {
  // mix64 is a bijection, so distinct trials get distinct splitmix64 states.
  let sm = mix64(seedKey ^ trial);
  sm += 0x9e3779b97f4a7c15;
  s0 = mix64(sm);
  sm += 0x9e3779b97f4a7c15;
  s1 = mix64(sm);
  sm += 0x9e3779b97f4a7c15;
  s2 = mix64(sm);
  sm += 0x9e3779b97f4a7c15;
  s3 = mix64(sm);
}

// @ts-ignore: decorator
@inline
function nextU64(): u64 {
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

// Uniform on the open interval (0, 1): 52 random bits plus one half, so k + 0.5 is exact and
// 0 cannot come out (it is fed to log).
// @ts-ignore: decorator
@inline
function uniformOpen(): f64 {
  return (<f64><i64>(nextU64() >> 12) + 0.5) * 2.220446049250313e-16;
}

// ---------------------------------------------------------------------------------------------
// Standard normal: Doornik's ZIGNOR ziggurat (128 blocks; "An Improved Ziggurat Method to
// Generate Normal Random Samples", 2005). About 98% of draws cost one 64-bit output, a compare
// and a multiply: this is the per-LP hot path (38M draws for 3840 LPs × 10,000 trials), where
// an inverse-CDF rational function was twice as slow. The block index takes the low 7 bits and
// the abscissa the high 53, so the two are independent (Doornik's fix to Marsaglia–Tsang).
// The tables are computed at start-up with the fdlibm functions below, by the same operations
// as the oracle, so both sides hold the same doubles.

const ZIG_C: i32 = 128;
const ZIG_R: f64 = 3.442619855899;
const ZIG_V: f64 = 9.91256303526217e-3;
const zigX = memory.data((ZIG_C + 1) << 3, 8); // block edges, X[0] = V / f(R) (base), X[C] = 0
const zigRatio = memory.data(ZIG_C << 3, 8); // X[i+1] / X[i]

function initZiggurat(): void {
  let f = fdlibmExp(-0.5 * ZIG_R * ZIG_R);
  store<f64>(zigX, ZIG_V / f);
  store<f64>(zigX + 8, ZIG_R);
  store<f64>(zigX + (<usize>ZIG_C << 3), 0);
  for (let i = 2; i < ZIG_C; i++) {
    const x = Math.sqrt(-2.0 * fdlibmLog(ZIG_V / load<f64>(zigX + (<usize>(i - 1) << 3)) + f));
    store<f64>(zigX + (<usize>i << 3), x);
    f = fdlibmExp(-0.5 * x * x);
  }
  for (let i = 0; i < ZIG_C; i++) {
    store<f64>(zigRatio + (<usize>i << 3), load<f64>(zigX + (<usize>(i + 1) << 3)) / load<f64>(zigX + (<usize>i << 3)));
  }
}

// Beyond R: Marsaglia's exponential rejection.
function normalTail(negative: bool): f64 {
  let x: f64;
  let y: f64;
  do {
    x = fdlibmLog(uniformOpen()) / ZIG_R;
    y = fdlibmLog(uniformOpen());
  } while (-2.0 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

// @ts-ignore: decorator
@inline
function normal(): f64 {
  for (;;) {
    const bits = nextU64();
    const i = <usize>(bits & 0x7f);
    const u = <f64><i64>(bits >> 11) * 2.220446049250313e-16 - 1.0; // [-1, 1), exact
    if (Math.abs(u) < load<f64>(zigRatio + (i << 3))) return u * load<f64>(zigX + (i << 3));
    if (i == 0) return normalTail(u < 0);
    const r = normalWedge(i, u);
    if (r == r) return r; // NaN: rejected, draw again
  }
  return unreachable();
}

function normalWedge(i: usize, u: f64): f64 {
  const xi = load<f64>(zigX + (i << 3));
  const xi1 = load<f64>(zigX + ((i + 1) << 3));
  const x = u * xi;
  const f0 = fdlibmExp(-0.5 * (xi * xi - x * x));
  const f1 = fdlibmExp(-0.5 * (xi1 * xi1 - x * x));
  return f1 + (f0 - f1) * uniformOpen() < 1.0 ? x : NaN;
}

// ---------------------------------------------------------------------------------------------
// exp for the per-draw latency factor e^{σZ}: 2^{k/64} from a table times a degree-5 Taylor
// polynomial on |r| ≤ ln2/128 (truncation below 4e-17 relative), no division and no branches,
// about twice as fast as fdlibm's. Valid for |x| < 700: validation caps σ at 4 and the
// ziggurat cannot return |Z| ≥ 15 (its tail starts from a uniform ≥ 2^-53), so |σZ| < 60.
// Everything else (tables, constants) uses fdlibmExp.

const EXP_SHIFT: f64 = 6755399441055744.0; // 1.5 · 2^52: adding it rounds to an integer
const EXP_INV_LN2_N: f64 = 64.0 * 1.4426950408889634;
const EXP_LN2_HI_N: f64 = 6.9314718036912381649e-1 / 64.0; // 32 significant bits: k·hi is exact
const EXP_LN2_LO_N: f64 = 1.90821492927058770002e-10 / 64.0;
const EXP_C3: f64 = 1.0 / 6.0;
const EXP_C4: f64 = 1.0 / 24.0;
const EXP_C5: f64 = 1.0 / 120.0;
const expTable = memory.data(64 << 3, 8); // 2^{j/64}

function initExpTable(): void {
  for (let j = 0; j < 64; j++) store<f64>(expTable + (<usize>j << 3), fdlibmExp(<f64>j * (6.9314718055994530942e-1 / 64.0)));
}

// @ts-ignore: decorator
@inline
function expFast(x: f64): f64 {
  const kd = x * EXP_INV_LN2_N + EXP_SHIFT - EXP_SHIFT;
  const r = x - kd * EXP_LN2_HI_N - kd * EXP_LN2_LO_N;
  const k = <i32>kd;
  const t = load<f64>(expTable + (<usize>(k & 63) << 3));
  const p = r + r * r * (0.5 + r * (EXP_C3 + r * (EXP_C4 + r * EXP_C5)));
  return (t + t * p) * reinterpret<f64>(<u64>((k >> 6) + 1023) << 52);
}

// ---------------------------------------------------------------------------------------------
// fdlibm exp and log, as ported in V8's src/base/ieee754.cc (which is what Math.exp and
// Math.log run in Node), so the oracle can be checked against the engine's own functions.

function fdlibmExp(x: f64): f64 {
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const xsb = <i32>(hx >> 31);
  hx &= 0x7fffffff;

  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e2) return Infinity;
    if (x < -7.4513321910194110842e2) return 0.0;
  }

  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return 2.718281828459045;
      if (xsb == 0) {
        hi = x - 6.9314718036912381649e-1;
        lo = 1.90821492927058770002e-10;
        k = 1;
      } else {
        hi = x + 6.9314718036912381649e-1;
        lo = -1.90821492927058770002e-10;
        k = -1;
      }
    } else {
      k = <i32>(1.442695040888963387 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
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
  const twopk =
    k >= -1021
      ? reinterpret<f64>(<u64>(<u32>(0x3ff00000 + (k << 20))) << 32)
      : reinterpret<f64>(<u64>(<u32>(0x3ff00000 + ((k + 1000) << 20))) << 32);
  const c =
    x -
    t *
      (1.66666666666666019037e-1 +
        t *
          (-2.77777777770155933842e-3 +
            t * (6.61375632143793436117e-5 + t * (-1.6533902205465251539e-6 + t * 4.13813679705723846039e-8))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * 8.98846567431157953865e307;
    return y * twopk;
  }
  return y * twopk * 9.3326361850321887899e-302;
}

function fdlibmLog(x: f64): f64 {
  const ln2_hi = 6.9314718036912381649e-1;
  const ln2_lo = 1.90821492927058770002e-10;
  let bits = reinterpret<u64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= 1.8014398509481984e16;
    bits = reinterpret<u64>(x);
    hx = <i32>(bits >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = reinterpret<f64>((<u64>(<u32>(hx | (i ^ 0x3ff00000))) << 32) | (reinterpret<u64>(x) & 0xffffffff));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const dk0 = <f64>k;
      return dk0 * ln2_hi + dk0 * ln2_lo;
    }
    const R0 = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R0;
    const dk1 = <f64>k;
    return dk1 * ln2_hi - ((R0 - dk1 * ln2_lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
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
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

// Exported so the test suite can compare the kernel's math with the oracle's directly.
export function expForTest(x: f64): f64 {
  return fdlibmExp(x);
}
export function logForTest(x: f64): f64 {
  return fdlibmLog(x);
}
export function expFastForTest(x: f64): f64 {
  return expFast(x);
}
/** Fills `n` f64 at `out` with standard normals of trial `trial` under `seed`. */
export function normalsForTest(seedLo: u32, seedHi: u32, trial: f64, n: i32, out: usize): void {
  seedTrial(mix64((<u64>seedHi << 32) | <u64>seedLo), <u64>trial);
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), normal());
}

// ---------------------------------------------------------------------------------------------
// The ops. σ = 0 draws nothing, so a deterministic op does not shift the stream of later ops.

// @ts-ignore: decorator
@inline
function word(p: usize): f64 {
  return load<f64>(p);
}

function opSerial(count: i32, fixedUs: f64, medianUs: f64, sigma: f64): f64 {
  if (sigma == 0) return <f64>count * (fixedUs + medianUs);
  let sum: f64 = 0;
  for (let i = 0; i < count; i++) {
    sum += fixedUs + medianUs * expFast(sigma * normal());
  }
  return sum;
}

function opParallel(count: i32, fixedUs: f64, medianUs: f64, sigma: f64): f64 {
  if (count == 0) return fixedUs;
  if (sigma == 0) return fixedUs + medianUs;
  let most: f64 = 0;
  for (let i = 0; i < count; i++) {
    const v = medianUs * expFast(sigma * normal());
    if (v > most) most = v;
  }
  return fixedUs + most;
}

// One TDMR's TDMR.INIT time: `calls` calls of median medianUs each.
//
// Up to EXACT_CALLS_MAX calls are drawn one by one. Beyond that the sum of n iid lognormals
// (median m, shape σ) is replaced by its central-limit approximation, a normal with the same
// mean and variance:
//     mean = n·m·e^{σ²/2}        variance = n·m²·(e^{σ²} − 1)·e^{σ²}
// drawn from ONE standard normal and clamped at 0. With n > 64 the skew of the sum is already
// small (it falls as 1/√n), and the per-trial cost stops growing with memory size. e^{σ²} − 1
// is computed directly rather than with expm1: for tiny σ it loses relative precision in the
// variance, which is then itself negligible against the mean.
function tdmrDuration(calls: f64, medianUs: f64, sigma: f64): f64 {
  if (sigma == 0) return calls * medianUs;
  if (calls <= EXACT_CALLS_MAX) {
    const n = <i32>calls;
    let d: f64 = 0;
    for (let i = 0; i < n; i++) d += medianUs * expFast(sigma * normal());
    return d;
  }
  const s2 = sigma * sigma;
  const e2 = fdlibmExp(s2);
  const mean = calls * medianUs * fdlibmExp(s2 * 0.5);
  const sd = medianUs * Math.sqrt(calls * (e2 - 1.0) * e2);
  const d = mean + sd * normal();
  return d < 0 ? 0 : d;
}

// Greedy list scheduling: TDMRs in index order, each to the lane that frees first (lowest
// index on ties); the duration is the makespan. Only min(lanes, n) lanes can ever be used.
function opTdmrs(p: usize, n: i32, medianUs: f64, sigma: f64, lanes: i32, scratch: usize): f64 {
  const used = lanes < n ? lanes : n;
  for (let l = 0; l < used; l++) store<f64>(scratch + (<usize>l << 3), 0);
  for (let j = 0; j < n; j++) {
    const d = tdmrDuration(word(p + (<usize>j << 3)), medianUs, sigma);
    let best = 0;
    let bestAt = load<f64>(scratch);
    for (let l = 1; l < used; l++) {
      const at = load<f64>(scratch + (<usize>l << 3));
      if (at < bestAt) {
        best = l;
        bestAt = at;
      }
    }
    store<f64>(scratch + (<usize>best << 3), bestAt + d);
  }
  let span: f64 = 0;
  for (let l = 0; l < used; l++) {
    const at = load<f64>(scratch + (<usize>l << 3));
    if (at > span) span = at;
  }
  return span;
}

/**
 * Run trials firstTrial .. firstTrial+count-1 of the program at `program` and write
 * count × (nSteps + 1) durations at `out`. The seed is the 64-bit (seedHi:seedLo).
 * firstTrial is an exact integer below 2^53.
 */
export function runTrials(
  program: usize,
  scratch: usize,
  firstTrial: f64,
  count: i32,
  seedLo: u32,
  seedHi: u32,
  out: usize,
): void {
  const seedKey = mix64((<u64>seedHi << 32) | <u64>seedLo);
  const bootSigma = word(program);
  const nSteps = <i32>word(program + 8);
  const width = <usize>(nSteps + 1);
  const first = <u64>firstTrial;
  for (let t = 0; t < count; t++) {
    seedTrial(seedKey, first + <u64>t);
    const boot: f64 = bootSigma == 0 ? 1.0 : expFast(bootSigma * normal());
    const row = out + ((<usize>t * width) << 3);
    let p = program + 16;
    let total: f64 = 0;
    for (let s = 0; s < nSteps; s++) {
      const nOps = <i32>word(p);
      p += 8;
      let step: f64 = 0;
      for (let o = 0; o < nOps; o++) {
        const kind = <i32>word(p);
        if (kind == OP_FIXED) {
          const us = word(p + 8);
          const sigma = word(p + 16);
          step += sigma == 0 ? us : us * expFast(sigma * normal());
          p += 24;
        } else if (kind == OP_SERIAL) {
          step += opSerial(<i32>word(p + 8), word(p + 16), word(p + 24), word(p + 32));
          p += 40;
        } else if (kind == OP_PARALLEL) {
          step += opParallel(<i32>word(p + 8), word(p + 16), word(p + 24), word(p + 32));
          p += 40;
        } else {
          const n = <i32>word(p + 8);
          step += boot * opTdmrs(p + 40, n, word(p + 16), word(p + 24), <i32>word(p + 32), scratch);
          p += 40 + (<usize>n << 3);
        }
      }
      store<f64>(row + (<usize>s << 3), step);
      total += step;
    }
    store<f64>(row + (<usize>nSteps << 3), total);
  }
}

initExpTable();
initZiggurat();
