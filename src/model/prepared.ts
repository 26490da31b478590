// A platform prepared for simulation: the one owner of everything the model derives from a
// validated platform document. prepare() reads the platform once; the simulation, the module
// model, the policies and the sweep are handed the PreparedPlatform and read from it instead
// of deriving (or caching behind object identity) the same things again.
//
// Lifetime: a PreparedPlatform lives as long as its holder keeps it: one simulate() call, or
// one entry of a sweep builder's bounded cache (src/model/sweep/build.ts). What it remembers
// (constructions per set of module limits, CONFIG verdicts per constructed table, cost values,
// the module's answers to a replayable policy) goes with it. It never changes the platform,
// and nothing here is frozen: a caller who changes the platform afterwards prepares it again.

import type { Cpus, Lp, Platform } from '../platform/types.js';
import type { ConstructInput, NodeRange } from '../construct/types.js';
import type { TdmrTable, ConstructTableResult } from '../construct/tdmrTable.js';
import { toConstructInput } from '../construct/input.js';
import { buildMemlist } from '../reference/construct.js';
import type { ConstructEngine } from '../kernels/engine.js';
import { FEATURES0_DYNAMIC_PAMT, FEATURES0_NO_RBP_MOD, lpTable, moduleTables, tdmrTableOfInfos, type LpTable, type ModuleConfig, type ModuleTables, type TdmrInfo } from './module/index.js';
import { platformCostValues, costValuesWith } from './costs.js';
import type { CallTape } from './replay.js';
import { Clock, LpSeries } from './clock.js';

/** The CPU subsets the steps of a policy run on, in LP order. */
export interface CpuSets {
  /** Online in Linux now. */
  online: readonly Lp[];
  /** Reached by KVM's per-CPU enabling: online then, whether or not they still are. */
  enabled: readonly Lp[];
  enabledIds: readonly number[];
  /** The first online LP of each package. */
  packageLeaders: readonly Lp[];
  /** The first online LP of each NUMA node. */
  nodeLeaders: readonly Lp[];
}

/** The module limits a construction ran under (what the kernel read from the module). */
export interface ConstructLimits {
  maxTdmrs: number;
  maxReservedPerTdmr: number;
  pamtEntrySize: [number, number, number];
  dynamicPamt: boolean;
}

/** A TDMR layout the platform document brings (platform.tdmrs), in both forms CONFIG may take. */
export interface WrittenLayout {
  table: TdmrTable;
  /** Register-exact TDMR_INFO: a layout written by hand may hold values no double holds. */
  infos: readonly TdmrInfo[];
}

/** What the model derives from a platform's CPUs alone (shared by platforms with the same Cpus). */
export interface PreparedCpus {
  sets: CpuSets;
  /** MCHECK's view of the LPs. */
  moduleLps: ModuleConfig['lps'];
  /** The module's LP table of those LPs. */
  lpTable: LpTable;
  /** LP.INIT start times on these CPUs, kept for the next run under the same costs (clock.ts). */
  lpSeries: LpSeries;
}

/** Derive what the model reads from a platform's CPUs. */
export function prepareCpus(cpus: Cpus): PreparedCpus {
  const moduleLps = cpus.lps.map((l) => ({ id: l.id, package: l.package }));
  return { sets: cpuSets(cpus.lps), moduleLps, lpTable: lpTable(moduleLps), lpSeries: new LpSeries() };
}

export class PreparedPlatform {
  readonly cpus: CpuSets;
  /** LP.INIT start times on these CPUs, shared by the platforms that share them (clock.ts, LpSeries). */
  readonly lpSeries: LpSeries;
  /** What MCHECK and the loaded module tell the module model about this platform. */
  readonly moduleConfig: ModuleConfig;
  /** What a module derives from that configuration (LP table, KeyID layout, CONFIG verdicts). */
  readonly moduleTables: ModuleTables;
  /** Memory in the platform's memory map, bytes. */
  readonly memoryBytes: number;
  private memlistOnce: NodeRange[] | null = null;
  private writtenOnce: WrittenLayout | null | undefined = undefined;
  /** Constructions by the limits they ran under (one or two: a list beats a key string per call). */
  private readonly constructions: { limits: ConstructLimits; result: ConstructTableResult }[] = [];
  /**
   * The module's answers to a summary run under each replayable policy, one per policy name
   * (replay.ts). A short list: a sweep row finds its tape by the policy itself, a pointer compare.
   */
  private readonly tapes: CallTape[] = [];
  /** The clock the recorded runs' time programs run on (one at a time: a program's row is read before the next runs). */
  private clockOnce: Clock | null = null;
  /** The replayable policies this platform had one summary run under, without a tape (a short list). */
  private ranOnce: readonly string[] = [];
  private costBase: Readonly<Record<string, number>> | null = null;

  /**
   * `cpus` must be prepareCpus(platform.cpus) (a sweep passes the one it made for the Cpus its
   * platforms share; otherwise it is made here).
   */
  constructor(
    readonly platform: Platform,
    cpus: PreparedCpus = prepareCpus(platform.cpus),
  ) {
    this.cpus = cpus.sets;
    this.lpSeries = cpus.lpSeries;
    this.moduleConfig = moduleConfig(platform, cpus.moduleLps);
    this.moduleTables = moduleTables(this.moduleConfig, cpus.lpTable);
    let bytes = 0;
    for (const m of platform.memory) bytes += m.end - m.start;
    this.memoryBytes = bytes;
  }

  /** build_tdx_memlist() of this platform. */
  get memlist(): NodeRange[] {
    return (this.memlistOnce ??= buildMemlist(this.platform.memory));
  }

  /** The construction input under the given module limits (toConstructInput's, with these limits). */
  constructInput(limits: ConstructLimits): ConstructInput {
    const input = toConstructInput(this.platform);
    input.maxTdmrs = limits.maxTdmrs;
    input.maxReservedPerTdmr = limits.maxReservedPerTdmr;
    input.pamtEntrySize = limits.pamtEntrySize;
    input.dynamicPamt = limits.dynamicPamt;
    return input;
  }

  /** The limits the platform's own module reports (what a construction most likely runs under). */
  defaultLimits(): ConstructLimits {
    const m = this.platform.module;
    return {
      maxTdmrs: m.maxTdmrs,
      maxReservedPerTdmr: m.maxReservedPerTdmr,
      pamtEntrySize: [m.pamtEntrySize4k, m.pamtEntrySize2m, m.pamtEntrySize1g],
      dynamicPamt: m.features.dynamicPamt,
    };
  }

  /** The module's answers recorded for `policy` on this platform, if any (replay.ts). */
  callTape(policy: { name: string }): CallTape | undefined {
    const { tapes } = this;
    for (let i = 0; i < tapes.length; i++) if (tapes[i].policy === policy) return tapes[i];
    return undefined;
  }

  /** Keeps `tape`, in place of one recorded under another policy of the same name. */
  rememberCallTape(tape: CallTape): void {
    const { tapes } = this;
    const i = tapes.findIndex((t) => t.policy.name === tape.policy.name);
    if (i >= 0) tapes[i] = tape;
    else tapes.push(tape);
  }

  /** The clock for running this platform's time programs (clock.ts), made on first use. */
  programClock(): Clock {
    return (this.clockOnce ??= new Clock({}, this.lpSeries));
  }

  /**
   * Whoever knows that this platform will be simulated again under other costs (a sweep with
   * cost axes) says so here, and its first summary run records.
   */
  expectsReruns = false;

  /**
   * Count a summary run under `policy` that finds no tape, and say whether it should record
   * one: from the second run on (from the first when reruns are expected). A platform simulated
   * once (a structural sweep row) then pays nothing for recording; one simulated under many
   * cost settings runs its time program from its third (second).
   */
  shouldRecord(policy: { name: string }): boolean {
    if (this.expectsReruns || this.ranOnce.includes(policy.name)) return true;
    this.ranOnce = [...this.ranOnce, policy.name];
    return false;
  }

  /** construct_tdmrs under these limits, on the engine, once per set of limits. */
  construct(limits: ConstructLimits, engine: ConstructEngine): ConstructTableResult {
    let r = this.constructionUnder(limits);
    if (!r) this.rememberConstruction(limits, (r = engine.tables([this.constructInput(limits)])[0]!));
    return r;
  }

  /** Whether a construction under these limits is already known (a batch may supply it). */
  hasConstruction(limits: ConstructLimits): boolean {
    return this.constructionUnder(limits) !== undefined;
  }

  /** A construction made in a batch with other platforms' (src/model/sweep/evaluate.ts). */
  rememberConstruction(limits: ConstructLimits, result: ConstructTableResult): void {
    const known = this.constructions.find((c) => sameLimits(c.limits, limits));
    if (known) known.result = result;
    // A copy: the caller's limits are its own to change.
    else this.constructions.push({ limits: copyLimits(limits), result });
  }

  private constructionUnder(limits: ConstructLimits): ConstructTableResult | undefined {
    for (const c of this.constructions) if (sameLimits(c.limits, limits)) return c.result;
    return undefined;
  }

  /** The layout the document brings (platform.tdmrs), or null. */
  writtenLayout(): WrittenLayout | null {
    if (this.writtenOnce === undefined) this.writtenOnce = writtenLayout(this.platform);
    return this.writtenOnce;
  }

  /**
   * Cost values by name: the platform's resolved defaults with these overrides checked and
   * applied. Read-only: without overrides it is the platform's own record, the same every call.
   */
  costValues(overrides?: Record<string, number>): Readonly<Record<string, number>> {
    // No default `{}`: a sweep asks for the base once per row, and a default object is made per call.
    const base = (this.costBase ??= platformCostValues(this.platform));
    return overrides && hasKeys(overrides) ? costValuesWith(base, overrides) : base;
  }
}

export function prepare(platform: Platform, cpus?: PreparedCpus): PreparedPlatform {
  return new PreparedPlatform(platform, cpus);
}

function copyLimits(l: ConstructLimits): ConstructLimits {
  const [es4k, es2m, es1g] = l.pamtEntrySize;
  return { maxTdmrs: l.maxTdmrs, maxReservedPerTdmr: l.maxReservedPerTdmr, pamtEntrySize: [es4k, es2m, es1g], dynamicPamt: l.dynamicPamt };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

function sameLimits(a: ConstructLimits, b: ConstructLimits): boolean {
  return a.maxTdmrs === b.maxTdmrs && a.maxReservedPerTdmr === b.maxReservedPerTdmr && !!a.dynamicPamt === !!b.dynamicPamt
    && a.pamtEntrySize[0] === b.pamtEntrySize[0] && a.pamtEntrySize[1] === b.pamtEntrySize[1] && a.pamtEntrySize[2] === b.pamtEntrySize[2];
}

function cpuSets(lps: readonly Lp[]): CpuSets {
  const enabled = lps.filter((l) => l.online || l.offlinedAfterLpInit);
  const online = lps.filter((l) => l.online);
  const firstOf = (key: (l: Lp) => number): Lp[] => {
    const seen = new Set<number>();
    return online.filter((l) => !seen.has(key(l)) && !!seen.add(key(l)));
  };
  return { online, enabled, enabledIds: enabled.map((l) => l.id), packageLeaders: firstOf((l) => l.package), nodeLeaders: firstOf((l) => l.node) };
}

function moduleConfig(p: Platform, lps: ModuleConfig['lps']): ModuleConfig {
  let features0 = 0n;
  if (p.module.features.noRbpMod) features0 |= FEATURES0_NO_RBP_MOD;
  if (p.module.features.dynamicPamt) features0 |= FEATURES0_DYNAMIC_PAMT;
  return {
    loaded: p.module.loaded,
    version: p.module.version,
    maxTdmrs: p.module.maxTdmrs,
    maxReservedPerTdmr: p.module.maxReservedPerTdmr,
    pamtEntrySize: [p.module.pamtEntrySize4k, p.module.pamtEntrySize2m, p.module.pamtEntrySize1g],
    features0,
    lps,
    cmrs: p.cmrs.map((r) => ({ start: BigInt(r.start), end: BigInt(r.end) })),
    keyids: { mktme: p.keyids.mktme, tdx: p.keyids.tdx },
  };
}

function writtenLayout(p: Platform): WrittenLayout | null {
  const own = p.tdmrs;
  if (!own) return null;
  const infos: TdmrInfo[] = own.map((t) => ({
    base: t.base, size: t.size,
    pamt4kBase: t.pamt4k.base, pamt4kSize: t.pamt4k.size,
    pamt2mBase: t.pamt2m.base, pamt2mSize: t.pamt2m.size,
    pamt1gBase: t.pamt1g.base, pamt1gSize: t.pamt1g.size,
    reserved: t.reserved,
  }));
  return { table: tdmrTableOfInfos(infos), infos };
}
