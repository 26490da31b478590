// The contract of the attestation kernel (assembly/attestation.ts) and its TypeScript oracle
// (oracle.ts): both read PARAMS as f64 words at these indexes and write, per trial, STATS_WORDS
// statistics followed by one latency per request; both run on the event, state and result codes
// and the constants below, bit for bit. AssemblyScript compiles this same file (as it does
// src/kernels/constructAbi.ts), so the two sides cannot drift: plain numeric constants only.

export const P_PATH = 0; // 0 configfs (driver), 1 vsock (bypasses the driver)
export const P_QGS = 1; // 0 ok, 1 absent, 2 silent
export const P_THREADS = 2;
export const P_REQUESTS = 3; // per TD
export const P_CONC = 4; // requesters per TD
export const P_TDS = 5;
export const P_STRATEGY = 6; // 0 preallocate (per-TD lock and buffer), 1 per-request, 2 swiotlb (parallel)
export const P_POLL_JIFFIES = 7; // msecs_to_jiffies(pollMs) + 1
export const P_POLL_GRAN = 8; // timer-wheel granularity (jiffies) of that delay
export const P_TICK_S = 9; // 1 / HZ
export const P_POLL_LIMIT = 10;
export const P_ATTEMPTS = 11;
export const P_RETRY_WAIT_S = 12;
export const P_TSM_S = 13;
export const P_REPORT_S = 14;
export const P_EXIT_S = 15;
export const P_HOP_S = 16;
export const P_SVC_S = 17;
export const P_SVC_SPREAD = 18;
export const P_COLD_S = 19;
export const P_VMM_TIMEOUT_S = 20;
export const P_QGS_TIMEOUT_S = 21;
export const P_QEMU_CAP = 22;
export const P_VSOCK_HOP_S = 23;
export const P_CONV_IN_S = 24; // per request, before the TDVMCALL (private→shared, or bounce in)
export const P_CONV_OUT_S = 25; // per successful request, after it (shared→private + accept, or bounce out)
export const P_WAKE_S = 26;
export const P_REREADS = 27; // cached outblob re-reads after each quote (configfs)
export const PARAM_WORDS = 28;

export const S_OK = 0;
export const S_EBUSY = 1;
export const S_EIO = 2;
export const S_TIMEOUT = 3;
export const S_MAKESPAN = 4;
export const S_RUN_OUTS = 5;
export const S_SPURIOUS = 6;
export const S_QEMU_RETRIES = 7;
export const S_QGS_TIMEOUTS = 8;
export const S_COLD_STARTS = 9;
export const S_EBUSY_ATTEMPTS = 10;
export const S_CONVERSIONS = 11;
export const STATS_WORDS = 12;

// Event kinds, request states and read results of the discrete-event model.
export const EV_ATTEMPT = 0;
export const EV_PROCEED = 1;
export const EV_VMCALL = 2;
export const EV_DONE = 3;
export const EV_POLL = 4;

export const ST_FLIGHT = 0;
export const ST_OK = 1;
export const ST_ERR = 2;

export const R_OK = 0;
export const R_EBUSY = 1;
export const R_EIO = 2;
export const R_ETIMEDOUT = 3;

// FIFO channels: arrivals, replies and timers come due in the order they were scheduled.
export const CH_ARRIVE = 0;
export const CH_REPLY = 1;
export const CH_TIMER = 2;
export const CHANNELS = 3;

/** Boot phase of each TD's jiffies counter, in ticks: uniform on [0, 4096), so both the tick fraction and the wheel slot are random. */
export const PHASE_TICKS = 4096.0;
export const SQRT3 = 1.7320508075688772;
export const TWO_M53 = 1.1102230246251565e-16;
