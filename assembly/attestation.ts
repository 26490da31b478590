// Attestation discrete-event kernel: one call runs a batch of trials of the quote path.
//
// A line-by-line port of src/guest/attestation/oracle.ts (the rules and their sources are
// described there and in src/guest/attestation/model.ts). The two must agree BIT FOR BIT: both
// use xoshiro128** on 32-bit words, + − × / and floor only, and the same event order
// (time, then insertion sequence). test/guest.attest.oracle.test.ts holds them to it.
//
// PARAMS: PARAM_WORDS f64 (layout and codes in src/guest/attestation/kernelAbi.ts, compiled here too).
// OUTPUT: count × (STATS_WORDS + tds × requests) f64, trial-major.
// SCRATCH: laid out by the wrapper from `scratch` upward, sizes from scratchBytes().

import {
  P_PATH, P_QGS, P_THREADS, P_REQUESTS, P_CONC, P_TDS, P_STRATEGY, P_POLL_JIFFIES, P_POLL_GRAN, P_TICK_S,
  P_POLL_LIMIT, P_ATTEMPTS, P_RETRY_WAIT_S, P_TSM_S, P_REPORT_S, P_EXIT_S, P_HOP_S, P_SVC_S, P_SVC_SPREAD,
  P_COLD_S, P_VMM_TIMEOUT_S, P_QGS_TIMEOUT_S, P_QEMU_CAP, P_VSOCK_HOP_S, P_CONV_IN_S, P_CONV_OUT_S, P_WAKE_S, P_REREADS,
  S_OK, S_EBUSY, S_EIO, S_TIMEOUT, S_MAKESPAN, S_RUN_OUTS, S_SPURIOUS, S_QEMU_RETRIES, S_QGS_TIMEOUTS,
  S_COLD_STARTS, S_EBUSY_ATTEMPTS, S_CONVERSIONS, STATS_WORDS,
  EV_ATTEMPT, EV_PROCEED, EV_VMCALL, EV_DONE, EV_POLL, ST_FLIGHT, ST_OK, ST_ERR, R_OK, R_EBUSY, R_EIO, R_ETIMEDOUT,
  PHASE_TICKS, SQRT3, TWO_M53, CH_ARRIVE, CH_REPLY, CH_TIMER, CHANNELS,
} from '../src/guest/attestation/kernelAbi';

export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// xoshiro128**

let r0: u32 = 0;
let r1: u32 = 0;
let r2: u32 = 0;
let r3: u32 = 0;

// @ts-ignore: decorator
@inline
function fmix32(x: u32): u32 {
  let h = x;
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >> 16);
}

function seedTrial(seedLo: u32, seedHi: u32, trialLo: u32, trialHi: u32): void {
  const k0 = fmix32(seedLo + 0x9e3779b9);
  const k1 = fmix32(seedHi ^ k0);
  const k2 = fmix32((trialLo ^ k1) + 0x85ebca6b);
  let x = fmix32(trialHi ^ k2 ^ 0xc2b2ae35);
  x += 0x9e3779b9;
  r0 = fmix32(x);
  x += 0x9e3779b9;
  r1 = fmix32(x);
  x += 0x9e3779b9;
  r2 = fmix32(x);
  x += 0x9e3779b9;
  r3 = fmix32(x);
  if ((r0 | r1 | r2 | r3) == 0) r0 = 1;
}

// @ts-ignore: decorator
@inline
function nextU32(): u32 {
  const result = rotl<u32>(r1 * 5, 7) * 9;
  const t = r1 << 9;
  r2 ^= r0;
  r3 ^= r1;
  r1 ^= r2;
  r0 ^= r3;
  r2 ^= t;
  r3 = rotl<u32>(r3, 11);
  return result;
}

function uniform(): f64 {
  const a = nextU32() >> 5;
  const b = nextU32() >> 6;
  return (<f64>a * 67108864.0 + <f64>b + 0.5) * TWO_M53;
}

function serviceTime(median: f64, spread: f64): f64 {
  const s = uniform() + uniform() + uniform() + uniform();
  let f = 1.0 + spread * SQRT3 * (s - 2.0);
  if (f < 0.1) f = 0.1;
  return median * f;
}

// ---------------------------------------------------------------------------------------------
// Memory regions (set by run()).

let PP: usize = 0; // params
let OUT: usize = 0;
let statBase: usize = 0;
let latCount: i32 = 0;

let hTime: usize = 0;
let hSeq: usize = 0;
let hSize: i32 = 0;
let seqNext: f64 = 0;

let fTime: usize = 0;
let fSeq: usize = 0;
let fId: usize = 0;
let fCap: i32 = 0;
let fHead0: i32 = 0;
let fHead1: i32 = 0;
let fHead2: i32 = 0;
let fTail0: i32 = 0;
let fTail1: i32 = 0;
let fTail2: i32 = 0;

let reqLeft: usize = 0;
let reqStart: usize = 0;
let attemptsLeft: usize = 0;
let reqTx: usize = 0;
let reqPoll: usize = 0;
let qNext: usize = 0;
let reqMode: usize = 0;
let rereadsLeft: usize = 0;
let gRereads: i32 = 0;

let tdHeld: usize = 0;
let tdHead: usize = 0;
let tdTail: usize = 0;
let tdBufTx: usize = 0;
let tdInflight: usize = 0;
let tdPhase: usize = 0;

let txReq: usize = 0;
let txStatus: usize = 0;
let txCount: i32 = 0;

let qgsQueue: usize = 0;
let qgsHead: i32 = 0;
let qgsTail: i32 = 0;
let idleRing: usize = 0;
let idleHead: i32 = 0;
let idleCount: i32 = 0;
let thTx: usize = 0;
let thWarm: usize = 0;

// Hot parameters, read once per batch.
let cTICK_S: f64 = 0;
let cPOLL_GRAN: f64 = 0;
let cPOLL_JIFFIES: f64 = 0;
let cWAKE_S: f64 = 0;
let cTSM_S: f64 = 0;
let cCONV_OUT_S: f64 = 0;
let cRETRY_WAIT_S: f64 = 0;
let cSVC_S: f64 = 0;
let cSVC_SPREAD: f64 = 0;
let cCOLD_S: f64 = 0;
let cVSOCK_HOP_S: f64 = 0;
let cREPORT_S: f64 = 0;
let cQGS_TIMEOUT_S: f64 = 0;
let cCONV_IN_S: f64 = 0;
let cEXIT_S: f64 = 0;
let cHOP_S: f64 = 0;
let cVMM_TIMEOUT_S: f64 = 0;
let gPath: i32 = 0;
let gQgs: i32 = 0;
let gThreads: i32 = 0;
let gConc: i32 = 0;
let gStrategy: i32 = 0;
let gLimit: i32 = 0;
let gAttempts: i32 = 0;
let gCap: i32 = 0;

// @ts-ignore: decorator
@inline function p(i: i32): f64 { return load<f64>(PP + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function getI(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setI(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function getF(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function setF(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }

// ---------------------------------------------------------------------------------------------
// Event heap ordered by (time, sequence). The oracle's order is the same total order, so the
// layout is free: each slot holds the time (f64) and one i64 key = sequence << 32 | type << 28
// | id, which orders by sequence when times tie; sifts move a hole instead of swapping.

// @ts-ignore: decorator
@inline function keyAt(i: i32): i64 { return load<i64>(hSeq + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function timeAt(i: i32): f64 { return load<f64>(hTime + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function put(i: i32, t: f64, k: i64): void {
  store<f64>(hTime + (<usize>i << 3), t);
  store<i64>(hSeq + (<usize>i << 3), k);
}

function push(time: f64, type: i32, id: i32): void {
  const key = (<i64>seqNext << 32) | (<i64>type << 28) | <i64>id;
  seqNext += 1.0;
  let i = hSize++;
  while (i > 0) {
    const par = (i - 1) >> 1;
    const tp = timeAt(par);
    if (tp < time || (tp == time && keyAt(par) < key)) break;
    put(i, tp, keyAt(par));
    i = par;
  }
  put(i, time, key);
}

let popTime: f64 = 0;
let popKey: i64 = 0;

function pop(): void {
  popTime = timeAt(0);
  popKey = keyAt(0);
  hSize--;
  const t = timeAt(hSize);
  const k = keyAt(hSize);
  let i = 0;
  while (true) {
    let m = 2 * i + 1;
    if (m >= hSize) break;
    let tm = timeAt(m);
    let km = keyAt(m);
    if (m + 1 < hSize) {
      const tr = timeAt(m + 1);
      const kr = keyAt(m + 1);
      if (tr < tm || (tr == tm && kr < km)) { m++; tm = tr; km = kr; }
    }
    if (t < tm || (t == tm && k < km)) break;
    put(i, tm, km);
    i = m;
  }
  put(i, t, k);
}

// FIFO channels (see the oracle): arrivals, replies and timers come due in scheduling order.

function pushFifo(ch: i32, time: f64, id: i32): void {
  let tail: i32;
  if (ch == CH_ARRIVE) tail = fTail0++;
  else if (ch == CH_REPLY) tail = fTail1++;
  else tail = fTail2++;
  const i = ch * fCap + tail;
  setF(fTime, i, time);
  setF(fSeq, i, seqNext);
  seqNext += 1.0;
  setI(fId, i, id);
}

// ---------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function stat(i: i32, add: f64): void {
  const a = statBase + (<usize>i << 3);
  store<f64>(a, load<f64>(a) + add);
}

// @ts-ignore: decorator
@inline
function tdOf(q: i32): i32 {
  return q / gConc;
}

function finish(q: i32, s: i32, tEnd: f64): void {
  stat(s, 1);
  store<f64>(statBase + (<usize>(STATS_WORDS + latCount) << 3), tEnd - getF(reqStart, q));
  latCount++;
  const mk = statBase + (<usize>S_MAKESPAN << 3);
  if (tEnd > load<f64>(mk)) store<f64>(mk, tEnd);
  setI(reqMode, q, 0);
  if (getI(reqLeft, q) > 0) {
    setI(reqLeft, q, getI(reqLeft, q) - 1);
    setF(reqStart, q, tEnd);
    setI(attemptsLeft, q, gAttempts);
    push(tEnd, EV_ATTEMPT, q);
  }
}

function sleepEnd(t: f64, td: i32): f64 {
  const tick = cTICK_S;
  const gran = cPOLL_GRAN;
  const phase = getF(tdPhase, td);
  const x = t / tick + phase;
  const j = Math.floor(x);
  const bucket = (Math.floor((j + cPOLL_JIFFIES) / gran) + 1.0) * gran;
  return (bucket - phase) * tick + cWAKE_S;
}

function releaseLock(td: i32, t: f64): void {
  const q = getI(tdHead, td);
  if (q < 0) {
    setI(tdHeld, td, 0);
    return;
  }
  setI(tdHead, td, getI(qNext, q));
  if (getI(tdHead, td) < 0) setI(tdTail, td, -1);
  push(t + cTSM_S, EV_PROCEED, q);
}

function driverReturn(q: i32, code: i32, t: f64): void {
  const td = tdOf(q);
  if (gStrategy == 0) releaseLock(td, t);
  if (code == R_OK) {
    if (gRereads > 0) {
      setI(reqMode, q, 1);
      setI(rereadsLeft, q, gRereads);
      push(t + cCONV_OUT_S, EV_ATTEMPT, q);
      return;
    }
    finish(q, S_OK, t + cCONV_OUT_S);
  } else if (code == R_EIO) {
    finish(q, S_EIO, t);
  } else if (code == R_EBUSY) {
    stat(S_EBUSY_ATTEMPTS, 1);
    setI(attemptsLeft, q, getI(attemptsLeft, q) - 1);
    if (getI(attemptsLeft, q) > 0) push(t + cRETRY_WAIT_S, EV_ATTEMPT, q);
    else finish(q, S_EBUSY, t + cRETRY_WAIT_S);
  } else {
    setI(attemptsLeft, q, getI(attemptsLeft, q) - 1);
    if (getI(attemptsLeft, q) > 0) push(t, EV_ATTEMPT, q);
    else finish(q, S_TIMEOUT, t);
  }
}

function loopExit(q: i32, i: i32, t: f64): void {
  const st = getI(txStatus, getI(reqTx, q));
  if (i == gLimit) {
    if (st == ST_OK) stat(S_SPURIOUS, 1);
    driverReturn(q, R_ETIMEDOUT, t);
    return;
  }
  if (i > gLimit) stat(S_RUN_OUTS, 1);
  driverReturn(q, st == ST_OK ? R_OK : R_EIO, t);
}

function newTx(q: i32): i32 {
  const tx = txCount++;
  setI(txReq, tx, q);
  setI(txStatus, tx, ST_FLIGHT);
  setI(reqTx, q, tx);
  return tx;
}

function complete(tx: i32, st: i32, t: f64): void {
  setI(txStatus, tx, st);
  const q = getI(txReq, tx);
  if (gPath == 1) {
    finish(q, st == ST_OK ? S_OK : S_EIO, t);
    return;
  }
  const td = tdOf(q);
  setI(tdInflight, td, getI(tdInflight, td) - 1);
}

function startService(th: i32, tx: i32, t: f64): void {
  let d = serviceTime(cSVC_S, cSVC_SPREAD);
  if (getI(thWarm, th) == 0) {
    setI(thWarm, th, 1);
    stat(S_COLD_STARTS, 1);
    d += cCOLD_S;
  }
  setI(thTx, th, tx);
  push(t + d, EV_DONE, th);
}

function onAttempt(q: i32, t: f64): void {
  if (gPath == 1) {
    const hop = cVSOCK_HOP_S;
    if (gQgs == 1) {
      finish(q, S_EIO, t + cREPORT_S + hop + hop);
      return;
    }
    const tx = newTx(q);
    const arrive = t + cREPORT_S + hop;
    if (gQgs == 0) pushFifo(CH_ARRIVE, arrive, tx);
    pushFifo(CH_TIMER, arrive + cQGS_TIMEOUT_S, tx);
    return;
  }
  if (gStrategy == 0) {
    const td = tdOf(q);
    if (getI(tdHeld, td) != 0) {
      setI(qNext, q, -1);
      if (getI(tdTail, td) < 0) setI(tdHead, td, q);
      else setI(qNext, getI(tdTail, td), q);
      setI(tdTail, td, q);
      return;
    }
    setI(tdHeld, td, 1);
  }
  push(t + cTSM_S, EV_PROCEED, q);
}

function rereadDone(q: i32, t: f64): void {
  if (gStrategy == 0) releaseLock(tdOf(q), t);
  setI(rereadsLeft, q, getI(rereadsLeft, q) - 1);
  if (getI(rereadsLeft, q) > 0) push(t, EV_ATTEMPT, q);
  else finish(q, S_OK, t);
}

function onProceed(q: i32, t: f64): void {
  if (getI(reqMode, q) == 1) {
    rereadDone(q, t);
    return;
  }
  if (gStrategy == 0) {
    const b = getI(tdBufTx, tdOf(q));
    if (b >= 0 && getI(txStatus, b) == ST_FLIGHT) {
      driverReturn(q, R_EBUSY, t);
      return;
    }
  }
  if (gStrategy == 1) stat(S_CONVERSIONS, 1);
  push(t + cREPORT_S + cCONV_IN_S + cEXIT_S, EV_VMCALL, q);
}

function onVmcall(q: i32, t: f64): void {
  const td = tdOf(q);
  if (getI(tdInflight, td) >= gCap) {
    stat(S_QEMU_RETRIES, 1);
    driverReturn(q, R_EIO, t);
    return;
  }
  const tx = newTx(q);
  if (gStrategy == 0) setI(tdBufTx, td, tx);
  if (gQgs == 1) {
    setI(txStatus, tx, ST_ERR);
  } else {
    setI(tdInflight, td, getI(tdInflight, td) + 1);
    if (gQgs == 0) pushFifo(CH_ARRIVE, t + cHOP_S, tx);
    pushFifo(CH_TIMER, t + cVMM_TIMEOUT_S, tx);
  }
  if (getI(txStatus, tx) != ST_FLIGHT) {
    loopExit(q, 0, t);
    return;
  }
  setI(reqPoll, q, 1);
  push(sleepEnd(t, td), EV_POLL, q);
}

function onPoll(q: i32, t: f64): void {
  const i = getI(reqPoll, q);
  if (getI(txStatus, getI(reqTx, q)) != ST_FLIGHT) {
    loopExit(q, i, t);
    return;
  }
  if (i < gLimit) {
    setI(reqPoll, q, i + 1);
    push(sleepEnd(t, tdOf(q)), EV_POLL, q);
    return;
  }
  loopExit(q, i + 1, t);
}

function onArrive(tx: i32, t: f64): void {
  if (idleCount > 0) {
    const th = getI(idleRing, idleHead);
    idleHead = (idleHead + 1) % gThreads;
    idleCount--;
    startService(th, tx, t);
    return;
  }
  setI(qgsQueue, qgsTail++, tx);
}

function onDone(th: i32, t: f64): void {
  const tx = getI(thTx, th);
  if (getI(txStatus, tx) == ST_FLIGHT) {
    const hop = gPath == 1 ? cVSOCK_HOP_S : cHOP_S;
    pushFifo(CH_REPLY, t + hop, tx);
  }
  if (qgsTail > qgsHead) {
    const next = getI(qgsQueue, qgsHead++);
    startService(th, next, t);
    return;
  }
  setI(idleRing, (idleHead + idleCount) % gThreads, th);
  idleCount++;
}

function onReply(tx: i32, t: f64): void {
  if (getI(txStatus, tx) == ST_FLIGHT) complete(tx, ST_OK, t);
}

function onTimer(tx: i32, t: f64): void {
  if (getI(txStatus, tx) != ST_FLIGHT) return;
  stat(S_QGS_TIMEOUTS, 1);
  complete(tx, ST_ERR, t);
}

function runTrial(seedLo: u32, seedHi: u32, trial: f64, base: usize): void {
  const tds = <i32>p(P_TDS);
  const requests = <i32>p(P_REQUESTS);
  const nQ = tds * gConc;
  seedTrial(seedLo, seedHi, <u32><u64>(trial % 4294967296.0), <u32><u64>Math.floor(trial / 4294967296.0));
  statBase = base;
  latCount = 0;
  for (let i = 0; i < STATS_WORDS; i++) store<f64>(base + (<usize>i << 3), 0);
  hSize = 0;
  seqNext = 0;
  fHead0 = 0; fHead1 = 0; fHead2 = 0;
  fTail0 = 0; fTail1 = 0; fTail2 = 0;
  txCount = 0;
  qgsHead = 0;
  qgsTail = 0;
  idleHead = 0;
  idleCount = gThreads;
  for (let th = 0; th < gThreads; th++) {
    setI(idleRing, th, th);
    setI(thWarm, th, 0);
  }
  for (let td = 0; td < tds; td++) {
    setI(tdHeld, td, 0);
    setI(tdHead, td, -1);
    setI(tdTail, td, -1);
    setI(tdBufTx, td, -1);
    setI(tdInflight, td, 0);
    setF(tdPhase, td, uniform() * PHASE_TICKS);
  }
  for (let q = 0; q < nQ; q++) {
    const k = q % gConc;
    const share = requests / gConc + (k < requests % gConc ? 1 : 0);
    setI(reqLeft, q, share - 1);
    setF(reqStart, q, 0);
    setI(attemptsLeft, q, gAttempts);
    setI(reqTx, q, -1);
    setI(reqPoll, q, 0);
    setI(qNext, q, -1);
    setI(reqMode, q, 0);
    setI(rereadsLeft, q, 0);
    if (share > 0) push(0, EV_ATTEMPT, q);
  }
  while (true) {
    let ch: i32 = -1;
    let t: f64 = 0;
    let seq: f64 = 0;
    if (fHead0 != fTail0) {
      const i = fHead0;
      ch = 0; t = getF(fTime, i); seq = getF(fSeq, i);
    }
    if (fHead1 != fTail1) {
      const i = fCap + fHead1;
      const ti = getF(fTime, i);
      if (ch < 0 || ti < t || (ti == t && getF(fSeq, i) < seq)) { ch = 1; t = ti; seq = getF(fSeq, i); }
    }
    if (fHead2 != fTail2) {
      const i = 2 * fCap + fHead2;
      const ti = getF(fTime, i);
      if (ch < 0 || ti < t || (ti == t && getF(fSeq, i) < seq)) { ch = 2; t = ti; seq = getF(fSeq, i); }
    }
    if (hSize > 0 && (ch < 0 || timeAt(0) < t || (timeAt(0) == t && <f64>(keyAt(0) >> 32) < seq))) ch = -1;
    else if (ch < 0) break;
    if (ch == CH_ARRIVE) {
      onArrive(getI(fId, fHead0++), t);
      continue;
    }
    if (ch == CH_REPLY) {
      onReply(getI(fId, fCap + fHead1++), t);
      continue;
    }
    if (ch == CH_TIMER) {
      onTimer(getI(fId, 2 * fCap + fHead2++), t);
      continue;
    }
    pop();
    t = popTime;
    const type = <i32>((popKey >> 28) & 15);
    const id = <i32>(popKey & 0xfffffff);
    if (type == EV_ATTEMPT) onAttempt(id, t);
    else if (type == EV_PROCEED) onProceed(id, t);
    else if (type == EV_VMCALL) onVmcall(id, t);
    else if (type == EV_DONE) onDone(id, t);
    else onPoll(id, t);
  }
}

// @ts-ignore: decorator
@inline
function align8(x: usize): usize {
  return (x + 7) & ~(<usize>7);
}

/** Bytes of scratch a batch needs for these params (the wrapper grows memory to fit). */
export function scratchBytes(params: usize): usize {
  PP = params;
  const tds = <usize>p(P_TDS);
  const nQ = tds * <usize>p(P_CONC);
  const nTx = tds * <usize>p(P_REQUESTS) * <usize>p(P_ATTEMPTS);
  const threads = <usize>p(P_THREADS);
  const events = nQ + threads + 4;
  return align8(events * 24) + align8(3 * nTx * 20) + align8(nQ * 36) + align8(tds * 28) + align8(nTx * 12) + align8(threads * 12) + 64;
}

/**
 * Trials firstTrial .. firstTrial+count-1 of `params` into `out`
 * (count × (STATS_WORDS + tds × requests) f64).
 */
export function runAttestation(params: usize, scratch: usize, firstTrial: f64, count: i32, seedLo: u32, seedHi: u32, out: usize): void {
  PP = params;
  OUT = out;
  const tds = <usize>p(P_TDS);
  const nQ = tds * <usize>p(P_CONC);
  const nTx = tds * <usize>p(P_REQUESTS) * <usize>p(P_ATTEMPTS);
  const threads = <usize>p(P_THREADS);
  const events = nQ + threads + 4;
  let a = scratch;
  fCap = <i32>nTx;
  fTime = a; a += (3 * nTx) << 3;
  fSeq = a; a += (3 * nTx) << 3;
  fId = a; a = align8(a + ((3 * nTx) << 2));
  hTime = a; a += events << 3;
  hSeq = a; a += events << 3;
  reqStart = a; a += nQ << 3;
  reqLeft = a; a += nQ << 2;
  attemptsLeft = a; a += nQ << 2;
  reqTx = a; a += nQ << 2;
  reqPoll = a; a += nQ << 2;
  qNext = a; a += nQ << 2;
  reqMode = a; a += nQ << 2;
  rereadsLeft = a; a = align8(a + (nQ << 2));
  tdPhase = a; a += tds << 3;
  tdHeld = a; a += tds << 2;
  tdHead = a; a += tds << 2;
  tdTail = a; a += tds << 2;
  tdBufTx = a; a += tds << 2;
  tdInflight = a; a = align8(a + (tds << 2));
  txReq = a; a += nTx << 2;
  txStatus = a; a += nTx << 2;
  qgsQueue = a; a = align8(a + (nTx << 2));
  thTx = a; a += threads << 2;
  thWarm = a; a += threads << 2;
  idleRing = a;

  cTICK_S = p(P_TICK_S);
  cPOLL_GRAN = p(P_POLL_GRAN);
  cPOLL_JIFFIES = p(P_POLL_JIFFIES);
  cWAKE_S = p(P_WAKE_S);
  cTSM_S = p(P_TSM_S);
  cCONV_OUT_S = p(P_CONV_OUT_S);
  cRETRY_WAIT_S = p(P_RETRY_WAIT_S);
  cSVC_S = p(P_SVC_S);
  cSVC_SPREAD = p(P_SVC_SPREAD);
  cCOLD_S = p(P_COLD_S);
  cVSOCK_HOP_S = p(P_VSOCK_HOP_S);
  cREPORT_S = p(P_REPORT_S);
  cQGS_TIMEOUT_S = p(P_QGS_TIMEOUT_S);
  cCONV_IN_S = p(P_CONV_IN_S);
  cEXIT_S = p(P_EXIT_S);
  cHOP_S = p(P_HOP_S);
  cVMM_TIMEOUT_S = p(P_VMM_TIMEOUT_S);
  gPath = <i32>p(P_PATH);
  gQgs = <i32>p(P_QGS);
  gThreads = <i32>threads;
  gConc = <i32>p(P_CONC);
  gStrategy = <i32>p(P_STRATEGY);
  gLimit = <i32>p(P_POLL_LIMIT);
  gAttempts = <i32>p(P_ATTEMPTS);
  gCap = <i32>p(P_QEMU_CAP);
  gRereads = <i32>p(P_REREADS);

  const words = <usize>STATS_WORDS + tds * <usize>p(P_REQUESTS);
  for (let i = 0; i < count; i++) {
    runTrial(seedLo, seedHi, firstTrial + <f64>i, out + <usize>i * words * 8);
  }
}
