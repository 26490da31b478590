// From an AttestationConfig and cost values to the kernel's flat parameters, and from the
// kernel's per-trial words to an AttestationResult. Validation lives here (the kernel trusts
// its input), so a bad field is one line naming it, never a trap.

import { invalidField } from '../../platform/errors.js';
import { distribution } from '../../util/orderStats.js';
import type { AttestationConfig, AttestationResult, AttestationEvents, LatencyStats } from './types.js';
import { attestationCostDefaults } from './costs.js';
import * as L from './kernelAbi.js';

export const ATTESTATION_DEFAULTS = {
  pollMs: 1000,
  qgsThreads: 4,
  tds: 1,
  hz: 1000,
  vcpus: 1,
  clientAttempts: 3,
  rereads: 0,
  bufferStrategy: 'preallocate',
} as const;

/** Requests simulated per trial (all TDs) above which a run is refused: memory stays bounded. */
export const REQUESTS_PER_TRIAL_MAX = 1_000_000;
/** GetQuote attempts a trial can make (requests × client attempts): the kernel keeps 20 bytes of event FIFOs per attempt. */
export const ATTEMPTS_PER_TRIAL_MAX = 3_000_000;
const SZ_4K = 4096;
const SZ_2M = 2 * 1024 * 1024;

export interface KernelRules {
  major: number;
  minor: number;
  /** GET_QUOTE_BUF_SIZE: SZ_8K in 6.7–6.19, SZ_128K from 7.0 (commit 43185067c6fd). */
  quoteBufBytes: number;
  /** Since 2024 (≈6.10) the driver checks the payload status ("Handle GetQuote request error code"). */
  payloadStatusCheck: boolean;
}

/** "6.8", "6.10.3", "7.0-rc1" → the driver rules of that version. */
export function kernelRules(version: string): KernelRules {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) throw invalidField('attestation: kernelVersion', `expected "MAJOR.MINOR" (e.g. "6.8"), got "${version}"`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const at = (a: number, b: number): boolean => major > a || (major === a && minor >= b);
  return { major, minor, quoteBufBytes: at(7, 0) ? 128 * 1024 : 8 * 1024, payloadStatusCheck: at(6, 10) };
}

function intIn(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw invalidField(`attestation.${field}`, `must be an integer in [${lo}, ${hi}]`);
  }
  return v;
}

function oneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalidField(`attestation.${field}`, `must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export interface ResolvedConfig extends Required<AttestationConfig> { rules: KernelRules }

export function resolveConfig(cfg: AttestationConfig): ResolvedConfig {
  const path = oneOf('path', cfg.path, ['configfs', 'vsock'] as const);
  const qgs = oneOf('qgs', cfg.qgs, ['ok', 'absent', 'silent'] as const);
  const bufferStrategy = oneOf('bufferStrategy', cfg.bufferStrategy, ['preallocate', 'per-request', 'swiotlb'] as const);
  const pollMs = intIn('pollMs', cfg.pollMs, 1, 60_000);
  const qgsThreads = intIn('qgsThreads', cfg.qgsThreads, 1, 255); // QGS number_threads is a uint8_t
  const requests = intIn('requests', cfg.requests, 1, REQUESTS_PER_TRIAL_MAX);
  const concurrency = intIn('concurrency', cfg.concurrency, 1, 100_000);
  const tds = intIn('tds', cfg.tds, 1, 100_000);
  const hz = intIn('hz', cfg.hz ?? ATTESTATION_DEFAULTS.hz, 100, 1000);
  const vcpus = intIn('vcpus', cfg.vcpus ?? ATTESTATION_DEFAULTS.vcpus, 1, 4096);
  const clientAttempts = intIn('clientAttempts', cfg.clientAttempts ?? ATTESTATION_DEFAULTS.clientAttempts, 1, 100);
  const rereads = intIn('rereads', cfg.rereads ?? ATTESTATION_DEFAULTS.rereads, 0, 100);
  if (tds * requests > REQUESTS_PER_TRIAL_MAX) {
    throw invalidField('attestation.requests', `tds × requests must be at most ${REQUESTS_PER_TRIAL_MAX} per trial, got ${tds * requests}`);
  }
  if (tds * requests * clientAttempts > ATTEMPTS_PER_TRIAL_MAX) {
    throw invalidField('attestation.clientAttempts', `tds × requests × clientAttempts must be at most ${ATTEMPTS_PER_TRIAL_MAX} per trial, got ${tds * requests * clientAttempts}`);
  }
  if (typeof cfg.kernelVersion !== 'string') throw invalidField('attestation.kernelVersion', 'must be a string like "6.8"');
  const rules = kernelRules(cfg.kernelVersion);
  if (path === 'configfs' && !(rules.major > 6 || (rules.major === 6 && rules.minor >= 7))) {
    throw invalidField('attestation.path', `configfs-tsm quotes need kernel 6.7 or later (f4738f56d1dc), kernel.version is ${cfg.kernelVersion}`);
  }
  return { path, qgs, bufferStrategy, pollMs, qgsThreads, requests, concurrency, tds, hz, vcpus, clientAttempts, rereads, kernelVersion: cfg.kernelVersion, rules };
}

/** Timer-wheel granularity (jiffies) for a delay of `delta` jiffies: 8^level, levels start at 63·8^(n−1) (kernel/time/timer.c LVL_START). */
export function wheelGranularity(delta: number): number {
  let gran = 1;
  let start = 63;
  while (delta >= start) {
    gran *= 8;
    start *= 8;
  }
  return gran;
}

/** msleep_interruptible(ms): msecs_to_jiffies(ms) + 1 jiffies (kernel/time/timer.c). */
export function msleepJiffies(ms: number, hz: number): number {
  return Math.ceil((ms * hz) / 1000) + 1;
}

function cost(costs: Record<string, number>, name: string): number {
  const v = costs[name] ?? attestationCostDefaults()[name];
  if (v === undefined || !Number.isFinite(v) || v < 0) throw invalidField(`costs.${name}`, 'must be a finite number ≥ 0');
  return v;
}

/** Conversion work of one request's buffer under a strategy (what-if), from the cost table. */
export interface ConversionPlan {
  /** Pages and MapGPA calls per conversion event (a request, or the one at driver init). */
  pagesPerEvent: number;
  mapGpaCallsPerEvent: number;
  /** Seconds added before the GetQuote TDVMCALL and after a successful return. */
  inSeconds: number;
  outSeconds: number;
  /** One-time work at driver init (preallocate). */
  initSeconds: number;
}

export function conversionPlan(c: ResolvedConfig, costs: Record<string, number>): ConversionPlan {
  const bytes = c.rules.quoteBufBytes;
  const pages = bytes / SZ_4K;
  const calls = Math.ceil(bytes / SZ_2M); // KVM splits MapGPA into 2 MiB chunks (TDX_MAP_GPA_MAX_LEN)
  const us = 1e-6;
  // private→shared: guest flush, MapGPA, and per 4K page on the host BLOCK+TRACK(kick every vCPU)+REMOVE+WBINVD.
  const toShared = (cost(costs, 'attGuestFlushUs') + calls * cost(costs, 'attMapGpaCallUs')
    + pages * (cost(costs, 'attHostRemovePageUs') + c.vcpus * cost(costs, 'attKickPerVcpuUs'))) * us;
  // shared→private: MapGPA, then the guest accepts every page (EPT-violation exit + AUG each).
  const toPrivate = (calls * cost(costs, 'attMapGpaCallUs') + pages * cost(costs, 'attAcceptPageUs')) * us;
  const bounce = bytes / (cost(costs, 'attBounceGBps') * 1e9);
  switch (c.bufferStrategy) {
    case 'preallocate':
      return { pagesPerEvent: pages, mapGpaCallsPerEvent: calls, inSeconds: 0, outSeconds: 0, initSeconds: toShared };
    case 'per-request':
      return { pagesPerEvent: 2 * pages, mapGpaCallsPerEvent: 2 * calls, inSeconds: toShared, outSeconds: toPrivate, initSeconds: 0 };
    default:
      return { pagesPerEvent: 0, mapGpaCallsPerEvent: 0, inSeconds: bounce, outSeconds: bounce, initSeconds: 0 };
  }
}

/**
 * Conversion work per trial (all TDs). Upstream converts once per TD at driver init; 'per-request'
 * converts private→shared before every GetQuote that reaches QEMU and back (MapGPA + accept)
 * after every successful one (a failed request leaves its buffer with the VMM); 'swiotlb' uses
 * memory shared at boot (the boot model counts that pool).
 */
export function conversionTotals(c: ResolvedConfig, costs: Record<string, number>, toSharedPerTrial: number, okPerTrial: number): { pages: number; mapGpaCalls: number; seconds: number } {
  const plan = conversionPlan(c, costs);
  if (c.bufferStrategy === 'preallocate') {
    return { pages: plan.pagesPerEvent * c.tds, mapGpaCalls: plan.mapGpaCallsPerEvent * c.tds, seconds: plan.initSeconds * c.tds };
  }
  if (c.bufferStrategy === 'swiotlb') return { pages: 0, mapGpaCalls: 0, seconds: 0 };
  const events = toSharedPerTrial + okPerTrial;
  return {
    pages: (plan.pagesPerEvent / 2) * events,
    mapGpaCalls: (plan.mapGpaCallsPerEvent / 2) * events,
    seconds: plan.inSeconds * toSharedPerTrial + plan.outSeconds * okPerTrial,
  };
}

/** The kernel's parameter words. */
export function buildParams(c: ResolvedConfig, costs: Record<string, number>): Float64Array {
  const P = new Float64Array(L.PARAM_WORDS);
  const jiffies = msleepJiffies(c.pollMs, c.hz);
  const plan = conversionPlan(c, costs);
  const us = 1e-6;
  const ms = 1e-3;
  P[L.P_PATH] = c.path === 'vsock' ? 1 : 0;
  P[L.P_QGS] = c.qgs === 'ok' ? 0 : c.qgs === 'absent' ? 1 : 2;
  P[L.P_THREADS] = c.qgsThreads;
  P[L.P_REQUESTS] = c.requests;
  // Requesters beyond `requests` would have nothing to do; the kernel packs requester ids in 28 bits.
  P[L.P_CONC] = Math.min(c.concurrency, c.requests);
  P[L.P_TDS] = c.tds;
  P[L.P_STRATEGY] = c.bufferStrategy === 'preallocate' ? 0 : c.bufferStrategy === 'per-request' ? 1 : 2;
  P[L.P_POLL_JIFFIES] = jiffies;
  P[L.P_POLL_GRAN] = wheelGranularity(jiffies);
  P[L.P_TICK_S] = 1 / c.hz;
  P[L.P_POLL_LIMIT] = intCost(costs, 'attPollLimit');
  P[L.P_ATTEMPTS] = c.clientAttempts;
  P[L.P_RETRY_WAIT_S] = cost(costs, 'attClientRetryWaitS');
  P[L.P_TSM_S] = cost(costs, 'attTsmOverheadUs') * us;
  P[L.P_REPORT_S] = cost(costs, 'attTdReportUs') * us;
  P[L.P_EXIT_S] = cost(costs, 'attGetQuoteExitUs') * us;
  P[L.P_HOP_S] = cost(costs, 'attQgsHopUs') * us;
  P[L.P_SVC_S] = cost(costs, 'attQgsServiceMs') * ms;
  P[L.P_SVC_SPREAD] = cost(costs, 'attQgsServiceSpread');
  P[L.P_COLD_S] = cost(costs, 'attQgsColdStartMs') * ms;
  P[L.P_VMM_TIMEOUT_S] = cost(costs, 'attVmmTimeoutS');
  P[L.P_QGS_TIMEOUT_S] = cost(costs, 'attQgsTimeoutS');
  P[L.P_QEMU_CAP] = intCost(costs, 'attQemuMaxInFlight');
  P[L.P_VSOCK_HOP_S] = cost(costs, 'attVsockHopUs') * us;
  P[L.P_CONV_IN_S] = plan.inSeconds;
  P[L.P_CONV_OUT_S] = plan.outSeconds;
  P[L.P_WAKE_S] = cost(costs, 'attWakeLatencyUs') * us;
  // The vsock client keeps its quote; re-reading outblob is a configfs matter.
  P[L.P_REREADS] = c.path === 'vsock' ? 0 : c.rereads;
  return P;
}

function intCost(costs: Record<string, number>, name: string): number {
  const v = cost(costs, name);
  if (!Number.isInteger(v) || v < 1 || v > 1_000_000) throw invalidField(`costs.${name}`, 'must be an integer in [1, 1000000]');
  return v;
}

// ---------------------------------------------------------------------------------------------
// Summary

/** Mean (summed in trial order), the percentiles, min and max; reorders `values` (util/orderStats.ts). */
export function latencyStats(values: Float64Array): LatencyStats & { min: number } {
  const { mean, p50, p95, p99, max, min } = distribution(values);
  return { mean, p50, p95, p99, max, min }; // LatencyStats' key order, as the reports print it
}

const HISTOGRAM_BINS = 40;

function histogram(values: Float64Array, lo: number, hi: number): { edgesSeconds: number[]; counts: number[] } {
  const width = hi > lo ? (hi - lo) / HISTOGRAM_BINS : 1e-9;
  const edgesSeconds = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (let i = 0; i < values.length; i++) {
    counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((values[i] - lo) / width))]++;
  }
  return { edgesSeconds, counts };
}

/** Queue trace cut to at most `max` points (every k-th change, plus the last), so reports stay small. */
export function thinTrace(times: number[], lengths: number[], max = 2000): { timesSeconds: number[]; length: number[] } {
  if (times.length <= max) return { timesSeconds: times, length: lengths };
  const step = Math.ceil(times.length / max);
  const t: number[] = [];
  const n: number[] = [];
  for (let i = 0; i < times.length; i += step) { t.push(times[i]); n.push(lengths[i]); }
  t.push(times[times.length - 1]);
  n.push(lengths[lengths.length - 1]);
  return { timesSeconds: t, length: n };
}

/** Trial-major kernel words of `trials` trials → the contract's result. */
export function summarizeAttestation(
  c: ResolvedConfig, costs: Record<string, number>, values: Float64Array, trials: number,
  queue: { timesSeconds: number[]; length: number[] },
): AttestationResult {
  const nReq = c.tds * c.requests;
  const words = L.STATS_WORDS + nReq;
  const lat = new Float64Array(trials * nReq);
  const sums = new Float64Array(L.STATS_WORDS);
  for (let t = 0; t < trials; t++) {
    const base = t * words;
    for (let s = 0; s < L.STATS_WORDS; s++) sums[s] += values[base + s];
    lat.set(values.subarray(base + L.STATS_WORDS, base + words), t * nReq);
  }
  const events: AttestationEvents = {
    loopRunOuts: sums[L.S_RUN_OUTS], spuriousTimeouts: sums[L.S_SPURIOUS], qemuRetries: sums[L.S_QEMU_RETRIES],
    qgsTimeouts: sums[L.S_QGS_TIMEOUTS], coldStarts: sums[L.S_COLD_STARTS], ebusyAttempts: sums[L.S_EBUSY_ATTEMPTS],
  };
  const conversions = conversionTotals(c, costs, sums[L.S_CONVERSIONS] / trials, sums[L.S_OK] / trials);
  const { min, ...latencySeconds } = latencyStats(lat);
  const result: AttestationResult = {
    latencySeconds,
    throughputPerSecond: sums[L.S_MAKESPAN] > 0 ? sums[L.S_OK] / sums[L.S_MAKESPAN] : 0,
    outcomes: { ok: sums[L.S_OK], ebusy: sums[L.S_EBUSY], eio: sums[L.S_EIO], timeout: sums[L.S_TIMEOUT] },
    queueLength: queue,
    latencyHistogram: histogram(lat, min, latencySeconds.max),
    conversions,
    notes: notesFor(c, events, trials),
    events,
  };
  return result;
}

function notesFor(c: ResolvedConfig, e: AttestationEvents, trials: number): string[] {
  const notes: string[] = [];
  const jiffies = msleepJiffies(c.pollMs, c.hz);
  const gran = wheelGranularity(jiffies);
  if (c.path === 'configfs') {
    notes.push(`driver poll: msleep_interruptible(${c.pollMs}) = ${jiffies} jiffies at HZ=${c.hz}; the timer wheel rounds it up by up to ${gran} jiffies, so each poll sleeps ${((jiffies / c.hz) * 1000).toFixed(1)}–${(((jiffies + gran) / c.hz) * 1000).toFixed(1)} ms`);
    if (e.loopRunOuts > 0) {
      notes.push(`${e.loopRunOuts} driver loop(s) ran out of polls with the quote still in flight: the counter ended at 31, wait_for_quote_completion() returned 0, and the status check failed the request (${c.rules.payloadStatusCheck ? '-EIO' : 'an empty outblob before 6.10'}); the VMM kept the buffer, so later requests saw -EBUSY until it finished`);
    }
    if (e.spuriousTimeouts > 0) notes.push(`${e.spuriousTimeouts} quote(s) completed during the last poll's sleep and were reported -ETIMEDOUT anyway (counter = 30)`);
    if (e.qgsTimeouts > 0 && c.qgs !== 'absent') {
      notes.push("QEMU's 30 s transaction timer wrote GET_QUOTE_ERROR for quotes the service did not deliver; with 1 s polls it fires during the 30th sleep, so the driver reports -ETIMEDOUT (counter = 30) and libtdx_attest re-reads at once");
    }
    if (e.qemuRetries > 0) notes.push(`${e.qemuRetries} GetQuote call(s) hit QEMU's in-flight cap and got TDG_VP_VMCALL_RETRY, which the driver returns as -EIO`);
  } else {
    notes.push('vsock path: the client sends its TDREPORT to QGS itself; no configfs lock, no GetQuote TDVMCALL, no polling; buffer strategy does not apply');
  }
  if (e.qgsTimeouts > 0) notes.push(`${e.qgsTimeouts} request(s) ended by a 30 s transaction timer (${c.path === 'configfs' ? "QEMU's, status GET_QUOTE_ERROR" : "QGS's, connection closed"})`);
  if (c.qgs === 'absent') notes.push(c.path === 'configfs' ? 'no quote service configured: QEMU answers GET_QUOTE_QGS_UNAVAILABLE at once' : 'no quote service listening: the vsock connect fails at once');
  if (e.ebusyAttempts > 0) notes.push(`${e.ebusyAttempts} outblob read(s) answered -EBUSY; libtdx_attest slept 10 s after each`);
  if (e.coldStarts > 0) notes.push(`${e.coldStarts / trials} QGS worker cold start(s) per trial (attQgsColdStartMs, assumed)`);
  notes.push('timings of the QGS service, TD exits and conversions are labelled parameters; most are assumed (see parameters)');
  return notes;
}
