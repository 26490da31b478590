// Page-acceptance kernel: N vCPUs accept U units (a unit is one 4K page, or a power-of-two group
// of pages for very large ranges) from a shared cursor. Each unit costs a parallel part (TD exit,
// zeroing with the TD key: every vCPU can do it at once) and a serialized part (the host's
// S-EPT work for TDH.MEM.PAGE.AUG, one at a time per TD), the shape behind "90 GiB: ~60 s with
// 1 vCPU, ~40 s with 4, no faster with 8" (Kirill Shutemov, LKML 2024-10-25 / 2025-02-14).
//
// The next unit always goes to the vCPU that is free first (ties: the lowest vCPU number). Here
// that is a binary min-heap; the TypeScript oracle (src/guest/boot/acceptOracle.ts) finds it by
// a linear scan. Both do the same floating-point operations in the same order, so their outputs
// agree bit for bit (test/guest.accept.test.ts).
//
// Per trial, in f64 words at `out`: the makespan (µs), then `samples` times (µs): sample j is the
// time by which floor((j+1)·units/samples) units are accepted. Completion times are monotone
// (the serialized part is FIFO), so the samples are a cumulative curve.
// SCRATCH at `scratch`: n f64 (free time per vCPU) then n i32 (heap of vCPU numbers).

export function heapBase(): usize {
  return __heap_base;
}

let rng: u32 = 1;

// xorshift32 (Marsaglia 2003): 32-bit integer steps are exact in both WASM and JavaScript.
// @ts-ignore: decorator
@inline
function nextUnit(): f64 {
  let x = rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rng = x;
  return <f64>x / 4294967296.0;
}

function seedTrial(seed: u32, trial: u32): void {
  let s = seed ^ (trial + 1) * 0x9e3779b9;
  if (s == 0) s = 0x6d2b79f5;
  rng = s;
}

// @ts-ignore: decorator
@inline
function earlier(free: usize, a: i32, b: i32): bool {
  const ta = load<f64>(free + (<usize>a << 3));
  const tb = load<f64>(free + (<usize>b << 3));
  return ta < tb || (ta == tb && a < b);
}

function siftDown(free: usize, heap: usize, n: i32): void {
  let i = 0;
  const top = load<i32>(heap);
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let c = l;
    const r = l + 1;
    if (r < n && earlier(free, load<i32>(heap + (<usize>r << 2)), load<i32>(heap + (<usize>l << 2)))) c = r;
    const cv = load<i32>(heap + (<usize>c << 2));
    if (!earlier(free, cv, top)) break;
    store<i32>(heap + (<usize>i << 2), cv);
    i = c;
  }
  store<i32>(heap + (<usize>i << 2), top);
}

/** One trial; returns the makespan and writes the samples at `out`. */
function oneTrial(n: i32, units: i64, tPar: f64, tSer: f64, jitter: f64, samples: i32, scratch: usize, out: usize): f64 {
  const free = scratch;
  const heap = scratch + (<usize>n << 3);
  for (let v = 0; v < n; v++) {
    store<f64>(free + (<usize>v << 3), 0.0);
    store<i32>(heap + (<usize>v << 2), v);
  }
  let lockFree: f64 = 0.0;
  let j: i32 = 0;
  let threshold: i64 = samples > 0 ? (<i64>1 * units) / <i64>samples : 0;
  for (let i: i64 = 0; i < units; i++) {
    const v = load<i32>(heap);
    const ready = load<f64>(free + (<usize>v << 3));
    let f: f64 = 1.0;
    if (jitter > 0.0) f = 1.0 + jitter * (2.0 * nextUnit() - 1.0);
    const parallelEnd = ready + tPar * f;
    const start = parallelEnd > lockFree ? parallelEnd : lockFree;
    lockFree = start + tSer * f;
    store<f64>(free + (<usize>v << 3), lockFree);
    siftDown(free, heap, n);
    while (j < samples && i + 1 >= threshold) {
      store<f64>(out + (<usize>j << 3), lockFree);
      j++;
      threshold = (<i64>(j + 1) * units) / <i64>samples;
    }
  }
  return lockFree;
}

/** `count` trials from `firstTrial`: per trial (samples + 1) f64 at out, makespan first. */
export function runAccept(n: i32, units: f64, tPar: f64, tSer: f64, jitter: f64, seed: u32, firstTrial: i32, count: i32,
  samples: i32, scratch: usize, out: usize): void {
  const u = <i64>units;
  for (let t = 0; t < count; t++) {
    seedTrial(seed, <u32>(firstTrial + t));
    const base = out + (<usize>t * <usize>(samples + 1) << 3);
    const makespan = oneTrial(n, u, tPar, tSer, jitter, samples, scratch, base + 8);
    store<f64>(base, makespan);
  }
}
