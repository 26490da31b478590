// A run's clock, and the program of its time arithmetic.
//
// A capacity sweep simulates one platform under thousands of cost settings. Under a replayable
// policy (policies/policy.ts) the module answers every run the same way, so the runs differ only
// in their times. Every step therefore changes time only through *time ops*: closures over the
// clock that capture the step's structural facts (how many LPs, how many TDMR.INIT calls per
// TDMR), read costs through the clock, and take every decision that depends on time (which lane a
// TDMR goes to, whether a caller waited) through `decide`. A run can record its ops and
// decisions: the run's time program (TimeProgram). Run under other costs, a program does the
// same floating-point operations in the same order as a simulation would, so its times are
// bit-exact; a decision that comes out otherwise stops it (`held` false) and the caller replays
// the module's answers instead (replay.ts), keeping that run's program too. Whatever changes the
// clock outside an op (a policy's own `sim.now = …`) makes the run's program unusable
// (`opaque`). test/replay.test.ts holds programs to simulations on every preset and policy
// under random costs; test/clock.test.ts holds the clock's parts.

import type { InitWindows } from '../kernels/readiness.js';

/**
 * A step's time arithmetic on the clock. What the live step goes on with (a start, a lane, a
 * decision) the op leaves in `c.out` rather than returning it: a program calls its ops where
 * V8 cannot inline them, and a time returned from such a call is a new heap number per op.
 */
export type TimeOp = (c: Clock) => undefined;

/** `a` with at least n entries (new ones 0). Plain arrays: a live run's clock is made per run, and small arrays cost less to make than typed ones. */
function atLeast(a: number[], n: number): number[] {
  while (a.length < n) a.push(0);
  return a;
}

export class Clock {
  /** The time of the caller's CPU, µs. */
  now = 0;
  /** What the op run last hands its live step (TimeOp); 0 unless it set it. */
  out = 0;
  /**
   * The run's cost values by name. Ops read them with named loads (`c.costs.lpInitUs`): each
   * read site then sees the one record shape a sweep uses, where a lookup by a variable name
   * is a megamorphic keyed load per op. A live run's Sim refuses values that lack a parameter
   * up front; a program's row (which has no Sim) reads undefined, every later time is NaN, and
   * the run's end (simulate.ts, runEndUs) refuses it, naming the parameter.
   */
  costs: Record<string, number>;
  /** The timeline's times, in order (its text is the Sim's). */
  spanCount = 0;
  readonly spanSteps: string[] = [];
  readonly spanStarts: number[] = [];
  readonly spanEnds: number[] = [];
  /** The latest span end so far (-Infinity: none), kept as spans are added: the run's end reads it instead of a pass over them. NaN once one is NaN. */
  latestSpanEnd = -Infinity;
  readonly windows: InitWindows & { base: number[]; size: number[]; startUs: number[]; endUs: number[]; perCallUs: number[]; chunkBytes: number[] } = {
    count: 0, base: [], size: [], startUs: [], endUs: [], perCallUs: [], chunkBytes: [],
  };
  /** Where the current step began (begin/end). */
  mark = 0;
  /** Start times of a step's calls one after another on the caller's CPU (callsInSeries; the step reads them at once). */
  readonly callStarts: number[] = [];
  /** Per-lane free times of TDMR.INIT. */
  readonly lanes: number[] = [];
  lanesEnd = 0;
  /** tdx_enable() callers in the order they take the module mutex (indices into kernel.callers). */
  order: number[] = [];
  bootEnd = 0;
  enableStart = 0;
  enableEnd = 0;
  mutexFree = 0;
  /** False once a replayed decision came out otherwise: the program does not hold for these costs. */
  held = true;
  /** True once time changed outside an op: the run has no program. */
  opaque = false;
  private ops: TimeOp[] | null = null;
  private decisions: number[] | null = null;
  private replayed: readonly number[] | null = null;
  private nextDecision = 0;

  /** `series`: the LP.INIT start times this clock's runs use (its CPUs' own, when they have one: LpSeries). */
  constructor(
    costs: Record<string, number>,
    readonly series: LpSeries = new LpSeries(),
  ) {
    this.costs = costs;
  }

  /** Runs a time op, and records it when the run records its program; returns what the op handed on (`out`). */
  run(op: TimeOp): number {
    this.out = 0;
    op(this);
    if (this.ops) this.ops.push(op);
    return this.out;
  }

  /**
   * A decision that depends on time (a lane, an order, a branch), as a number: recorded when
   * the run records its program, checked when a program runs.
   */
  decide(x: number): number {
    if (this.replayed) {
      if (this.replayed[this.nextDecision++] !== x) this.held = false;
    } else if (this.decisions) {
      this.decisions.push(x);
    }
    return x;
  }

  /** A timeline step over [startUs, endUs). */
  span(step: string, startUs: number, endUs: number): void {
    const i = this.spanCount++;
    this.spanSteps[i] = step;
    this.spanStarts[i] = startUs;
    this.spanEnds[i] = endUs;
    this.latestSpanEnd = Math.max(this.latestSpanEnd, endUs);
  }

  /** Starts a step at the current time (end() spans it). */
  begin(): number {
    this.mark = this.now;
    return this.mark;
  }

  /** The step begun last, up to now. */
  end(step: string): void {
    this.span(step, this.mark, this.now);
  }

  /** A step of `durUs` on the caller's CPU from now: spanned, the clock moved on; returns its start. */
  advance(step: string, durUs: number): number {
    const start = this.now;
    this.now += durUs;
    this.span(step, start, this.now);
    return start;
  }

  /** n calls one after another from now (series.starts): see LpSeries.serial. */
  serial(n: number, gapUs: number, perUs: number): number {
    return this.series.serial(this.now, n, gapUs, perUs);
  }

  /** n calls one after another on the caller's CPU from `from` (into callStarts): see callsInSeries. */
  callsInSeries(from: number, n: number, gapUs: number, perUs: number): void {
    callsInSeries(atLeast(this.callStarts, n), from, n, gapUs, perUs);
  }

  /** k TDMR.INIT lanes, all free at `t`. */
  lanesFrom(k: number, t: number): number[] {
    const lanes = atLeast(this.lanes, k);
    // A loop, not fill(): a program runs this once per row, mostly for one lane.
    for (let i = 0; i < k; i++) lanes[i] = t;
    this.lanesEnd = t;
    return this.lanes;
  }

  /** One TDMR's TDMR.INIT window. */
  window(base: number, size: number, startUs: number, endUs: number, perCallUs: number, chunkBytes: number): void {
    const w = this.windows;
    const i = w.count++;
    w.base[i] = base;
    w.size[i] = size;
    w.startUs[i] = startUs;
    w.endUs[i] = endUs;
    w.perCallUs[i] = perCallUs;
    w.chunkBytes[i] = chunkBytes;
  }

  /** From now on, ops and decisions are kept (recordProgram() hands them over). */
  startRecording(): void {
    this.ops = [];
    this.decisions = [];
  }

  /** The program recorded since startRecording(); null when the run changed time outside an op. */
  recordedProgram(): TimeProgram | null {
    if (!this.ops || !this.decisions || this.opaque) return null;
    return new TimeProgram(this.ops, this.decisions);
  }

  /** Back to time 0 under `costs`, for a program to run. */
  restart(costs: Record<string, number>, decisions: readonly number[]): void {
    this.costs = costs;
    this.now = 0;
    this.spanCount = 0;
    this.latestSpanEnd = -Infinity;
    this.windows.count = 0;
    this.mark = 0;
    this.lanesEnd = 0;
    this.bootEnd = 0;
    this.enableStart = 0;
    this.enableEnd = 0;
    this.mutexFree = 0;
    this.held = true;
    this.opaque = false;
    this.ops = null;
    this.decisions = null;
    this.replayed = decisions;
    this.nextDecision = 0;
  }
}

/**
 * Start times of per-CPU calls (LP.INIT). A series one after another is a function of its
 * first start, the two costs that space it and nothing else, so it is kept with them and made
 * again only when one differs or it is asked longer: the runs that share one (the platforms of
 * a sweep with the same CPUs, whose PreparedCpus owns it; the rows of one platform) mostly
 * differ elsewhere. Runs in one thread run one at a time, and a series is read only within
 * the step that made it.
 */
export class LpSeries {
  readonly starts: number[] = [];
  private from = NaN;
  private gapUs = NaN;
  private perUs = NaN;
  private n = 0;

  /** n calls from `from`, each taking perUs, each but the first after gapUs more; returns when the last ends. */
  serial(from: number, n: number, gapUs: number, perUs: number): number {
    if (!(this.n >= n && Object.is(this.from, from) && Object.is(this.gapUs, gapUs) && Object.is(this.perUs, perUs))) {
      callsInSeries(atLeast(this.starts, n), from, n, gapUs, perUs);
      this.from = from;
      this.gapUs = gapUs;
      this.perUs = perUs;
      this.n = n;
    }
    // The loop's last step: t = starts[n - 1] + perUs.
    return this.starts[n - 1] + perUs;
  }

  /** n calls all starting at `at` (a broadcast). */
  all(n: number, at: number): number[] {
    this.n = 0;
    return atLeast(this.starts, n).fill(at, 0, n);
  }
}

/**
 * The starts of n calls one after another into `starts`: the first at `from`, each later one
 * gapUs after the one before it ended (each takes perUs), summed in that order: the next start
 * is (start + perUs) + gapUs, so a call never starts before the one before it ended.
 */
function callsInSeries(starts: number[], from: number, n: number, gapUs: number, perUs: number): void {
  let t = from;
  for (let i = 0; i < n; i++) {
    if (i > 0) t += gapUs;
    starts[i] = t;
    t += perUs;
  }
}

/** A run's time ops and decisions: its times under any costs, while its decisions hold. */
export class TimeProgram {
  constructor(
    readonly ops: readonly TimeOp[],
    readonly decisions: readonly number[],
  ) {}

  /** Runs the program on `clock` under `costs`; false when a decision came out otherwise. */
  run(clock: Clock, costs: Record<string, number>): boolean {
    clock.restart(costs, this.decisions);
    const { ops } = this;
    for (let i = 0; i < ops.length; i++) {
      ops[i](clock);
      if (!clock.held) return false;
    }
    return true;
  }
}
