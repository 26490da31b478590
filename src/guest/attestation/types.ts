// The contract between the attestation model (guest-attest) and its callers (src/workers/guestRun.ts,
// reports). Change it only with a dated note here.
//
// 2026-12-06 (guest-attest): first version, as agreed in the guest interface brief, plus three
// OPTIONAL inputs the model needs and the TD document already has: `hz` (kernel.hz: the
// driver's msleep is counted in jiffies and rounded by the timer wheel), `vcpus` (every
// private→shared page conversion kicks every vCPU; only the 'per-request' buffer what-if uses
// it) and `clientAttempts` (libtdx_attest reads outblob up to 3 times on EBUSY/ETIMEDOUT). Omitted = the defaults below.
// Later the same day: optional `rereads` (cached outblob re-reads by generation, configfs).
// Results gained one OPTIONAL field, `events`, counting what happened inside (loop run-outs,
// spurious -ETIMEDOUT, QEMU RETRY, QGS timeouts, cold starts).
// 2026-12-06 (issue 14): AttestationRunOptions.workers became OPTIONAL: absent, the runner
// chooses the count from the estimated work (results are the same for any count).

import type { CostParameter } from '../../model/costs.js';

export type { CostParameter };

export type AttestationPath = 'configfs' | 'vsock';
export type QgsState = 'ok' | 'absent' | 'silent';
export type BufferStrategy = 'preallocate' | 'per-request' | 'swiotlb';

export interface AttestationConfig {
  path: AttestationPath;
  /** Driver poll period (ms), default 1000 (tdx-guest.c msleep_interruptible(MSEC_PER_SEC)). */
  pollMs: number;
  qgs: QgsState;
  /** QGS worker threads, default 4 (qgsd logs: num_thread = 4). */
  qgsThreads: number;
  /** Quote requests per TD (per trial). */
  requests: number;
  /** Concurrent requesters inside one TD. */
  concurrency: number;
  /** TDs sharing the host's quote service, default 1. */
  tds: number;
  /** e.g. "6.8" .. "7.0": selects driver rules (buffer size, payload status check). */
  kernelVersion: string;
  /** What-if; upstream = 'preallocate'. */
  bufferStrategy: BufferStrategy;
  /** Kernel tick rate (CONFIG_HZ), default 1000. */
  hz?: number;
  /** vCPUs of the TD, default 1; used only by the 'per-request' conversion cost. */
  vcpus?: number;
  /** Client reads of outblob per request, default 3 (libtdx_attest: retried on EBUSY after 10 s, on ETIMEDOUT/EINTR at once). */
  clientAttempts?: number;
  /** Cached re-reads of outblob after each quote (configfs; served from cache by generation, under the lock), default 0. */
  rereads?: number;
}

/** Seconds. */
export interface LatencyStats { mean: number; p50: number; p95: number; p99: number; max: number }

export interface AttestationEvents {
  /** Driver loops that ran out of polls with the quote still in flight (counter ended at 31, returned 0). */
  loopRunOuts: number;
  /** Quotes that completed during the last poll's sleep and were reported -ETIMEDOUT anyway. */
  spuriousTimeouts: number;
  /** GetQuote TDVMCALLs QEMU refused with TDG_VP_VMCALL_RETRY (in-flight cap). */
  qemuRetries: number;
  /** QGS connections closed by its 30 s timer before the quote was written. */
  qgsTimeouts: number;
  /** Requests that paid a QGS worker thread's cold start. */
  coldStarts: number;
  /** -EBUSY answers seen by clients (before their retries). */
  ebusyAttempts: number;
}

export interface AttestationResult {
  /** Over every request of every trial, whatever its outcome (a failure is time a caller waited). */
  latencySeconds: LatencyStats;
  /** Successful quotes per second of simulated time (all TDs), over all trials. */
  throughputPerSecond: number;
  /** Totals over all trials; see outcome rules in model.ts. */
  outcomes: { ok: number; ebusy: number; eio: number; timeout: number };
  /** QGS queue (requests waiting for a worker) over time, trial 0. */
  queueLength: { timesSeconds: number[]; length: number[] };
  latencyHistogram: { edgesSeconds: number[]; counts: number[] };
  /** Buffer strategy costs per trial (all TDs): pages converted, MapGPA calls, seconds of conversion work. */
  conversions: { pages: number; mapGpaCalls: number; seconds: number };
  notes: string[];
  events?: AttestationEvents;
}

export interface AttestationRunOptions {
  trials: number;
  seed: number;
  /** Threads, this one included; absent: chosen from the estimated work (src/workers/attestationRun.ts). */
  workers?: number;
}
