// The simulation context a kernel policy drives: a clock, the module model, and the records
// of what happened (timeline, SEAMCALLs, kernel log, trial program). A policy is code that
// calls into this; the context itself knows nothing of any kernel generation.

import type { Lp, Platform } from '../platform/types.js';
import type { ConstructEngine } from '../kernels/engine.js';
import type { TrialOp, TrialStep } from '../kernels/trialProgram.js';
import { TdxModule, statusName, hexStatus, type SeamcallArgs, type SeamcallResult } from './module/index.js';
import { errnoValue, seamcallErrno, type ErrnoName } from './errno.js';
import { leafName, LEAF } from './module/leaves.js';
import type { NodeRange } from '../construct/types.js';
import type { ConstructTableResult } from '../construct/tdmrTable.js';
import { hex } from '../construct/hex.js';
import type { PreparedPlatform } from './prepared.js';
import type { InitWindows } from '../kernels/readiness.js';
import { Clock, type TimeOp } from './clock.js';
import type { Outcome } from './outcome.js';
import type { SeamcallPort } from './replay.js';
import { assertCostsDefined, spreadOf } from './costs.js';

const LEAF_LP_INIT = LEAF.SYS_LP_INIT;

/** What a timeline step says beside its times: made only when the run records text. */
export interface SpanText {
  cpus: string;
  detail: string;
  /** How the step's time varies from trial to trial (default: fixed, no spread). */
  ops?: TrialOp[];
}

/**
 * How much a run records. 'report': everything a report prints (timeline text, kernel log,
 * the trial program). 'summary': what a sweep row reads (outcome, step times, counts), no text.
 */
export type Recording = 'report' | 'summary';

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

export type { Outcome, OutcomeError } from './outcome.js';

export interface CallerRecord {
  caller: number;
  atUs: number;
  waitUs: number;
  returnedUs: number;
  result: number;
  ran: boolean;
}

export class Sim {
  /**
   * The run's clock: every step changes time through a time op on it (clock.ts), so that a
   * run's times can be computed again under other costs without simulating.
   */
  readonly clock: Clock;
  readonly log: LogLine[] = [];
  /** SEAMCALLs made, by leaf number (names are made for output only). */
  readonly counts = new Map<number, number>();
  readonly trace: TraceEntry[] | null;
  readonly trialSteps: TrialStep[] = [];
  /** The module the policy talks to: a live TdxModule, or a replay of one (replay.ts). */
  readonly module: SeamcallPort;
  /** Whether text (timeline details, log lines) and the trial program are recorded. */
  readonly recordsText: boolean;
  outcome: Outcome = { initialized: false, status: 'UNINITIALIZED', error: null };
  /** Set by the policy when it reaches TDMR construction. */
  construct: ConstructTableResult | null = null;
  readonly callers: CallerRecord[] = [];
  /** The kernel's log prefix for this generation. */
  prefix = 'virt/tdx: ';
  /** Text of the clock's timeline steps, by step index (recorded only with text). */
  private readonly spanText: { cpus: string; detail: string }[] = [];

  constructor(
    readonly prepared: PreparedPlatform,
    readonly costs: Record<string, number>,
    readonly engine: ConstructEngine,
    options: { trace?: boolean; recording?: Recording; module?: SeamcallPort } = {},
  ) {
    assertCostsDefined(costs);
    this.trace = options.trace ? [] : null;
    this.recordsText = (options.recording ?? 'report') === 'report';
    this.module = options.module ?? new TdxModule(prepared.moduleConfig, prepared.moduleTables);
    this.clock = new Clock(costs, prepared.lpSeries);
  }

  /** The time of the caller's CPU, µs. */
  get now(): number {
    return this.clock.now;
  }

  /** A policy moving the clock itself: the run still counts, but has no time program. */
  set now(us: number) {
    this.clock.opaque = true;
    this.clock.now = us;
  }

  /** Runs a step's time arithmetic on the clock (clock.ts); returns what the op handed on (Clock.out). */
  time(op: TimeOp): number {
    return this.clock.run(op);
  }

  /** The timeline: the clock's steps with their text. */
  get timeline(): TimelineStep[] {
    const c = this.clock;
    const out: TimelineStep[] = new Array(c.spanCount);
    for (let i = 0; i < c.spanCount; i++) {
      const t = this.spanText[i];
      out[i] = { step: c.spanSteps[i], startUs: c.spanStarts[i], endUs: c.spanEnds[i], cpus: t ? t.cpus : '', detail: t ? t.detail : '' };
    }
    return out;
  }

  /** Per-TDMR TDMR.INIT windows, for readiness: [start, end) in µs and the TDMR's range. */
  get tdmrInitWindows(): InitWindows {
    return this.clock.windows;
  }

  get platform(): Platform {
    return this.prepared.platform;
  }

  /** build_tdx_memlist() of this platform: several steps and the result read it. */
  get memlist(): NodeRange[] {
    return this.prepared.memlist;
  }

  /** The CPUs online in Linux now. */
  get onlineLps(): readonly Lp[] {
    return this.prepared.cpus.online;
  }

  /** The CPUs KVM's per-CPU enabling reached: online then, whether or not they still are. */
  get enabledLps(): readonly Lp[] {
    return this.prepared.cpus.enabled;
  }

  /** The first online CPU of each package (where per-package work runs). */
  get packageLeaders(): readonly Lp[] {
    return this.prepared.cpus.packageLeaders;
  }

  /** The first online CPU of each NUMA node. */
  get nodeLeaders(): readonly Lp[] {
    return this.prepared.cpus.nodeLeaders;
  }

  /** A cost value by name, for a policy's own code (its ops read `c.costs.NAME`); a name the run's costs lack is refused. */
  cost(name: string): number {
    const v = this.costs[name];
    if (v === undefined) throw new Error(`cost parameter ${name} is not defined`);
    return v;
  }

  /** The log-normal spread of a time parameter (costs.ts, spreadOf). */
  sigma(name: string): number {
    return spreadOf(this.costs, name);
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
   * fails: as many seamcall()s, recorded the same way (starts may run on past the LPs). Returns
   * the index of the failed call, or -1.
   */
  lpInitSeries(starts: ArrayLike<number>, durUs: number): { failedAt: number; result: SeamcallResult | null } {
    const ids = this.prepared.cpus.enabledIds;
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
  bulk(leaf: number, lp: number, calls: number, startUs: number, endUs: number, status: bigint, args: SeamcallArgs): void {
    this.count(leaf, calls);
    if (this.trace) this.trace.push({ leaf: leafName(leaf), lp, startUs, endUs, status: hexStatus(status), calls, args: describeArgs(args) });
  }

  private count(leaf: number, n: number): void {
    this.counts.set(leaf, (this.counts.get(leaf) ?? 0) + n);
  }

  /**
   * A step of the timeline over [startUs, endUs) that a policy times itself (the built-in
   * steps time theirs in ops: clock.span, then describe): like moving the clock, it leaves the
   * run without a time program.
   */
  span(step: string, startUs: number, endUs: number, text: () => SpanText): void {
    this.clock.opaque = true;
    this.clock.span(step, startUs, endUs);
    this.describe(text);
  }

  /**
   * The text and trial ops of the clock's latest timeline step, asked for only when the run
   * records text: a sweep row reads the times alone.
   */
  describe(text: () => SpanText): void {
    if (!this.recordsText) return;
    const c = this.clock;
    const i = c.spanCount - 1;
    const { cpus, detail, ops } = text();
    this.spanText[i] = { cpus, detail };
    this.trialSteps.push({ name: c.spanSteps[i], ops: ops ?? [{ kind: 'fixed', us: c.spanEnds[i] - c.spanStarts[i], sigma: 0 }] });
  }

  /** A kernel log line (text made only when the run records text). */
  print(text: string | (() => string), at = this.now): void {
    if (this.recordsText) this.log.push({ tUs: at, text: this.prefix + (typeof text === 'string' ? text : text()) });
  }

  /** The lines seamcall_err()/seamcall_err_ret() print for a failed SEAMCALL. */
  printSeamcallError(leaf: number, r: SeamcallResult, withRegs: boolean, args: SeamcallArgs = {}): void {
    if (!this.recordsText) return;
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
  if (a.tdmrs) parts.push(`tdmrs=${'count' in a.tdmrs ? a.tdmrs.count : a.tdmrs.length}`);
  if (a.field !== undefined) parts.push(`field=${hex(a.field)}`);
  return parts.join(' ');
}


