// Evaluating sweep rows: build each row's platform, simulate it, keep the few numbers a row
// reports, in one Float64Array plus three strings per row (output.ts turns them into text, in
// the thread that evaluated them).

import type { ConstructEngine } from '../../kernels/engine.js';
import type { ConstructInput, ConstructResult } from '../../construct/types.js';
import { toConstructInput } from '../../construct/input.js';
import { costValuesWith } from '../costs.js';
import { simulateSummary } from '../simulate.js';
import type { Platform } from '../../platform/types.js';
import { PlatformBuilder } from './build.js';
import { gridValueIndices, type SweepPlan } from './spec.js';

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
 * Construction results by input, so a platform simulated under several policies or cost
 * settings is constructed once, and the platforms of a chunk are constructed in one batch
 * call. An input is identified by the platform arrays it shares (same platform object, same
 * arrays) and the scalars simulate() may change per run.
 */
class ConstructMemo implements ConstructEngine {
  private readonly byMemory = new WeakMap<object, Map<string, { input: ConstructInput; result: ConstructResult }>>();

  constructor(private readonly inner: ConstructEngine) {}

  private static key(i: ConstructInput): string {
    return `${i.holes}|${i.maxTdmrs}|${i.maxReservedPerTdmr}|${i.pamtEntrySize.join(',')}|${i.dynamicPamt ? 1 : 0}`;
  }

  private find(input: ConstructInput): ConstructResult | undefined {
    const hit = this.byMemory.get(input.memory)?.get(ConstructMemo.key(input));
    if (!hit) return undefined;
    const h = hit.input;
    return h.reserved === input.reserved && h.cmrs === input.cmrs && h.nodeDistance === input.nodeDistance ? hit.result : undefined;
  }

  private store(input: ConstructInput, result: ConstructResult): void {
    let m = this.byMemory.get(input.memory);
    if (!m) {
      m = new Map();
      this.byMemory.set(input.memory, m);
    }
    m.set(ConstructMemo.key(input), { input, result });
  }

  one(input: ConstructInput): ConstructResult {
    const hit = this.find(input);
    if (hit) return hit;
    const result = this.inner.one(input);
    this.store(input, result);
    return result;
  }

  batch(inputs: ConstructInput[]): ConstructResult[] {
    const missing = inputs.filter((i) => !this.find(i));
    if (missing.length) {
      const results = this.inner.batch(missing);
      missing.forEach((input, k) => this.store(input, results[k]));
    }
    return inputs.map((i) => this.find(i)!);
  }

  /** Constructs, in one call, what the policies will most likely ask for these platforms. */
  prefetch(platforms: Platform[]): void {
    const inputs = platforms.map((p) => ({ ...toConstructInput(p), dynamicPamt: p.module.features.dynamicPamt }));
    const missing = inputs.filter((i) => i.memory.length && !this.find(i));
    if (missing.length > 1) this.batch(missing);
  }
}

export class SweepEvaluator {
  private readonly builder: PlatformBuilder;
  private readonly engine: ConstructMemo;
  private readonly idx: number[];
  private readonly platformAxes: number[];

  constructor(
    private readonly plan: SweepPlan,
    engine: ConstructEngine,
  ) {
    this.builder = new PlatformBuilder(plan);
    this.engine = new ConstructMemo(engine);
    this.idx = new Array(plan.axes.length);
    this.platformAxes = plan.axes.flatMap((a, i) => (a.kind === 'structural' || a.kind === 'set' ? [i] : []));
  }

  private values(index: number): { values: unknown[]; key: string } {
    const { plan } = this;
    if (plan.mode === 'list') {
      const values = plan.entries[index];
      return { values, key: this.builder.keyOfValues(values) };
    }
    gridValueIndices(plan, index, this.idx);
    let key = '';
    for (const a of this.platformAxes) key += `${this.idx[a]},`;
    return { values: this.idx.map((k, a) => plan.axes[a].values[k]), key };
  }

  evaluate(range: RowRange): ChunkRows {
    const { count } = range;
    const nums = new Float64Array(count * NUMS).fill(NaN);
    const strs: string[] = new Array(count * STRS).fill('');
    const setups = [];
    for (let i = 0; i < count; i++) {
      const { values, key } = this.values(range.start + i * range.step);
      setups.push(this.builder.setup(values, key));
    }
    const platforms = new Set<Platform>();
    for (const s of setups) if (!('invalid' in s)) platforms.add(s.platform);
    this.engine.prefetch([...platforms]);
    for (let i = 0; i < count; i++) {
      const s = setups[i];
      const n = i * NUMS;
      const t = i * STRS;
      if ('invalid' in s) {
        nums[n] = 0;
        strs[t] = 'INVALID';
        strs[t + 1] = 'input';
        strs[t + 2] = s.invalid;
        continue;
      }
      const p = s.platform;
      let bytes = 0;
      for (const r of p.memory) bytes += r.end - r.start;
      // GiB to the MiB (3 decimals): exact for any memory map of whole MiB ranges.
      nums[n + 9] = Math.round((bytes / 2 ** 30) * 1000) / 1000;
      nums[n + 10] = p.cpus.lps.length;
      nums[n + 11] = p.cpus.packages;
      const costs = costValuesWith(s.platform, s.costOverrides);
      // parameters feed only the report's parameter table, which a row does not have.
      const m = simulateSummary(s.platform, { policy: s.policy, engine: this.engine, costs, parameters: [] });
      nums[n] = m.outcome.initialized ? 1 : 0;
      nums[n + 1] = m.tdmrsUsed;
      nums[n + 2] = m.reservedAreasUsed;
      nums[n + 3] = m.pamtKb;
      nums[n + 4] = m.initUs;
      nums[n + 5] = m.tdmrInitUs;
      nums[n + 6] = m.readyP50Us ?? NaN;
      nums[n + 7] = m.readyP100Us ?? NaN;
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
    return { count, nums, strs };
  }
}
