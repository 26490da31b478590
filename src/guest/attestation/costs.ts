// Cost parameters of the attestation model, in the shape of the host's COST_PARAMETERS
// (src/model/costs.ts): default, unit, provenance label and source. Rules that are constants of
// the code (poll limit, timeouts, caps, client retries) are labelled 'source'; timings nobody
// has published are 'assumed', and every conclusion that rests on them says so.

import type { CostParameter } from '../../model/costs.js';

const positive = { value: 0, exclusive: true };
const nonNegative = { value: 0, exclusive: false };

export const ATTESTATION_COST_PARAMETERS: readonly CostParameter[] = [
  {
    name: 'attTsmOverheadUs', default: 30, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'configfs-tsm write of inblob + read of outblob + tsm_rwsem/quote_lock hand-off; no public number',
  },
  {
    name: 'attTdReportUs', default: 100, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'TDG.MR.REPORT (1024-byte TDREPORT); no public number, bounded by the 3–4 ms vsock end-to-end figure',
  },
  {
    name: 'attGetQuoteExitUs', default: 50, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'TDVMCALL<GetQuote> → KVM_EXIT_TDX → QEMU → socket write and back into the TD; no public TD-exit latency',
  },
  {
    name: 'attQgsHopUs', default: 100, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'QEMU ↔ QGS over its Unix socket or vsock, one way; no public number',
  },
  {
    name: 'attVsockHopUs', default: 250, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'guest ↔ host QGS over vsock, one way (connect + send); no public number',
  },
  {
    name: 'attQgsServiceMs', default: 3, unit: 'ms', label: 'derived', range: { min: 0.001, max: 1e5 }, min: positive,
    source: 'warm QGS quote (TDQE sign + serialization): attestation-rs PR #30 measured 3–4 ms end to end over vsock; minus report and vsock hops ≈ 3 ms; tinfoil cvmimage PR #340 bounds it below ~11 ms',
  },
  {
    name: 'attQgsServiceSpread', default: 0.15, unit: 'ratio', label: 'assumed', range: { min: 0, max: 3 }, min: nonNegative,
    source: 'relative standard deviation of the warm service time (bounded Irwin–Hall spread); no public distribution',
  },
  {
    name: 'attQgsColdStartMs', default: 500, unit: 'ms', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'first request on each QGS worker thread: tee_att_create_context + TDQE load (DCAP qgs_server.cpp thread_specific_ptr); no public number ("intentionally colder", tinfoil)',
  },
  {
    name: 'attWakeLatencyUs', default: 20, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'from timer expiry to the sleeping driver thread running again; no public TD number',
  },
  {
    name: 'attPollLimit', default: 30, unit: 'polls', label: 'source', range: { min: 1, max: 1e6 }, min: positive, integerMultipleOf: 1,
    source: 'drivers/virt/coco/tdx-guest/tdx-guest.c getquote_timeout = 30 (wait_for_quote_completion)',
  },
  {
    name: 'attVmmTimeoutS', default: 30, unit: 's', label: 'source', range: { min: 0.001, max: 86400 }, min: positive,
    source: 'QEMU TDX quote generator: 30 s transaction timer, then GET_QUOTE_ERROR ("i386/tdx: setup a timer for the qio channel", Chenyi Qiang)',
  },
  {
    name: 'attQgsTimeoutS', default: 30, unit: 's', label: 'source', range: { min: 0.001, max: 86400 }, min: positive,
    source: 'DCAP qgs_server.cpp QGS_TIMEOUT = 30 (per-connection deadline timer; the worker still runs a queued job)',
  },
  {
    name: 'attQemuMaxInFlight', default: 16, unit: 'requests', label: 'source', range: { min: 1, max: 65536 }, min: positive, integerMultipleOf: 1,
    source: 'QEMU tdx-quote-generator.h TDX_MAX_GET_QUOTE_REQUEST = 16 per TD, else TDG_VP_VMCALL_RETRY',
  },
  {
    name: 'attClientRetryWaitS', default: 10, unit: 's', label: 'source', range: { min: 0, max: 86400 }, min: nonNegative,
    source: 'DCAP tdx_attest.c RETRY_WAIT_TIME_USEC = 10,000,000 (sleep after every EBUSY read of outblob)',
  },
  {
    name: 'attMapGpaCallUs', default: 20, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'one MapGPA TDVMCALL, ≤ 2 MiB (KVM TDX_MAP_GPA_MAX_LEN): exit to userspace + KVM_SET_MEMORY_ATTRIBUTES; no public number',
  },
  {
    name: 'attHostRemovePageUs', default: 5, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e5 }, min: nonNegative,
    source: 'host work per private 4K page made shared: TDH.MEM.RANGE.BLOCK + TDH.MEM.TRACK + TDH.MEM.PAGE.REMOVE + TDH.PHYMEM.PAGE.WBINVD (KVM tdx_sept_remove_private_spte); no public number',
  },
  {
    name: 'attKickPerVcpuUs', default: 1, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e5 }, min: nonNegative,
    source: 'tdx_track() kicks every vCPU out of the TD (kvm_make_all_cpus_request) per removed page; cost per vCPU, no public number',
  },
  {
    name: 'attAcceptPageUs', default: 8, unit: 'µs', label: 'measured', range: { min: 0, max: 1e5 }, min: nonNegative,
    source: 'accept fault per 4K page (TDG.MEM.PAGE.ACCEPT + EPT-violation exit + AUG), normal case: Dstack-TEE/dstack PR #1220',
  },
  {
    name: 'attGuestFlushUs', default: 10, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e6 }, min: nonNegative,
    source: 'guest cache + TLB flush on private→shared (set_memory_decrypted); no public number',
  },
  {
    name: 'attBounceGBps', default: 5, unit: 'GB/s', label: 'assumed', range: { min: 0.01, max: 1e5 }, min: positive,
    source: 'SWIOTLB bounce copy of the quote buffer (memcpy); no public TD number',
  },
];

/** name → default value. */
export function attestationCostDefaults(): Record<string, number> {
  return Object.fromEntries(ATTESTATION_COST_PARAMETERS.map((p) => [p.name, p.default]));
}
