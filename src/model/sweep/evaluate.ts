// Evaluating sweep rows: build each row's platform, simulate it, keep the few numbers a row
// reports, in one Float64Array plus three strings per row (output.ts turns them into text, in
// the thread that evaluated them).

import type { ConstructEngine } from '../../kernels/engine.js';
import { simulateSummary, type SimulateOptions, type SimulationSummary } from '../simulate.js';
import type { PreparedPlatform, ConstructLimits } from '../prepared.js';
import { PlatformBuilder, type InvalidRow } from './build.js';
import { advanceGridIndices, gridValueIndices, type SweepPlan } from './spec.js';

/**
 * Numeric cells per row; NaN = no value (null in JSON, empty in CSV). The last CAPACITY ones
 * describe the whole machine the row built (what a planner reads beside a per-socket axis) and
 * are written right after the axes; the others after the error and step.
 */
export const NUM_COLUMNS = ['initialized', 'tdmrs', 'reservedAreas', 'pamtKb', 'totalUs', 'tdmrInitUs', 'readyP50Us', 'readyP100Us', 'floorUs', 'totalMemoryGiB', 'lpCount', 'socketCount'] as const;
export const CAPACITY = 3;
/** Text cells per row. */
export const STR_COLUMNS = ['error', 'step', 'message'] as const;
export const NUMS = NUM_COLUMNS.length;
export const STRS = STR_COLUMNS.length;

export interface ChunkRows {
  count: number;
  nums: Float64Array;
  /** count × STRS; '' = none. */
  strs: string[];
}

/** Which rows a chunk covers: global indices start, start + step, ... (step = shard count). */
export interface RowRange {
  start: number;
  count: number;
  step: number;
}

/**
 * Constructs, in one engine call, what the policies will most likely ask of these platforms
 * (their own module's limits), so that a chunk's constructions cross into WASM once. Each
 * result is remembered by its platform; a policy asking under other limits constructs then.
 */
function prefetch(platforms: Iterable<PreparedPlatform>, engine: ConstructEngine): void {
  const missing: { p: PreparedPlatform; limits: ConstructLimits }[] = [];
  for (const p of platforms) {
    const limits = p.defaultLimits();
    if (p.platform.memory.length && !p.hasConstruction(limits)) missing.push({ p, limits });
  }
  if (missing.length < 2) return;
  const results = engine.tables(missing.map(({ p, limits }) => p.constructInput(limits)));
  missing.forEach(({ p, limits }, k) => p.rememberConstruction(limits, results[k]!));
}

/**
 * Rows built, constructed (one engine call) and simulated together. A batch's platforms live
 * until its last row is simulated: a few dozen keep the engine calls few and their garbage
 * young (at 512, most of them outlived a young-generation collection and were copied, then
 * promoted).
 */
const BATCH = 64;

export class SweepEvaluator {
  private readonly builder: PlatformBuilder;
  /** The grid row valuesOf() gave values for last (-1: none), and its value indices. */
  private lastRow = -1;
  private readonly idx: number[];
  private readonly rowValues: unknown[];
  /** The previous grid row's platform-axis value indices and platform (platformOf). */
  private readonly lastPlatformIdx: number[];
  private lastPlatform: PreparedPlatform | InvalidRow | null = null;
  /** A batch's platforms, and the options each row is simulated with (both rewritten per batch and row). */
  private readonly batch: (PreparedPlatform | InvalidRow)[] = [];
  /**
   * A batch's rows' policies, and their cost axis values (row k's at k × costAxes.length). The
   * values are kept as the axis gives them (tagged elements, made so by the undefined they start
   * with): they go into a cost record by name, and a double array would unbox each on the way in
   * to box it again on the way out.
   */
  private readonly batchPolicy: (string | undefined)[] = [];
  private readonly batchCosts: (number | undefined)[];
  private readonly rowOptions: SimulateOptions;
  private readonly summary = {} as SimulationSummary;
  private readonly platformAxes: number[];
  /** Whether rows differ in costs: a platform is then simulated again under other costs. */
  private readonly hasCostAxes: boolean;
  /** The cost record rows are simulated under (rowCosts), the record it was copied from, and the names a row set. */
  private readonly costs: Record<string, number> = {};
  private costsFrom: Readonly<Record<string, number>> | null = null;
  private readonly costsSet: string[] = [];
  private costsSetCount = 0;

  constructor(
    private readonly plan: SweepPlan,
    private readonly engine: ConstructEngine,
  ) {
    this.builder = new PlatformBuilder(plan);
    this.idx = new Array(plan.axes.length);
    this.rowValues = new Array(plan.axes.length);
    this.platformAxes = plan.axes.flatMap((a, i) => (a.kind === 'structural' || a.kind === 'set' ? [i] : []));
    this.lastPlatformIdx = new Array(this.platformAxes.length);
    this.hasCostAxes = this.builder.costAxes.length > 0;
    this.batchCosts = new Array<number | undefined>(BATCH * this.builder.costAxes.length).fill(undefined);
    // parameters feed only the report's parameter table, which a row does not have.
    this.rowOptions = { policy: undefined, engine, costs: this.costs, parameters: [] };
  }

  /** Row `index`'s values: a list entry, or a grid row's in one array rewritten for each row (callers read them at once). */
  private valuesOf(index: number): unknown[] {
    const { plan } = this;
    if (plan.mode === 'list') return plan.entries[index];
    const idx = this.idx;
    const values = this.rowValues;
    // A later row (a chunk's rows are, a shard's step apart): the indices turn on like an
    // odometer, and only the axes that turned get new values. Any other: all of them.
    let from = 0;
    if (this.lastRow >= 0 && index > this.lastRow) from = advanceGridIndices(plan, idx, index - this.lastRow);
    else gridValueIndices(plan, index, idx);
    for (let a = from; a < idx.length; a++) values[a] = plan.axes[a].values[idx[a]];
    this.lastRow = index;
    return values;
  }

  /**
   * The platform of the row valuesOf() gave `values` for, last. A grid row whose platform-changing values are the previous row's
   * (a capacity sweep: the cost axes turn fastest) has the previous row's platform.
   */
  private platformOf(values: unknown[]): PreparedPlatform | InvalidRow {
    const { plan, builder } = this;
    if (plan.mode === 'list') return builder.platformOf(values, builder.keyed ? builder.keyOfValues(values) : '');
    const idx = this.idx;
    const last = this.lastPlatformIdx;
    let same = this.lastPlatform !== null;
    for (let k = 0; k < this.platformAxes.length && same; k++) same = idx[this.platformAxes[k]] === last[k];
    if (same) return this.lastPlatform!;
    let key = '';
    if (builder.keyed) for (const a of this.platformAxes) key += `${idx[a]},`;
    for (let k = 0; k < this.platformAxes.length; k++) last[k] = idx[this.platformAxes[k]];
    return (this.lastPlatform = builder.platformOf(values, key));
  }

  /**
   * The rows of `range`. `into`: a chunk of the caller's whose arrays the rows are written to
   * when they have room (the caller is done with the rows they held), instead of new ones: a
   * new 256-row chunk's Float64Array costs more to make than a dozen of its rows to evaluate.
   */
  evaluate(range: RowRange, into?: ChunkRows): ChunkRows {
    const { count } = range;
    const fits = into !== undefined && into.nums.length >= count * NUMS && into.strs.length >= count * STRS;
    const nums = fits ? into.nums.fill(NaN, 0, count * NUMS) : new Float64Array(count * NUMS).fill(NaN);
    const strs: string[] = fits ? into.strs.fill('', 0, count * STRS) : new Array(count * STRS).fill('');
    for (let from = 0; from < count; from += BATCH) this.evaluateBatch(range, from, Math.min(count, from + BATCH), nums, strs);
    if (!fits) return { count, nums, strs };
    into.count = count;
    return into;
  }

  /**
   * Batch row k's cost values: its platform's with the row's cost axis values (batchCosts), whose values the spec
   * check (spec.ts) has checked against the cost model's rules. One record, rewritten for each
   * row: a row's simulation reads it only while the row runs, and a capacity sweep's rows would
   * otherwise each copy and check a record of every parameter.
   */
  private rowCosts(prepared: PreparedPlatform, k: number): Record<string, number> {
    const base = prepared.costValues();
    const costs = this.costs;
    if (this.costsFrom !== base) {
      Object.assign(costs, base);
      this.costsFrom = base;
    } else if (this.plan.mode === 'list') {
      // A list entry may leave a cost the entry before it set (a grid row sets every cost axis).
      for (let k = 0; k < this.costsSetCount; k++) costs[this.costsSet[k]] = base[this.costsSet[k]];
    }
    const axes = this.builder.costAxes;
    let n = 0;
    for (let j = 0; j < axes.length; j++) {
      const v = this.batchCosts[k * axes.length + j];
      if (v === undefined) continue;
      costs[axes[j].name] = v;
      this.costsSet[n++] = axes[j].name;
    }
    this.costsSetCount = n;
    return costs;
  }

  /** Rows [from, to) of the range into nums and strs (row i at i × NUMS and i × STRS). */
  private evaluateBatch(range: RowRange, from: number, to: number, nums: Float64Array, strs: string[]): void {
    const built = this.batch;
    const { costAxes, policyAxis } = this.builder;
    for (let i = from; i < to; i++) {
      const k = i - from;
      const values = this.valuesOf(range.start + i * range.step);
      built[k] = this.platformOf(values);
      // What the row sets besides its platform, kept for its simulation below.
      this.batchPolicy[k] = policyAxis >= 0 ? (values[policyAxis] as string | undefined) : undefined;
      for (let j = 0; j < costAxes.length; j++) this.batchCosts[k * costAxes.length + j] = values[costAxes[j].axis] as number | undefined;
    }
    const platforms = new Set<PreparedPlatform>();
    for (let k = 0; k < to - from; k++) if (!('invalid' in built[k])) platforms.add(built[k] as PreparedPlatform);
    prefetch(platforms, this.engine);
    const opts = this.rowOptions;
    for (let i = from; i < to; i++) {
      const prepared = built[i - from];
      const n = i * NUMS;
      const t = i * STRS;
      if ('invalid' in prepared) {
        nums[n] = 0;
        strs[t] = 'INVALID';
        strs[t + 1] = 'input';
        strs[t + 2] = prepared.invalid;
        continue;
      }
      prepared.expectsReruns = this.hasCostAxes;
      const p = prepared.platform;
      // GiB to the MiB (3 decimals): exact for any memory map of whole MiB ranges.
      nums[n + 9] = Math.round((prepared.memoryBytes / 2 ** 30) * 1000) / 1000;
      nums[n + 10] = p.cpus.lps.length;
      nums[n + 11] = p.cpus.packages;
      opts.policy = this.batchPolicy[i - from];
      opts.costs = this.rowCosts(prepared, i - from);
      const m = simulateSummary(prepared, opts, this.summary);
      nums[n] = m.outcome.initialized ? 1 : 0;
      nums[n + 1] = m.tdmrsUsed;
      nums[n + 2] = m.reservedAreasUsed;
      nums[n + 3] = m.pamtKb;
      nums[n + 4] = m.initUs;
      nums[n + 5] = m.tdmrInitUs;
      nums[n + 6] = m.readyP50Us;
      nums[n + 7] = m.readyP100Us;
      nums[n + 8] = m.floorUs;
      const err = m.outcome.error;
      if (err) {
        // The errno's name without the kernel's minus sign ("ENOSPC", not "-ENOSPC"): a cell
        // that starts with "-" is one a spreadsheet would run as a formula, so CSV would have to
        // defuse it and a filter on the value would no longer match.
        strs[t] = err.code.replace(/^-/, '');
        strs[t + 1] = err.step;
        strs[t + 2] = err.message;
      }
    }
  }
}
