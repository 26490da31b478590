// The attestation discrete-event model, plain TypeScript: the oracle of assembly/attestation.ts.
//
// Both sides perform the same operations in the same order on the same doubles and 32-bit
// integers, so they agree BIT FOR BIT (test/guest.attest.oracle.test.ts). That is why there is
// no Math.exp/log here: the random streams are xoshiro128** (32-bit, so JavaScript needs no
// BigInt) and the only distribution is a bounded Irwin–Hall spread built from + − × alone.
//
// One trial simulates `tds` TDs × `conc` requesters, each issuing its share of `requests`
// quote requests back to back, against one host quote service (QGS). Events are ordered by
// (time, insertion sequence), so ties resolve the same way on both sides.
//
// Rules (sources in model.ts and costs.ts):
//  - configfs path, upstream buffer ('preallocate'): tsm_rwsem (write) + quote_lock serialize
//    the TD's requests: one FIFO lock per TD held from the outblob read to the driver's return.
//    If the TD's one shared buffer still says GET_QUOTE_IN_FLIGHT (the VMM owns it) the driver
//    answers -EBUSY at once.
//  - 'per-request' / 'swiotlb' (the seed-003 designs): one buffer per request, no per-TD lock,
//    so requests reach QEMU in parallel and QEMU's in-flight cap (16 per TD) answers
//    TDG_VP_VMCALL_RETRY, which the driver turns into -EIO.
//  - GetQuote: QEMU relays to QGS; no QGS configured → QGS_UNAVAILABLE at once; a silent QGS
//    never answers and QEMU's 30 s transaction timer writes GET_QUOTE_ERROR.
//  - wait_for_quote_completion(): `while (status == IN_FLIGHT && i++ < timeout) msleep(…)`
//    then `return (i == timeout) ? -ETIMEDOUT : 0`. Followed exactly: the status is tested
//    before the counter, so a quote still in flight after the 30th sleep leaves the loop with
//    i = 31 and returns 0 (the caller's status check then fails it), while a quote that
//    completed during the 30th sleep leaves with i = 30 and is reported -ETIMEDOUT.
//    With QEMU's 30 s transaction timer and 1 s polls the timer fires during the 30th sleep
//    (the first sleep takes 1.001–1.065 s, the next ones phase-lock to the timer wheel at
//    1.024 s, so 29 sleeps end at ~29.7 s and the 30th at ~30.7 s): a silent quote service is
//    reported -ETIMEDOUT ("GetQuote request timedout") after ~30.7 s. That is what intel/lkvs
//    expects ("Connection timed out") and resolves the doubt in our reference notes; a VMM
//    without such a timer instead runs the loop out (counter 31) and the request fails -EIO.
//  - msleep_interruptible(ms) sleeps msecs_to_jiffies(ms) + 1 jiffies, and the timer wheel
//    rounds the expiry up to its level's granularity (kernel/time/timer.c calc_index): the
//    delay is computed from the absolute jiffies count (a random boot phase per TD).
//  - QGS: `threads` workers take jobs FIFO; the longest-idle worker takes the next job; each
//    worker's first job pays a cold start; a job whose connection passed its 30 s timer is
//    still run (the posted handler does not check), its answer is lost.
//  - vsock path: the client gets a TDREPORT and talks to QGS itself: no lock, no QEMU, no poll.
//  - cached re-reads: a read of outblob with an unchanged generation is served from the
//    report cache (configfs-tsm read_cached_report) without a new quote, but under tsm_rwsem:
//    it queues for the TD's lock behind writers and holds it for the configfs overhead.
//  - client (libtdx_attest): up to `attempts` reads of outblob; after -EBUSY it sleeps 10 s
//    (also after the last one), after -ETIMEDOUT it retries at once; -EIO ends the request.

import {
  P_PATH, P_QGS, P_THREADS, P_REQUESTS, P_CONC, P_TDS, P_STRATEGY, P_POLL_JIFFIES, P_POLL_GRAN, P_TICK_S,
  P_POLL_LIMIT, P_ATTEMPTS, P_RETRY_WAIT_S, P_TSM_S, P_REPORT_S, P_EXIT_S, P_HOP_S, P_SVC_S, P_SVC_SPREAD,
  P_COLD_S, P_VMM_TIMEOUT_S, P_QGS_TIMEOUT_S, P_QEMU_CAP, P_VSOCK_HOP_S, P_CONV_IN_S, P_CONV_OUT_S, P_WAKE_S, P_REREADS,
  S_OK, S_EBUSY, S_EIO, S_TIMEOUT, S_MAKESPAN, S_RUN_OUTS, S_SPURIOUS, S_QEMU_RETRIES, S_QGS_TIMEOUTS,
  S_COLD_STARTS, S_EBUSY_ATTEMPTS, S_CONVERSIONS, STATS_WORDS,
  EV_ATTEMPT, EV_PROCEED, EV_VMCALL, EV_DONE, EV_POLL, ST_FLIGHT, ST_OK, ST_ERR, R_OK, R_EBUSY, R_EIO, R_ETIMEDOUT,
  PHASE_TICKS, SQRT3, TWO_M53, CH_ARRIVE, CH_REPLY, CH_TIMER, CHANNELS,
} from './kernelAbi.js';


// ---------------------------------------------------------------------------------------------
// xoshiro128** seeded from (seed, trial) alone.

let r0 = 0;
let r1 = 0;
let r2 = 0;
let r3 = 0;

function fmix32(x: number): number {
  let h = x >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function seedTrial(seedLo: number, seedHi: number, trialLo: number, trialHi: number): void {
  const k0 = fmix32((seedLo + 0x9e3779b9) >>> 0);
  const k1 = fmix32((seedHi ^ k0) >>> 0);
  const k2 = fmix32(((trialLo ^ k1) + 0x85ebca6b) >>> 0);
  let x = fmix32((trialHi ^ k2 ^ 0xc2b2ae35) >>> 0);
  x = (x + 0x9e3779b9) >>> 0;
  r0 = fmix32(x);
  x = (x + 0x9e3779b9) >>> 0;
  r1 = fmix32(x);
  x = (x + 0x9e3779b9) >>> 0;
  r2 = fmix32(x);
  x = (x + 0x9e3779b9) >>> 0;
  r3 = fmix32(x);
  if ((r0 | r1 | r2 | r3) === 0) r0 = 1;
}

function rotl32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function nextU32(): number {
  const result = Math.imul(rotl32(Math.imul(r1, 5) >>> 0, 7), 9) >>> 0;
  const t = (r1 << 9) >>> 0;
  r2 = (r2 ^ r0) >>> 0;
  r3 = (r3 ^ r1) >>> 0;
  r1 = (r1 ^ r2) >>> 0;
  r0 = (r0 ^ r3) >>> 0;
  r2 = (r2 ^ t) >>> 0;
  r3 = rotl32(r3, 11);
  return result;
}

/** Uniform on (0, 1): 53 random bits plus one half. */
function uniform(): number {
  const a = nextU32() >>> 5;
  const b = nextU32() >>> 6;
  return (a * 67108864.0 + b + 0.5) * TWO_M53;
}

/** median × (1 + spread·z), z = standardized sum of 4 uniforms (bounded ±3.46), floored at 0.1·median. */
function serviceTime(median: number, spread: number): number {
  const s = uniform() + uniform() + uniform() + uniform();
  let f = 1.0 + spread * SQRT3 * (s - 2.0);
  if (f < 0.1) f = 0.1;
  return median * f;
}

// ---------------------------------------------------------------------------------------------
// Events. The oracle keeps them as objects (clear rather than fast; the kernel packs them).

interface Ev { time: number; seq: number; type: number; id: number }

function earlier(a: Ev, b: Ev): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Binary min-heap of events ordered by (time, sequence). */
let heap: Ev[] = [];
let seqNext = 0;

function push(time: number, type: number, id: number): void {
  let i = heap.length;
  heap.push({ time, seq: seqNext++, type, id });
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!earlier(heap[i], heap[p])) break;
    [heap[i], heap[p]] = [heap[p], heap[i]];
    i = p;
  }
}

function pop(): Ev {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      let m = l;
      if (l + 1 < heap.length && earlier(heap[l + 1], heap[l])) m = l + 1;
      if (!earlier(heap[m], heap[i])) break;
      [heap[m], heap[i]] = [heap[i], heap[m]];
      i = m;
    }
  }
  return top;
}

// Three event kinds are always scheduled at (current time + a constant): arrivals at QGS
// (+ hop), replies (+ hop) and transaction timers (+ 30 s). Events are handled in time order,
// so each kind comes due in the order it was scheduled: a FIFO per kind replaces the heap for
// them (a trial's heap then holds only one event per requester and per QGS worker). The next
// event is the earliest, by (time, sequence), of the heap top and the three FIFO heads.

/** Event type of a FIFO event: FIFO_TYPE + its channel. */
const FIFO_TYPE = 100;

let fifos: Ev[][] = [[], [], []];
const fHead = [0, 0, 0];

function pushFifo(ch: number, time: number, id: number): void {
  fifos[ch].push({ time, seq: seqNext++, type: FIFO_TYPE + ch, id });
}

// ---------------------------------------------------------------------------------------------
// Model state (one trial).

let P: Float64Array = new Float64Array(0);
let out = new Float64Array(0);
let statBase = 0;
let latCount = 0;

let reqLeft = new Int32Array(0);
let reqStart = new Float64Array(0);
let attemptsLeft = new Int32Array(0);
let reqTx = new Int32Array(0);
let reqPoll = new Int32Array(0);
let qNext = new Int32Array(0);
let reqMode = new Int32Array(0); // 0: fresh quote, 1: cached re-read
let rereadsLeft = new Int32Array(0);

let tdHeld = new Int32Array(0);
let tdHead = new Int32Array(0);
let tdTail = new Int32Array(0);
let tdBufTx = new Int32Array(0);
let tdInflight = new Int32Array(0);
let tdPhase = new Float64Array(0);

let txReq = new Int32Array(0);
let txStatus = new Int32Array(0);
let txCount = 0;

let qgsQueue = new Int32Array(0);
let qgsHead = 0;
let qgsTail = 0;
let idleRing = new Int32Array(0);
let idleHead = 0;
let idleCount = 0;
let thTx = new Int32Array(0);
let thWarm = new Int32Array(0);

let traceOn = false;
let traceT: number[] = [];
let traceN: number[] = [];

function ensure(nQ: number, nTd: number, nTx: number, threads: number): void {
  if (reqLeft.length < nQ) {
    reqLeft = new Int32Array(nQ); reqStart = new Float64Array(nQ); attemptsLeft = new Int32Array(nQ);
    reqTx = new Int32Array(nQ); reqPoll = new Int32Array(nQ); qNext = new Int32Array(nQ);
    reqMode = new Int32Array(nQ); rereadsLeft = new Int32Array(nQ);
  }
  if (tdHeld.length < nTd) {
    tdHeld = new Int32Array(nTd); tdHead = new Int32Array(nTd); tdTail = new Int32Array(nTd);
    tdBufTx = new Int32Array(nTd); tdInflight = new Int32Array(nTd); tdPhase = new Float64Array(nTd);
  }
  if (txReq.length < nTx) {
    txReq = new Int32Array(nTx); txStatus = new Int32Array(nTx); qgsQueue = new Int32Array(nTx);
  }
  if (thTx.length < threads) {
    thTx = new Int32Array(threads); thWarm = new Int32Array(threads); idleRing = new Int32Array(threads);
  }
}

function stat(i: number, add: number): void {
  out[statBase + i] += add;
}

function traceQueue(t: number): void {
  if (traceOn) {
    traceT.push(t);
    traceN.push(qgsTail - qgsHead);
  }
}

/** The request of requester q ends at tEnd with outcome s (an S_ index); its next one starts then. */
function finish(q: number, s: number, tEnd: number): void {
  stat(s, 1);
  out[statBase + STATS_WORDS + latCount] = tEnd - reqStart[q];
  latCount++;
  if (tEnd > out[statBase + S_MAKESPAN]) out[statBase + S_MAKESPAN] = tEnd;
  reqMode[q] = 0;
  if (reqLeft[q] > 0) {
    reqLeft[q]--;
    reqStart[q] = tEnd;
    attemptsLeft[q] = P[P_ATTEMPTS] | 0;
    push(tEnd, EV_ATTEMPT, q);
  }
}

/** Driver sleep of msleep_interruptible(pollMs) started at t in TD td: the time it wakes. */
function sleepEnd(t: number, td: number): number {
  const tick = P[P_TICK_S];
  const gran = P[P_POLL_GRAN];
  const x = t / tick + tdPhase[td];
  const j = Math.floor(x);
  const bucket = (Math.floor((j + P[P_POLL_JIFFIES]) / gran) + 1.0) * gran;
  return (bucket - tdPhase[td]) * tick + P[P_WAKE_S];
}

function releaseLock(td: number, t: number): void {
  const q = tdHead[td];
  if (q < 0) {
    tdHeld[td] = 0;
    return;
  }
  tdHead[td] = qNext[q];
  if (tdHead[td] < 0) tdTail[td] = -1;
  push(t + P[P_TSM_S], EV_PROCEED, q);
}

/** The driver returned `code` to requester q at t; the client decides what comes next. */
function driverReturn(q: number, code: number, t: number): void {
  const conc = P[P_CONC] | 0;
  const td = (q / conc) | 0;
  if ((P[P_STRATEGY] | 0) === 0) releaseLock(td, t);
  if (code === R_OK) {
    const rereads = P[P_REREADS] | 0;
    if (rereads > 0) {
      reqMode[q] = 1;
      rereadsLeft[q] = rereads;
      push(t + P[P_CONV_OUT_S], EV_ATTEMPT, q);
      return;
    }
    finish(q, S_OK, t + P[P_CONV_OUT_S]);
  } else if (code === R_EIO) {
    finish(q, S_EIO, t);
  } else if (code === R_EBUSY) {
    stat(S_EBUSY_ATTEMPTS, 1);
    attemptsLeft[q]--;
    if (attemptsLeft[q] > 0) push(t + P[P_RETRY_WAIT_S], EV_ATTEMPT, q);
    else finish(q, S_EBUSY, t + P[P_RETRY_WAIT_S]);
  } else {
    attemptsLeft[q]--;
    if (attemptsLeft[q] > 0) push(t, EV_ATTEMPT, q);
    else finish(q, S_TIMEOUT, t);
  }
}

/** wait_for_quote_completion() left its loop with counter i; then tdx_report_new()'s checks. */
function loopExit(q: number, i: number, t: number): void {
  const limit = P[P_POLL_LIMIT] | 0;
  const st = txStatus[reqTx[q]];
  if (i === limit) {
    if (st === ST_OK) stat(S_SPURIOUS, 1);
    driverReturn(q, R_ETIMEDOUT, t);
    return;
  }
  if (i > limit) stat(S_RUN_OUTS, 1);
  driverReturn(q, st === ST_OK ? R_OK : R_EIO, t);
}

function newTx(q: number): number {
  const tx = txCount++;
  txReq[tx] = q;
  txStatus[tx] = ST_FLIGHT;
  reqTx[q] = tx;
  return tx;
}

/** The VMM (configfs) or the client (vsock) learns the outcome of tx at t. */
function complete(tx: number, st: number, t: number): void {
  txStatus[tx] = st;
  const q = txReq[tx];
  if ((P[P_PATH] | 0) === 1) {
    finish(q, st === ST_OK ? S_OK : S_EIO, t);
    return;
  }
  const td = (q / (P[P_CONC] | 0)) | 0;
  tdInflight[td]--;
}

function startService(th: number, tx: number, t: number): void {
  let d = serviceTime(P[P_SVC_S], P[P_SVC_SPREAD]);
  if (thWarm[th] === 0) {
    thWarm[th] = 1;
    stat(S_COLD_STARTS, 1);
    d += P[P_COLD_S];
  }
  thTx[th] = tx;
  push(t + d, EV_DONE, th);
}

function onAttempt(q: number, t: number): void {
  if ((P[P_PATH] | 0) === 1) {
    const qgs = P[P_QGS] | 0;
    const hop = P[P_VSOCK_HOP_S];
    if (qgs === 1) {
      finish(q, S_EIO, t + P[P_REPORT_S] + hop + hop);
      return;
    }
    const tx = newTx(q);
    const arrive = t + P[P_REPORT_S] + hop;
    if (qgs === 0) pushFifo(CH_ARRIVE, arrive, tx);
    pushFifo(CH_TIMER, arrive + P[P_QGS_TIMEOUT_S], tx);
    return;
  }
  if ((P[P_STRATEGY] | 0) === 0) {
    const td = (q / (P[P_CONC] | 0)) | 0;
    if (tdHeld[td] !== 0) {
      qNext[q] = -1;
      if (tdTail[td] < 0) tdHead[td] = q;
      else qNext[tdTail[td]] = q;
      tdTail[td] = q;
      return;
    }
    tdHeld[td] = 1;
  }
  push(t + P[P_TSM_S], EV_PROCEED, q);
}

/** A cached re-read ends (it held the lock, if any, for the configfs overhead). */
function rereadDone(q: number, t: number): void {
  if ((P[P_STRATEGY] | 0) === 0) releaseLock((q / (P[P_CONC] | 0)) | 0, t);
  rereadsLeft[q]--;
  if (rereadsLeft[q] > 0) push(t, EV_ATTEMPT, q);
  else finish(q, S_OK, t);
}

function onProceed(q: number, t: number): void {
  if (reqMode[q] === 1) {
    rereadDone(q, t);
    return;
  }
  const strategy = P[P_STRATEGY] | 0;
  if (strategy === 0) {
    const td = (q / (P[P_CONC] | 0)) | 0;
    const b = tdBufTx[td];
    if (b >= 0 && txStatus[b] === ST_FLIGHT) {
      driverReturn(q, R_EBUSY, t);
      return;
    }
  }
  if (strategy === 1) stat(S_CONVERSIONS, 1);
  push(t + P[P_REPORT_S] + P[P_CONV_IN_S] + P[P_EXIT_S], EV_VMCALL, q);
}

function onVmcall(q: number, t: number): void {
  const td = (q / (P[P_CONC] | 0)) | 0;
  if (tdInflight[td] >= (P[P_QEMU_CAP] | 0)) {
    stat(S_QEMU_RETRIES, 1);
    driverReturn(q, R_EIO, t);
    return;
  }
  const tx = newTx(q);
  if ((P[P_STRATEGY] | 0) === 0) tdBufTx[td] = tx;
  const qgs = P[P_QGS] | 0;
  if (qgs === 1) {
    txStatus[tx] = ST_ERR;
  } else {
    tdInflight[td]++;
    if (qgs === 0) pushFifo(CH_ARRIVE, t + P[P_HOP_S], tx);
    pushFifo(CH_TIMER, t + P[P_VMM_TIMEOUT_S], tx);
  }
  if (txStatus[tx] !== ST_FLIGHT) {
    loopExit(q, 0, t);
    return;
  }
  reqPoll[q] = 1;
  push(sleepEnd(t, td), EV_POLL, q);
}

function onPoll(q: number, t: number): void {
  const i = reqPoll[q];
  if (txStatus[reqTx[q]] !== ST_FLIGHT) {
    loopExit(q, i, t);
    return;
  }
  if (i < (P[P_POLL_LIMIT] | 0)) {
    reqPoll[q] = i + 1;
    push(sleepEnd(t, (q / (P[P_CONC] | 0)) | 0), EV_POLL, q);
    return;
  }
  loopExit(q, i + 1, t);
}

function onArrive(tx: number, t: number): void {
  if (idleCount > 0) {
    const th = idleRing[idleHead];
    idleHead = (idleHead + 1) % (P[P_THREADS] | 0);
    idleCount--;
    startService(th, tx, t);
    return;
  }
  qgsQueue[qgsTail++] = tx;
  traceQueue(t);
}

function onDone(th: number, t: number): void {
  const tx = thTx[th];
  if (txStatus[tx] === ST_FLIGHT) {
    const hop = (P[P_PATH] | 0) === 1 ? P[P_VSOCK_HOP_S] : P[P_HOP_S];
    pushFifo(CH_REPLY, t + hop, tx);
  }
  if (qgsTail > qgsHead) {
    const next = qgsQueue[qgsHead++];
    traceQueue(t);
    startService(th, next, t);
    return;
  }
  const threads = P[P_THREADS] | 0;
  idleRing[(idleHead + idleCount) % threads] = th;
  idleCount++;
}

function onReply(tx: number, t: number): void {
  if (txStatus[tx] === ST_FLIGHT) complete(tx, ST_OK, t);
}

function onTimer(tx: number, t: number): void {
  if (txStatus[tx] !== ST_FLIGHT) return;
  stat(S_QGS_TIMEOUTS, 1);
  complete(tx, ST_ERR, t);
}

function runTrial(seedLo: number, seedHi: number, trial: number, base: number): void {
  const tds = P[P_TDS] | 0;
  const conc = P[P_CONC] | 0;
  const requests = P[P_REQUESTS] | 0;
  const threads = P[P_THREADS] | 0;
  const nQ = tds * conc;
  seedTrial(seedLo, seedHi, trial % 4294967296, Math.floor(trial / 4294967296));
  statBase = base;
  latCount = 0;
  for (let i = 0; i < STATS_WORDS; i++) out[base + i] = 0;
  heap = [];
  seqNext = 0;
  fifos = [[], [], []];
  fHead.fill(0);
  txCount = 0;
  qgsHead = 0;
  qgsTail = 0;
  idleHead = 0;
  idleCount = threads;
  for (let th = 0; th < threads; th++) {
    idleRing[th] = th;
    thWarm[th] = 0;
  }
  for (let td = 0; td < tds; td++) {
    tdHeld[td] = 0;
    tdHead[td] = -1;
    tdTail[td] = -1;
    tdBufTx[td] = -1;
    tdInflight[td] = 0;
    tdPhase[td] = uniform() * PHASE_TICKS;
  }
  for (let q = 0; q < nQ; q++) {
    const k = q % conc;
    const share = ((requests / conc) | 0) + (k < requests % conc ? 1 : 0);
    reqLeft[q] = share - 1;
    reqStart[q] = 0;
    attemptsLeft[q] = P[P_ATTEMPTS] | 0;
    reqTx[q] = -1;
    reqPoll[q] = 0;
    qNext[q] = -1;
    reqMode[q] = 0;
    rereadsLeft[q] = 0;
    if (share > 0) push(0, EV_ATTEMPT, q);
  }
  for (;;) {
    // The earliest FIFO head, then the heap top if it comes first.
    let ev: Ev | undefined;
    for (let ch = 0; ch < CHANNELS; ch++) {
      const head = fifos[ch][fHead[ch]];
      if (head && (!ev || earlier(head, ev))) ev = head;
    }
    if (heap.length > 0 && (!ev || earlier(heap[0], ev))) ev = pop();
    else if (!ev) break;
    else fHead[ev.type - FIFO_TYPE]++;
    dispatch(ev);
  }
}

function dispatch(ev: Ev): void {
  const { type, id, time: t } = ev;
  if (type === EV_ATTEMPT) onAttempt(id, t);
  else if (type === EV_PROCEED) onProceed(id, t);
  else if (type === EV_VMCALL) onVmcall(id, t);
  else if (type === EV_DONE) onDone(id, t);
  else if (type === EV_POLL) onPoll(id, t);
  else if (type === FIFO_TYPE + CH_ARRIVE) onArrive(id, t);
  else if (type === FIFO_TYPE + CH_REPLY) onReply(id, t);
  else onTimer(id, t);
}

/** Words per trial in the output: the statistics, then one latency per request. */
export function trialWords(params: Float64Array): number {
  return STATS_WORDS + (params[P_TDS] | 0) * (params[P_REQUESTS] | 0);
}

/**
 * Trials firstTrial .. firstTrial+count-1: count × trialWords(params) f64, trial-major.
 * `params` must be valid (checked by the model before it gets here).
 */
export function runAttestationReference(params: Float64Array, seed: number, firstTrial: number, count: number): Float64Array {
  P = params;
  const words = trialWords(params);
  out = new Float64Array(count * words);
  const tds = params[P_TDS] | 0;
  const nTx = tds * (params[P_REQUESTS] | 0) * (params[P_ATTEMPTS] | 0);
  ensure(tds * (params[P_CONC] | 0), tds, nTx, params[P_THREADS] | 0);
  const seedLo = seed % 4294967296;
  const seedHi = Math.floor(seed / 4294967296);
  for (let i = 0; i < count; i++) runTrial(seedLo, seedHi, firstTrial + i, i * words);
  return out;
}

/** One trial with the QGS queue length recorded at every change (reports draw trial 0). */
export function traceQueueReference(params: Float64Array, seed: number, trial: number): { times: number[]; lengths: number[] } {
  traceOn = true;
  traceT = [];
  traceN = [];
  try {
    runAttestationReference(params, seed, trial, 1);
    return { times: traceT, lengths: traceN };
  } finally {
    traceOn = false;
  }
}
