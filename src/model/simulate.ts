// simulate(): run one kernel policy against the module model on one platform and assemble the
// versioned result (docs/simulate-schema.md). Deterministic: the same platform, policy and
// parameters give the same bytes; nothing here reads a clock.

import type { Platform } from '../platform/types.js';
import type { ConstructEngine } from '../kernels/engine.js';
import type { Tdmr } from '../construct/types.js';
import { toTdmrs, type TdmrTable } from '../construct/tdmrTable.js';
import { hex, hexPadded } from '../construct/hex.js';
import { Sim, type Outcome, type OutcomeError, type CallerRecord, type Recording } from './sim.js';
import { getPolicy } from './policies/registry.js';
import type { KernelPolicy } from './policies/policy.js';
import type { PreparedPlatform } from './prepared.js';
import type { TrialProgram } from '../kernels/trialProgram.js';
import { readiness, readinessTimes, readinessTimesOf, runLayout, SWEEP_POINTS, type Readiness } from '../kernels/readiness.js';
import { timeIntervals, type TimeIntervals } from './interval.js';
import { TdxModule, leafName } from './module/index.js';
import { CallTape, ReplayDiverged, ReplayPort, recording as recordingTo, type RunFacts, type SeamcallPort } from './replay.js';
import type { Clock } from './clock.js';
import { assertCostsDefined } from './costs.js';

export const SCHEMA_VERSION = 1;

export interface ParameterRecord {
  name: string;
  value: number;
  unit: string;
  label: string;
  source: string;
}

export interface SimulateOptions {
  policy?: string;
  engine: ConstructEngine;
  /** Resolved cost parameter values by name. */
  costs: Record<string, number>;
  /** The same parameters with unit, label and source, for the output. */
  parameters: ParameterRecord[];
  trace?: boolean;
}

export interface SimulationResult {
  schemaVersion: number;
  platform: {
    name: string; memoryBytes: number; tdxMemoryBytes: number; nodes: number; packages: number;
    lps: number; onlineLps: number; cpuModel: string; moduleVersion: string;
  };
  policy: { name: string; holes: string; bootTimeInit: boolean; dynamicPamt: boolean };
  outcome: Outcome;
  callers: CallerRecord[];
  tdmrs: ReturnType<typeof tdmrJson>[];
  construct: {
    ok: boolean; error: string | null; tdmrsUsed: number; maxTdmrs: number; reservedAreasUsed: number; maxReservedPerTdmr: number; pamtKb: number;
    /** RESERVED_AREAS_EXHAUSTED: the TDMR that ran out of reserved areas (hex, as tdmrs[] are); else null. */
    failedTdmr: { base: string; size: string } | null;
  };
  pamt: { totalKb: number; perNode: { node: number; kb: number }[] };
  seamcalls: { total: number; perLeaf: Record<string, number> };
  timeline: { step: string; startUs: number; endUs: number; durationUs: number; cpus: string; detail: string }[];
  totals: { initUs: number; tdxEnableUs: number; lpInitUs: number; tdmrInitUs: number; byStep: Record<string, number> };
  /** 80% intervals under boot-to-boot variation (src/model/interval.ts). */
  intervals: TimeIntervals;
  readiness: Readiness | null;
  physicalFloor: { pamtBytes: number; bandwidthGBps: number; packages: number; floorUs: number; modeledTdmrInitUs: number; ratio: number | null };
  hotplug: { start: string; end: string; node: number; kind: string; accepted: boolean; message: string }[];
  log: string[];
  warnings: string[];
  parameters: ParameterRecord[];
  trace?: Sim['trace'];
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function tdmrJson(t: Tdmr) {
  const range = (r: { base: number; size: number }) => ({ base: hex(r.base), size: hex(r.size) });
  return {
    base: hex(t.base), size: hex(t.size), nid: t.nid,
    pamt4k: range(t.pamt4k), pamt2m: range(t.pamt2m), pamt1g: range(t.pamt1g),
    reserved: t.reserved.map((a) => ({ offset: hex(a.offset), size: hex(a.size) })),
  };
}

/** The kernel's printk timestamp: seconds with microseconds, right-aligned. */
export function printkTime(us: number): string {
  const total = Math.round(us);
  const s = Math.floor(total / 1e6);
  const frac = String(total - s * 1e6).padStart(6, '0');
  return `[${String(s).padStart(5)}.${frac}]`;
}

/** The node whose memory holds `addr` (where a PAMT really landed), or -1. */
function nodeAt(p: Platform, addr: number): number {
  let lo = 0;
  let hi = p.memory.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = p.memory[mid];
    if (addr < m.start) hi = mid - 1;
    else if (addr >= m.end) lo = mid + 1;
    else return m.node;
  }
  return -1;
}

export interface SimulationRun {
  result: SimulationResult;
  program: TrialProgram;
}

/**
 * One policy run on one platform: its Sim (whose clock holds the times), and what construction
 * left. The full report (simulate) and a sweep row (rowSummary) derive their numbers from it
 * through the same functions (runEndUs, stepUs, floorOf).
 */
interface PolicyRun {
  sim: Sim;
  policy: KernelPolicy;
  /** TDMRs built (null unless construction succeeded). */
  tdmrs: TdmrTable | null;
  /** PAMT bytes of every TDMR built, held or not. */
  allPamt: number;
}

/** The policy a run uses: the one asked for, else the platform's own. */
function policyOf(prepared: PreparedPlatform, opts: SimulateOptions): KernelPolicy {
  return getPolicy(opts.policy ?? prepared.platform.kernel.policy);
}

/** `tape`: a recorded run the run's time program joins (its module is recording to it, or replaying it). */
function runPolicy(prepared: PreparedPlatform, policy: KernelPolicy, opts: SimulateOptions, recording: Recording, module?: SeamcallPort, tape?: CallTape): PolicyRun {
  const { platform } = prepared;
  const sim = new Sim(prepared, opts.costs, opts.engine, { trace: opts.trace, recording, module });
  const clock = sim.clock;
  if (tape) clock.startRecording();
  const booted = policy.boot(sim);

  // Concurrent tdx_enable() callers serialize on the module mutex; the first one in runs the
  // initialization, later ones return its cached result.
  const callersIn = platform.kernel.callers.length ? platform.kernel.callers : NO_CALLERS;
  const arrivals = callersIn.map((c) => c.at);
  sim.time((c) => callerOrder(c, arrivals));
  let ran = false;
  for (const i of clock.order) {
    const runs = booted && !ran;
    const at = Math.max(arrivals[i], clock.bootEnd);
    const start = sim.time((c) => takeMutex(c, i, arrivals[i], runs));
    if (start - at > 0) sim.describe(() => ({ cpus: 'caller CPU', detail: 'blocked on tdx_module_lock' }));
    let result: number;
    if (!booted) {
      result = sim.outcome.error?.errno ?? -19;
    } else if (runs) {
      policy.initialize(sim);
      sim.time(enableReturns);
      ran = true;
      result = sim.outcome.initialized ? 0 : (sim.outcome.error?.errno ?? -22);
    } else {
      result = policy.laterCallerResult(sim);
    }
    sim.callers.push({ caller: i, atUs: r3(at), waitUs: r3(start - at), returnedUs: r3(runs ? clock.enableEnd : start), result, ran: runs });
  }
  sim.callers.sort((a, b) => a.caller - b.caller);
  if (tape) tape.keepProgram(clock.recordedProgram());

  const construct = sim.construct;
  const tdmrs = construct && construct.ok ? construct.table : null;
  return { sim, policy, tdmrs, allPamt: tdmrs ? tdmrs.totalPamtBytes() : 0 };
}

const NO_CALLERS = [{ at: 0 }];

/**
 * The order in which tdx_enable() callers take the module mutex (into c.order): by arrival,
 * no earlier than the end of boot, ties by caller number.
 */
function callerOrder(c: Clock, arrivals: readonly number[]): undefined {
  const bootEnd = (c.bootEnd = c.now);
  c.enableStart = c.enableEnd = bootEnd;
  c.mutexFree = 0;
  const order = c.order;
  // Filled in place (a program's clock runs many rows); grown by push, never by setting length (a holey array).
  for (let i = 0; i < arrivals.length; i++) {
    if (i < order.length) order[i] = i;
    else order.push(i);
  }
  if (order.length > arrivals.length) order.length = arrivals.length;
  if (order.length > 1) order.sort((a, b) => Math.max(arrivals[a], bootEnd) - Math.max(arrivals[b], bootEnd) || a - b);
  for (let k = 0; k < order.length; k++) c.decide(order[k]);
}

/** Caller i takes the module mutex (after waiting for it, if held), and hands on when; the first to run initializes from then. */
function takeMutex(c: Clock, i: number, arrival: number, runs: boolean): undefined {
  const at = Math.max(arrival, c.bootEnd);
  const start = Math.max(at, c.mutexFree);
  if (c.decide(start - at > 0 ? 1 : 0)) c.span(`tdx_enable caller ${i} waits`, at, start);
  if (runs) {
    c.now = start;
    c.enableStart = start;
  } else {
    c.mutexFree = start;
  }
  c.out = start;
}

/** tdx_enable() returns: the mutex is free from then. */
function enableReturns(c: Clock): undefined {
  c.enableEnd = c.now;
  c.mutexFree = c.enableEnd;
}

/**
 * When the run ends: the clock, tdx_enable()'s return or a timeline step's end, whichever is
 * latest. Every time of the run flows into one of them, so a NaN end means an op read a cost
 * the costs lack (a time program's row: a live run's are checked by its Sim): refused, named.
 */
function runEndUs(c: Clock): number {
  const endUs = Math.max(c.now, c.enableEnd, c.latestSpanEnd);
  if (Number.isNaN(endUs)) {
    assertCostsDefined(c.costs);
    throw new Error('a time of the run is not a number');
  }
  return endUs;
}

/** The time of the timeline's steps named `step`, summed in order. */
function stepUs(c: Clock, step: string): number {
  let us = 0;
  // (a + end) - start, as the sums were always taken: the totals are compared bit for bit.
  for (let i = 0; i < c.spanCount; i++) if (c.spanSteps[i] === step) us = us + c.spanEnds[i] - c.spanStarts[i];
  return us;
}

/** The physical floor: every PAMT byte written once at the memory bandwidth of all packages (0 without a bandwidth). */
function floorOf(bw: number, allPamt: number, packages: number): number {
  return bw > 0 ? allPamt / (bw * 1e3 * packages) : 0;
}

/** The few numbers of a simulation a sweep row or a gate looks at, without the report. */
export interface SimulationSummary {
  outcome: Outcome;
  tdmrsUsed: number;
  reservedAreasUsed: number;
  pamtKb: number;
  initUs: number;
  tdmrInitUs: number;
  /** When 50% and 100% of TDX memory is usable; NaN unless initialized (and the curve reaches them). */
  readyP50Us: number;
  readyP100Us: number;
  floorUs: number;
}

/** A run's facts; with `layout`, where its TDX memory lies in its windows (for the rows of its time program). */
function factsOf(run: PolicyRun, layout = false): RunFacts {
  const { sim, tdmrs } = run;
  return {
    outcome: sim.outcome,
    tdmrsUsed: tdmrs ? tdmrs.count : 0,
    reservedAreasUsed: tdmrs ? tdmrs.maxAreas() : 0,
    allPamt: run.allPamt,
    layout: layout && sim.outcome.initialized ? runLayout(sim.memlist, sim.tdmrInitWindows) : null,
  };
}

/**
 * The summary of a run: its facts, its clock's totals (worked out here: a time handed from
 * function to function in a sweep row is a heap number each) and its physical floor under
 * `costs` on `packages` packages. The readiness times are NaN, for the caller to set.
 */
function summarize(facts: RunFacts, clock: Clock, costs: Record<string, number>, packages: number, into?: SimulationSummary): SimulationSummary {
  const out = into ?? ({} as SimulationSummary);
  out.outcome = facts.outcome;
  out.tdmrsUsed = facts.tdmrsUsed;
  out.reservedAreasUsed = facts.reservedAreasUsed;
  out.pamtKb = Math.floor(facts.allPamt / 1024);
  out.initUs = r3(runEndUs(clock));
  out.tdmrInitUs = r3(stepUs(clock, 'TDH.SYS.TDMR.INIT'));
  out.readyP50Us = NaN;
  out.readyP100Us = NaN;
  out.floorUs = r3(floorOf(costs.memWriteBandwidthGBps ?? 0, facts.allPamt, packages));
  return out;
}

// A row's readiness points (rowSummary reads them at once; one thread runs one row at a time).
const rowReady: number[] = new Array<number>(21);

/** A row's summary from a run's facts and clock (a simulation's, or a time program's). */
function rowSummary(prepared: PreparedPlatform, facts: RunFacts, clock: Clock, costs: Record<string, number>, into?: SimulationSummary): SimulationSummary {
  // A row reports two points of the curve: only they are computed. NaN for none (a variable
  // that may hold null holds a time as a new heap number).
  let p50 = NaN;
  let p100 = NaN;
  if (facts.outcome.initialized) {
    const at = facts.layout
      ? readinessTimesOf(facts.layout, clock.windows, SWEEP_POINTS, rowReady) > 0 ? rowReady : null
      : readinessTimes(prepared.memlist, clock.windows, SWEEP_POINTS)?.at ?? null;
    if (at) {
      p50 = at[10];
      p100 = at[20];
    }
  }
  const out = summarize(facts, clock, costs, prepared.platform.cpus.packages, into);
  out.readyP50Us = p50;
  out.readyP100Us = p100;
  return out;
}

/**
 * A summary run under a policy that is not replayable, or the first runs of one that is. A
 * replayable policy's second run on a platform (other costs: a capacity sweep) records the
 * module's answers and the run's time program (replay.ts, clock.ts); later runs run the
 * program, with the same numbers bit for bit, and replay the answers when a time-dependent
 * decision of the program comes out otherwise. A replay that is asked other questions runs live.
 */
function summaryRun(prepared: PreparedPlatform, policy: KernelPolicy, opts: SimulateOptions, tape: CallTape | undefined): PolicyRun {
  if (!policy.replayable) return runPolicy(prepared, policy, opts, 'summary');
  if (!tape) {
    if (!prepared.shouldRecord(policy)) return runPolicy(prepared, policy, opts, 'summary');
    const fresh = new CallTape(policy);
    const run = runPolicy(prepared, policy, opts, 'summary', recordingTo(new TdxModule(prepared.moduleConfig, prepared.moduleTables), fresh), fresh);
    fresh.facts = factsOf(run, true);
    prepared.rememberCallTape(fresh);
    return run;
  }
  try {
    // Its time decisions differed from every kept program's: its program joins them.
    return runPolicy(prepared, policy, opts, 'summary', new ReplayPort(tape), tape);
  } catch (e) {
    if (!(e instanceof ReplayDiverged)) throw e;
    return runPolicy(prepared, policy, opts, 'summary');
  }
}

/**
 * simulate() reduced to its summary: what every sweep row evaluates. `into`: a record of the
 * caller's to fill (a sweep reads it before its next row) instead of a new one.
 */
export function simulateSummary(prepared: PreparedPlatform, opts: SimulateOptions, into?: SimulationSummary): SimulationSummary {
  const policy = policyOf(prepared, opts);
  const tape = policy.replayable ? prepared.callTape(policy) : undefined;
  if (tape?.facts) {
    const clock = prepared.programClock();
    if (tape.runProgram(clock, opts.costs)) return rowSummary(prepared, tape.facts, clock, opts.costs, into);
  }
  const run = summaryRun(prepared, policy, opts, tape);
  return rowSummary(prepared, factsOf(run), run.sim.clock, opts.costs, into);
}

export function simulate(prepared: PreparedPlatform, opts: SimulateOptions): SimulationRun {
  const { platform } = prepared;
  const run = runPolicy(prepared, policyOf(prepared, opts), opts, 'report');
  const { sim, policy, allPamt } = run;
  const { clock } = sim;
  const tdmrs = run.tdmrs ? toTdmrs(run.tdmrs) : [];
  const endUs = runEndUs(clock);
  const tdmrInitUs = stepUs(clock, 'TDH.SYS.TDMR.INIT');
  const bw = opts.costs.memWriteBandwidthGBps ?? 0;
  const floorUs = floorOf(bw, allPamt, platform.cpus.packages);
  const timeline = sim.timeline;
  const ready = sim.outcome.initialized ? readiness(sim.memlist, sim.tdmrInitWindows) : null;
  const summary = summarize(factsOf(run), clock, opts.costs, platform.cpus.packages);

  const hotplug = platform.hotplug.map((h) => {
    const accepted = policy.acceptsHotplug(sim, h.start, h.end);
    const last = hexPadded(h.end - 1, 10);
    const first = hexPadded(h.start, 10);
    return {
      start: hex(h.start), end: hex(h.end), node: h.node, kind: h.kind, accepted,
      message: accepted
        ? `online_pages [mem ${first}-${last}] accepted`
        : `online_pages [mem ${first}-${last}] failed: refused by the TDX memory notifier (not inside one TDX memory-list range)`,
    };
  });

  const construct = sim.construct;
  // PAMT memory is accounted to where it is held: only a run that keeps its PAMTs holds any.
  const held = sim.outcome.initialized ? tdmrs : [];
  const perNode = new Map<number, number>();
  let pamtTotal = 0;
  for (const t of held) {
    const b = t.pamt4k.size + t.pamt2m.size + t.pamt1g.size;
    pamtTotal += b;
    const n = nodeAt(platform, t.pamt4k.base);
    perNode.set(n, (perNode.get(n) ?? 0) + b);
  }

  const byStep: Record<string, number> = {};
  for (const s of timeline) byStep[s.step] = r3((byStep[s.step] ?? 0) + (s.endUs - s.startUs));

  const memlist = sim.memlist;
  const tdxMemoryBytes = memlist.reduce((a, b) => a + b.end - b.start, 0);
  const pkgs = platform.cpus.packages;

  const counts: Record<string, number> = {};
  const byName = [...sim.counts].map(([leaf, n]) => [leafName(leaf), n] as const);
  for (const [name, n] of byName.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) counts[name] = n;

  const result: SimulationResult = {
    schemaVersion: SCHEMA_VERSION,
    platform: {
      name: platform.name,
      memoryBytes: prepared.memoryBytes,
      tdxMemoryBytes,
      nodes: new Set(platform.memory.map((m) => m.node)).size,
      packages: pkgs,
      lps: platform.cpus.lps.length,
      onlineLps: sim.onlineLps.length,
      cpuModel: platform.cpus.model,
      moduleVersion: platform.module.version,
    },
    policy: { name: policy.name, holes: platform.kernel.holes, bootTimeInit: platform.kernel.bootTimeInit, dynamicPamt: platform.module.features.dynamicPamt },
    outcome: roundOutcome(sim.outcome),
    callers: sim.callers,
    tdmrs: tdmrs.map(tdmrJson),
    construct: {
      ok: !!construct?.ok,
      error: construct && !construct.ok ? construct.error : null,
      tdmrsUsed: summary.tdmrsUsed,
      maxTdmrs: platform.module.maxTdmrs,
      reservedAreasUsed: summary.reservedAreasUsed,
      maxReservedPerTdmr: platform.module.maxReservedPerTdmr,
      pamtKb: summary.pamtKb,
      failedTdmr: construct && !construct.ok && construct.tdmr ? { base: hex(construct.tdmr.base), size: hex(construct.tdmr.size) } : null,
    },
    pamt: {
      totalKb: Math.floor(pamtTotal / 1024),
      perNode: [...perNode].sort((a, b) => a[0] - b[0]).map(([node, bytes]) => ({ node, kb: Math.floor(bytes / 1024) })),
    },
    seamcalls: { total: Object.values(counts).reduce((a, b) => a + b, 0), perLeaf: counts },
    timeline: timeline.map((s) => ({ step: s.step, startUs: r3(s.startUs), endUs: r3(s.endUs), durationUs: r3(s.endUs - s.startUs), cpus: s.cpus, detail: s.detail })),
    totals: { initUs: summary.initUs, tdxEnableUs: r3(clock.enableEnd - clock.enableStart), lpInitUs: r3(stepUs(clock, 'TDH.SYS.LP.INIT')), tdmrInitUs: summary.tdmrInitUs, byStep },
    intervals: timeIntervals(timeline, sim.trialSteps, endUs, opts.costs.tdmrInitBootSigma ?? 0, sim.outcome.initialized),
    readiness: ready,
    physicalFloor: {
      pamtBytes: allPamt, bandwidthGBps: bw, packages: pkgs, floorUs: summary.floorUs, modeledTdmrInitUs: summary.tdmrInitUs,
      ratio: floorUs > 0 && tdmrInitUs > 0 ? Math.round((tdmrInitUs / floorUs) * 10) / 10 : null,
    },
    hotplug,
    log: sim.log.map((l) => `${printkTime(l.tUs)} ${l.text}`),
    warnings: construct ? [...construct.warnings] : [],
    parameters: opts.parameters,
  };
  if (sim.trace) result.trace = sim.trace.map((t) => ({ ...t, startUs: r3(t.startUs), endUs: r3(t.endUs) }));
  return { result, program: { steps: sim.trialSteps, bootSigma: opts.costs.tdmrInitBootSigma ?? 0 } };
}

function roundOutcome(o: Outcome): Outcome {
  const e: OutcomeError | null = o.error ? { ...o.error } : null;
  return { initialized: o.initialized, status: o.status, error: e };
}
