// The simulation context a kernel policy drives: a clock, the module model, and the records
// of what happened (timeline, SEAMCALLs, kernel log, trial program). A policy is code that
// calls into this; the context itself knows nothing of any kernel generation.

import type { Lp, Platform } from '../platform/types.js';
import type { ConstructEngine } from '../kernels/engine.js';
import type { TrialOp, TrialStep } from '../kernels/trialProgram.js';
import { TdxModule, statusName, hexStatus, FEATURES0_NO_RBP_MOD, FEATURES0_DYNAMIC_PAMT, type SeamcallArgs, type SeamcallResult } from './module/index.js';
import { errnoValue, seamcallErrno, type ErrnoName } from './errno.js';
import { leafName, LEAF } from './module/leaves.js';
import { buildMemlist } from '../reference/construct.js';
import type { NodeRange } from '../construct/types.js';
import { hex } from '../construct/hex.js';

const LEAF_LP_INIT = LEAF.SYS_LP_INIT;

export interface TimelineStep {
  step: string;
  startUs: number;
  endUs: number;
  cpus: string;
  detail: string;
}

export interface LogLine {
  tUs: number;
  text: string;
}

export interface TraceEntry {
  leaf: string;
  lp: number;
  startUs: number;
  endUs: number;
  status: string;
  calls: number;
  args: string;
}

export interface OutcomeError {
  code: string;
  errno: number;
  status: string | null;
  statusName: string | null;
  step: string;
  message: string;
}

export interface Outcome {
  initialized: boolean;
  status: string;
  error: OutcomeError | null;
}

export interface CallerRecord {
  caller: number;
  atUs: number;
  waitUs: number;
  returnedUs: number;
  result: number;
  ran: boolean;
}

// cost-model.md names the two headline spreads after the steps, not the parameters.
const SIGMA_ALIASES: Record<string, string> = { tdmrInitCallUs: 'tdmrInitSigma', lpInitUs: 'lpInitSigma' };
/** The two names a parameter's spread may be given under (built once, not per step). */
const SIGMA_NAMES = new Map<string, [string, string]>();

export class Sim {
  now = 0;
  readonly timeline: TimelineStep[] = [];
  readonly log: LogLine[] = [];
  readonly warnings: string[] = [];
  readonly counts = new Map<string, number>();
  readonly trace: TraceEntry[] | null;
  readonly trialSteps: TrialStep[] = [];
  readonly module: TdxModule;
  outcome: Outcome = { initialized: false, status: 'UNINITIALIZED', error: null };
  /** Set by the policy when it reaches TDMR construction. */
  construct: import('../construct/types.js').ConstructResult | null = null;
  /** Per-TDMR TDMR.INIT windows, for readiness: [start, end) in µs and the TDMR index. */
  readonly tdmrInitWindows: { tdmr: number; startUs: number; endUs: number; perCallUs: number; chunkBytes: number }[] = [];
  readonly callers: CallerRecord[] = [];
  /** The kernel's log prefix for this generation. */
  prefix = 'virt/tdx: ';
  private memlistCache: NodeRange[] | null = null;

  constructor(
    readonly platform: Platform,
    readonly costs: Record<string, number>,
    readonly engine: ConstructEngine,
    traceOn: boolean,
    module?: TdxModule,
  ) {
    this.trace = traceOn ? [] : null;
    this.module = module ?? new TdxModule(moduleConfigOf(platform));
  }

  /** build_tdx_memlist() of this platform, computed once: several steps and the result read it. */
  get memlist(): NodeRange[] {
    return (this.memlistCache ??= buildMemlist(this.platform.memory));
  }

  /** The CPUs online in Linux now. */
  get onlineLps(): readonly Lp[] {
    return cpuSets(this.platform.cpus.lps).online;
  }

  /** The CPUs KVM's per-CPU enabling reached: online then, whether or not they still are. */
  get enabledLps(): readonly Lp[] {
    return cpuSets(this.platform.cpus.lps).enabled;
  }

  /** The first online CPU of each package (where per-package work runs). */
  get packageLeaders(): readonly Lp[] {
    return cpuSets(this.platform.cpus.lps).packageLeaders;
  }

  /** The first online CPU of each NUMA node. */
  get nodeLeaders(): readonly Lp[] {
    return cpuSets(this.platform.cpus.lps).nodeLeaders;
  }

  cost(name: string): number {
    const v = this.costs[name];
    if (v === undefined) throw new Error(`cost parameter ${name} is not defined`);
    return v;
  }

  /** The log-normal spread of a time parameter: `<name>Sigma`, or its short alias. */
  sigma(name: string): number {
    let names = SIGMA_NAMES.get(name);
    if (!names) SIGMA_NAMES.set(name, (names = [`${name}Sigma`, SIGMA_ALIASES[name] ?? '']));
    return this.costs[names[0]] ?? this.costs[names[1]] ?? 0;
  }

  /** One SEAMCALL occupying [at, at + durUs). */
  seamcall(leaf: number, lp: number, args: SeamcallArgs, durUs: number, at = this.now): SeamcallResult {
    const r = this.module.call(leaf, lp, args, at, at + durUs);
    this.count(leaf, 1);
    if (this.trace) {
      this.trace.push({ leaf: leafName(leaf), lp, startUs: at, endUs: at + durUs, status: hexStatus(r.status), calls: 1, args: describeArgs(args) });
    }
    return r;
  }

  /**
   * TDH.SYS.LP.INIT on enabledLps[k] over [starts[k], starts[k] + durUs), in order, until one
   * fails: as many seamcall()s, recorded the same way. Returns the index of the failed call, or -1.
   */
  lpInitSeries(starts: Float64Array, durUs: number): { failedAt: number; result: SeamcallResult | null } {
    const ids = cpuSets(this.platform.cpus.lps).enabledIds;
    const r = this.module.lpInitBulk(ids, starts, durUs);
    const calls = r.succeeded + (r.failure ? 1 : 0);
    this.count(LEAF_LP_INIT, calls);
    if (this.trace) {
      const ok = hexStatus(0n);
      for (let k = 0; k < calls; k++) {
        const status = k < r.succeeded ? ok : hexStatus(r.failure!.status);
        this.trace.push({ leaf: leafName(LEAF_LP_INIT), lp: ids[k], startUs: starts[k], endUs: starts[k] + durUs, status, calls: 1, args: '' });
      }
    }
    return { failedAt: r.failure ? r.succeeded : -1, result: r.failure };
  }

  /** Record `calls` SEAMCALLs made in bulk (TDMR.INIT loops) in counts and trace. */
  bulk(leaf: number, lp: number, calls: number, startUs: number, endUs: number, status: bigint, args: string): void {
    this.count(leaf, calls);
    if (this.trace) this.trace.push({ leaf: leafName(leaf), lp, startUs, endUs, status: hexStatus(status), calls, args });
  }

  private count(leaf: number, n: number): void {
    const name = leafName(leaf);
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  span(step: string, startUs: number, endUs: number, cpus: string, detail: string, ops?: TrialOp[]): void {
    this.timeline.push({ step, startUs, endUs, cpus, detail });
    this.trialSteps.push({ name: step, ops: ops ?? [{ kind: 'fixed', us: endUs - startUs, sigma: 0 }] });
  }

  print(text: string, at = this.now): void {
    this.log.push({ tUs: at, text: this.prefix + text });
  }

  /** The lines seamcall_err()/seamcall_err_ret() print for a failed SEAMCALL. */
  printSeamcallError(leaf: number, r: SeamcallResult, withRegs: boolean, args: SeamcallArgs = {}): void {
    this.print(`SEAMCALL (${hexStatus(BigInt(leaf))}) failed: ${hexStatus(r.status)}`);
    if (withRegs) {
      this.print(`RCX ${hexStatus(args.rcx ?? 0n)} RDX ${hexStatus(r.rdx ?? args.rdx ?? 0n)} R08 ${hexStatus(r.r8 ?? args.r8 ?? 0n)}`);
      this.print(`R09 ${hexStatus(0n)} R10 ${hexStatus(0n)} R11 ${hexStatus(0n)}`);
    }
  }

  /** Fail the initialization: the kernel's error code, and the status that caused it if any. */
  fail(step: string, errno: ErrnoName, message: string, status: bigint | null = null, kernelStatus = 'ERROR'): void {
    this.outcome = {
      initialized: false,
      status: kernelStatus,
      error: {
        code: `-${errno}`,
        errno: errnoValue(errno),
        status: status === null ? null : hexStatus(status),
        statusName: status === null ? null : statusName(status),
        step,
        message,
      },
    };
  }

  /** A failed SEAMCALL: print it the kernel's way and fail with the errno it maps to. */
  failSeamcall(step: string, leaf: number, r: SeamcallResult, withRegs: boolean, args: SeamcallArgs = {}): ErrnoName {
    const errno = seamcallErrno(r.status);
    if (errno === 'EIO') this.printSeamcallError(leaf, r, withRegs, args);
    this.fail(step, errno, `${leafName(leaf)} returned ${statusName(r.status)} (${hexStatus(r.status)})`, r.status);
    return errno;
  }

  succeed(kernelStatus = 'INITIALIZED'): void {
    this.outcome = { initialized: true, status: kernelStatus, error: null };
  }
}

function describeArgs(a: SeamcallArgs): string {
  const parts: string[] = [];
  if (a.rcx !== undefined) parts.push(`rcx=${hex(a.rcx)}`);
  if (a.rdx !== undefined) parts.push(`rdx=${hex(a.rdx)}`);
  if (a.r8 !== undefined) parts.push(`r8=${hex(a.r8)}`);
  if (a.tdmrs) parts.push(`tdmrs=${a.tdmrs.length}`);
  if (a.field !== undefined) parts.push(`field=${hex(a.field)}`);
  return parts.join(' ');
}


interface CpuSets {
  online: readonly Lp[];
  enabled: readonly Lp[];
  enabledIds: readonly number[];
  /** The first online LP of each package, in LP order. */
  packageLeaders: readonly Lp[];
  /** The first online LP of each NUMA node, in LP order. */
  nodeLeaders: readonly Lp[];
}
// A sweep simulates one platform many times (and a platform's LPs do not change once it is
// validated): its CPU subsets are computed once per LP list.
const cpuSetCache = new WeakMap<readonly Lp[], CpuSets>();

function cpuSets(lps: readonly Lp[]): CpuSets {
  let c = cpuSetCache.get(lps);
  if (!c) {
    const enabled = lps.filter((l) => l.online || l.offlinedAfterLpInit);
    const online = lps.filter((l) => l.online);
    const firstOf = (key: (l: Lp) => number): Lp[] => {
      const seen = new Set<number>();
      return online.filter((l) => !seen.has(key(l)) && !!seen.add(key(l)));
    };
    c = { online, enabled, enabledIds: enabled.map((l) => l.id), packageLeaders: firstOf((l) => l.package), nodeLeaders: firstOf((l) => l.node) };
    cpuSetCache.set(lps, c);
  }
  return c;
}

// A sweep simulates one platform many times: its LP list becomes MCHECK's table once.
const moduleLps = new WeakMap<readonly Lp[], { id: number; package: number }[]>();

const cmrLists = new WeakMap<Platform['cmrs'], readonly { start: bigint; end: bigint }[]>();

/** The CMR list as MCHECK reports it, frozen so that CONFIG verdicts on it can be remembered. */
function moduleCmrs(p: Platform): readonly { start: bigint; end: bigint }[] {
  let c = cmrLists.get(p.cmrs);
  if (!c) {
    c = Object.freeze(p.cmrs.map((r) => Object.freeze({ start: BigInt(r.start), end: BigInt(r.end) })));
    cmrLists.set(p.cmrs, c);
  }
  return c;
}

// A platform is immutable once validated: its module configuration is built once.
const moduleConfigs = new WeakMap<Platform, Readonly<ReturnType<typeof buildModuleConfig>>>();

/** What MCHECK and the loaded module tell the module model about this platform. */
export function moduleConfigOf(p: Platform): Readonly<ReturnType<typeof buildModuleConfig>> {
  let cfg = moduleConfigs.get(p);
  // Frozen, so that what the module derives from it may be remembered by identity.
  if (!cfg) {
    cfg = buildModuleConfig(p);
    for (const part of [cfg.pamtEntrySize, cfg.keyids]) Object.freeze(part);
    moduleConfigs.set(p, (cfg = Object.freeze(cfg)));
  }
  return cfg;
}

function buildModuleConfig(p: Platform) {
  let lps = moduleLps.get(p.cpus.lps);
  if (!lps) {
    // Frozen (entries too), so that the module may remember what it derives from the list.
    lps = Object.freeze(p.cpus.lps.map((l) => Object.freeze({ id: l.id, package: l.package }))) as { id: number; package: number }[];
    moduleLps.set(p.cpus.lps, lps);
  }
  let features0 = 0n;
  if (p.module.features.noRbpMod) features0 |= FEATURES0_NO_RBP_MOD;
  if (p.module.features.dynamicPamt) features0 |= FEATURES0_DYNAMIC_PAMT;
  return {
    loaded: p.module.loaded,
    version: p.module.version,
    maxTdmrs: p.module.maxTdmrs,
    maxReservedPerTdmr: p.module.maxReservedPerTdmr,
    pamtEntrySize: [p.module.pamtEntrySize4k, p.module.pamtEntrySize2m, p.module.pamtEntrySize1g] as [number, number, number],
    features0,
    lps,
    cmrs: moduleCmrs(p),
    keyids: { mktme: p.keyids.mktme, tdx: p.keyids.tdx },
  };
}

