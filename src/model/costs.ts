// The cost parameters of cost-model.md §2 and their resolution for one platform. Every value
// carries its provenance label so a report can say which parts of a prediction are measured
// and which rest on placeholders.

import { InputError } from '../platform/errors.js';
import type { Platform } from '../platform/types.js';
import { SZ_4K, SZ_4M, SZ_16M } from '../construct/constants.js';

export type CostLabel = 'measured' | 'derived' | 'assumed' | 'source';

export interface CostParameter {
  name: string;
  /** The default when no platform-dependent rule applies. */
  default: number;
  unit: string;
  label: CostLabel;
  source: string;
  /** Smallest accepted value, and whether it must be strictly greater. */
  min?: { value: number; exclusive: boolean };
  integerMultipleOf?: number;
  /**
   * The plausible values, inclusive: anything outside is a typo or a unit mistake, and would
   * make a report print nonsense ("initialized in Infinity"), so it is refused.
   */
  range: { min: number; max: number };
  /** A default that depends on the platform (CPU model, module features); undefined = `default`. */
  platformDefault?: (p: Platform) => { value: number; source: string } | undefined;
  /** Shown for reference but not settable: a property of the TDX module, not a cost (why, in one line). */
  fixed?: string;
}


const positive = { value: 0, exclusive: true };

/**
 * Default boot-to-boot σ of the TDMR.INIT phase, derived from the shipped real windows (see its
 * source text; test/interval.realLogs.test.ts recomputes it). Two hosts with one memory layout
 * have taken 2.19 s and 4.04 s, so a boot's TDMR.INIT speed is not one number.
 */
export const TDMR_INIT_BOOT_SIGMA = 0.18;

// Plausible ranges (inclusive), generous by orders of magnitude around every published or
// assumed figure; they only stop typos and unit mistakes.
/** One SEAMCALL or kernel step: up to 10 s. */
const US_STEP = { min: 0, max: 1e7 };
/** One TDH.SYS.TDMR.INIT call: 10 ns to 100 ms (published figures: 7–17 µs). */
const US_CALL = { min: 0.01, max: 1e5 };
/** A whole calibration intercept: up to 100 s. */
const US_WINDOW = { min: 0, max: 1e8 };
/** Bandwidths: 10 MB/s to 100 TB/s. */
const GBPS = { min: 0.01, max: 1e5 };
/** Per memory block and TDMR in construction: up to 10 ms. */
const NS = { min: 0, max: 1e7 };
/** A log-normal σ of 3 already spreads p1–p99 over a factor of 10^6. */
const SIGMA = { min: 0, max: 3 };
/** 4 KiB to 1 GiB of TDMR per call. */
const CHUNK = { min: SZ_4K, max: 1 << 30 };
const nonNegative = { value: 0, exclusive: false };

/**
 * Theoretical peak DRAM write bandwidth per package, GB/s: channels × MT/s × 8 bytes. Emerald
 * Rapids is kept at the Sapphire Rapids figure (cost-model.md groups them; both are 8-channel
 * parts) even though it supports DDR5-5600, so the two generations compare on TDX work alone.
 */
const MEM_WRITE_GBPS: Record<string, { value: number; why: string }> = {
  sapphirerapids: { value: 300, why: '8 DDR5-4800 channels × 8 B ≈ 307 GB/s peak, rounded down' },
  emeraldrapids: { value: 300, why: '8 DDR5 channels, kept at the Sapphire Rapids figure (cost-model.md §2)' },
  graniterapids: { value: 614, why: '12 DDR5-6400 channels × 8 B ≈ 614 GB/s peak' },
};

/** Per-package memory write bandwidth for a CPU model (GB/s); unknown models get the SPR figure. */
export function memWriteBandwidthGBps(model: string): number {
  return (MEM_WRITE_GBPS[model.toLowerCase()] ?? MEM_WRITE_GBPS.sapphirerapids).value;
}

export const COST_PARAMETERS: readonly CostParameter[] = [
  {
    name: 'tdmrInitCallUs', default: 9, unit: 'µs', label: 'derived', range: US_CALL, min: positive,
    source: "~7 µs per 4 MiB call measured on a 64 GB 2-socket host (2022, Kai Huang's TDMR-init changelog); published 1.5-module init windows imply 7–17 µs",
  },
  {
    name: 'tdmrChunkBytes', default: SZ_4M, unit: 'bytes', label: 'source', range: CHUNK, min: positive, integerMultipleOf: SZ_4K,
    source: 'intel/tdx-module tdh_sys_tdmr_init.c: 4 MiB of TDMR per TDH.SYS.TDMR.INIT call (16 MiB with Dynamic PAMT)',
    // The module walks a TDMR in chunks of a size compiled into it (tdh_sys_tdmr_init.c); the
    // caller passes only the TDMR base, so no kernel or platform setting can change the count.
    fixed: 'fixed by the TDX module (intel/tdx-module tdh_sys_tdmr_init.c: 4 MiB of TDMR per TDH.SYS.TDMR.INIT call, 16 MiB with Dynamic PAMT; the caller passes only the TDMR base): not settable; to change the call count use module.features.dynamicPamt, to change its cost costs.tdmrInitCallUs',
    platformDefault: (p) => (p.module.features.dynamicPamt
      ? { value: SZ_16M, source: 'intel/tdx-module: 16 MiB per TDH.SYS.TDMR.INIT call with Dynamic PAMT' }
      : undefined),
  },
  { name: 'lpInitUs', default: 20, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'no public number' },
  { name: 'cpuOnlineCallbackUs', default: 5, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'no public number' },
  { name: 'ipiBroadcastUs', default: 10, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'no public number' },
  { name: 'sysInitUs', default: 100, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'no public number' },
  { name: 'sysRdUs', default: 1, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'no public number (one metadata field read)' },
  { name: 'sysInfoUs', default: 20, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'no public number (1024-byte info struct + 32 CMR slots)' },
  { name: 'configUs', default: 50, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'module CONFIG work is O(TDMRs²), tiny' },
  { name: 'configPerTdmrUs', default: 5, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'module CONFIG work is O(TDMRs²), tiny' },
  { name: 'wbinvdUs', default: 5000, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'flushing a 100–500 MB last-level cache' },
  { name: 'smpCallOnCpuUs', default: 20, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'no public number' },
  { name: 'keyConfigUs', default: 50, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'PCONFIG key programming, no public number' },
  { name: 'allocFixedUs', default: 50, unit: 'µs', label: 'assumed', range: US_STEP, min: nonNegative, source: 'contiguous allocation at a mostly idle time' },
  { name: 'allocBandwidthGBps', default: 20, unit: 'GB/s', label: 'assumed', range: GBPS, min: positive, source: 'contiguous allocation (migration + zeroing) at a mostly idle time' },
  { name: 'movdir64bBandwidthGBps', default: 5, unit: 'GB/s', label: 'assumed', range: GBPS, min: positive, source: 'MOVDIR64B PAMT reset on the error path, per core' },
  {
    name: 'memWriteBandwidthGBps', default: MEM_WRITE_GBPS.sapphirerapids.value, unit: 'GB/s', label: 'derived', range: GBPS, min: positive,
    source: 'theoretical peak per package: 8 DDR5-4800 channels × 8 B (Sapphire Rapids/Emerald Rapids); Granite Rapids 12 × 6400 MT/s ≈ 614 GB/s',
    platformDefault: (p) => {
      const m = MEM_WRITE_GBPS[p.cpus.model.toLowerCase()];
      if (m) return { value: m.value, source: `${p.cpus.model}: ${m.why}` };
      return { value: MEM_WRITE_GBPS.sapphirerapids.value, source: `unknown CPU model "${p.cpus.model}": the Sapphire Rapids figure is used` };
    },
  },
  {
    name: 'constructPerBlockTdmrNs', default: 50, unit: 'ns', label: 'assumed', range: NS, min: nonNegative,
    source: 'kernel TDMR construction walks the memory list once per TDMR (node lookup, hole walk); a few cache-resident loop steps each',
  },
  { name: 'lpInitSigma', default: 0, unit: 'σ (log-normal)', label: 'assumed', range: SIGMA, min: nonNegative, source: 'spread of LP.INIT latency; 0 = deterministic' },
  { name: 'tdmrInitSigma', default: 0, unit: 'σ (log-normal)', label: 'assumed', range: SIGMA, min: nonNegative, source: 'spread of TDMR.INIT call latency; 0 = deterministic' },
  {
    name: 'tdmrInitBootSigma', default: TDMR_INIT_BOOT_SIGMA, unit: 'σ (log-normal)', label: 'derived', range: SIGMA, min: nonNegative,
    source: 'boot-to-boot spread of the whole TDMR.INIT phase (one factor e^{σZ} per boot/trial). Derived from the 3 real CMR→PAMT windows shipped in test/data/real-logs: each implies a factor B = (measured − modeled rest of the window) ÷ modeled TDMR.INIT at default parameters, ln B = −0.181 (case-05), +0.170 (case-14), −0.002 (case-15); σ = their sample standard deviation (n − 1), 0.175, rounded to 0.18. Three windows make it rough. 80% of boots fall within e^±1.28σ (×0.79 to ×1.26) of the modeled phase',
  },
  {
    name: 'fixedOverheadUs', default: 0, unit: 'µs', label: 'assumed', range: US_WINDOW, min: nonNegative,
    source: 'calibration intercept: time in a log window the other parameters do not explain',
  },
];

const BY_NAME = new Map(COST_PARAMETERS.map((p) => [p.name, p]));
/** Every parameter's default, in COST_PARAMETERS order (copied, then the platform's values written in). */
const DEFAULT_VALUES: Readonly<Record<string, number>> = Object.fromEntries(COST_PARAMETERS.map((p) => [p.name, p.default]));
const PLATFORM_DEPENDENT = COST_PARAMETERS.filter((p) => p.platformDefault);
const SIGMA_SUFFIX = 'Sigma';

// cost-model.md names the two headline spreads after the steps, not the parameters.
const SIGMA_ALIASES: Record<string, string> = { tdmrInitCallUs: 'tdmrInitSigma', lpInitUs: 'lpInitSigma' };
/** The names a table parameter's spread may be given under, made once from the table. */
const SPREAD_NAMES = new Map(COST_PARAMETERS.map((p) => [p.name, [p.name + SIGMA_SUFFIX, SIGMA_ALIASES[p.name] ?? ''] as const]));

/** The log-normal spread of time parameter `name` in resolved values: `<name>Sigma`, or its short alias; 0 when neither is given. */
export function spreadOf(costs: Readonly<Record<string, number>>, name: string): number {
  const [sigma, alias] = SPREAD_NAMES.get(name) ?? [name + SIGMA_SUFFIX, ''];
  return costs[sigma] ?? costs[alias] ?? 0;
}

export type ResolvedLabel = CostLabel | 'set' | 'override';

export interface ResolvedCost {
  name: string;
  value: number;
  unit: string;
  /** 'set' = given in the platform document, 'override' = given by the caller (command line). */
  label: ResolvedLabel;
  source: string;
}

/** Plain data (no functions), so it crosses to worker threads unchanged. */
export type ResolvedCosts = Record<string, ResolvedCost>;

/**
 * The definition for a name: a table entry, or a log-normal spread `<param>Sigma` of any
 * time parameter in the table (cost-model.md: "sigma parameters", open-ended).
 */
export function costParameter(name: string): CostParameter | undefined {
  const known = BY_NAME.get(name);
  if (known) return known;
  if (name.endsWith(SIGMA_SUFFIX)) {
    const base = BY_NAME.get(name.slice(0, -SIGMA_SUFFIX.length));
    if (base && base.unit === 'µs') {
      return {
        name, default: 0, unit: 'σ (log-normal)', label: 'assumed', min: nonNegative, range: SIGMA,
        source: `spread of ${base.name}; 0 = deterministic`,
      };
    }
  }
  return undefined;
}

function validNames(): string {
  return `${COST_PARAMETERS.filter((p) => !p.fixed).map((p) => p.name).join(', ')}, or <time parameter>Sigma`;
}

function checkValue(def: CostParameter, value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(where, `must be a finite number, got ${String(value)}`);
  }
  if (def.min) {
    const bad = def.min.exclusive ? value <= def.min.value : value < def.min.value;
    if (bad) throw new InputError(where, `must be ${def.min.exclusive ? '>' : '≥'} ${def.min.value} ${def.unit}, got ${value}`);
  }
  if (def.integerMultipleOf !== undefined && (!Number.isInteger(value) || value % def.integerMultipleOf !== 0)) {
    throw new InputError(where, `must be a whole multiple of ${def.integerMultipleOf} ${def.unit}, got ${value}`);
  }
  if (value < def.range.min || value > def.range.max) {
    throw new InputError(where, `must be between ${def.range.min} and ${def.range.max} ${def.unit} (the plausible range), got ${value}`);
  }
  return value;
}

/**
 * Merge defaults < platform.costs < overrides. Unknown names are refused rather than ignored:
 * a misspelt parameter would otherwise leave the default in place without a word.
 */
export function resolveCosts(platform: Platform, overrides: Record<string, number> = {}): ResolvedCosts {
  const out: ResolvedCosts = {};
  for (const def of COST_PARAMETERS) {
    const pd = def.platformDefault?.(platform);
    out[def.name] = {
      name: def.name,
      value: pd ? pd.value : def.default,
      unit: def.unit,
      label: def.label,
      source: pd ? pd.source : def.source,
    };
  }
  const defaults: Record<string, ResolvedCost> = { ...out };
  const apply = (given: Record<string, number>, label: 'set' | 'override', origin: string): void => {
    for (const [name, raw] of Object.entries(given)) {
      const { def, value } = checkedCost(name, raw);
      const prev = out[name];
      const d = defaults[name];
      // Keep the default's provenance: a reader sees what the number replaced and why it existed.
      const dflt = d ? `default ${d.value} ${d.unit} (${d.label}: ${d.source})` : `default ${def.default}`;
      const chain = prev && prev.label === 'set' && label === 'override' ? `; platform document had ${prev.value}` : '';
      out[name] = { name, value, unit: def.unit, label, source: `${origin}${chain}; ${dflt}` };
    }
  };
  apply(platform.costs, 'set', 'set in the platform document');
  apply(overrides, 'override', 'overridden by the caller');
  return out;
}

/** The value of a resolved parameter; a `<param>Sigma` that nobody set is 0. */
export function costValue(costs: ResolvedCosts, name: string): number {
  const c = costs[name];
  if (c) return c.value;
  const def = costParameter(name);
  if (!def) throw new InputError(`costs.${name}`, `unknown cost parameter (valid: ${validNames()})`);
  return def.default;
}

/** Name → value, the form the simulator reads. */
export function costValues(costs: ResolvedCosts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(costs)) out[name] = c.value;
  return out;
}

/**
 * costValues(resolveCosts(platform)), the same names in the same order, without building the
 * provenance of every parameter (a structural sweep resolves one platform per row).
 */
export function platformCostValues(platform: Platform): Record<string, number> {
  const out = { ...DEFAULT_VALUES };
  for (const def of PLATFORM_DEPENDENT) {
    const pd = def.platformDefault!(platform);
    if (pd) out[def.name] = pd.value;
  }
  for (const name of Object.keys(platform.costs)) out[name] = checkedCost(name, platform.costs[name]).value;
  return out;
}

/**
 * costValues(resolveCosts(platform, overrides)) given costValues(resolveCosts(platform)): the
 * same names in the same order, without the provenance strings (what a sweep row needs; the
 * base is resolved once per platform by its PreparedPlatform).
 */
export function costValuesWith(base: Readonly<Record<string, number>>, overrides: Record<string, number>): Record<string, number> {
  const out = { ...base };
  for (const name of Object.keys(overrides)) out[name] = checkedCost(name, overrides[name]).value;
  return out;
}

/** A given value of a named parameter, refused (naming costs.NAME) if the name or value is not valid. */
function checkedCost(name: string, raw: unknown): { def: CostParameter; value: number } {
  const where = `costs.${name}`;
  const def = costParameter(name);
  if (!def) throw new InputError(where, `unknown cost parameter (valid: ${validNames()})`);
  if (def.fixed) throw new InputError(where, def.fixed);
  return { def, value: checkValue(def, raw, where) };
}

/**
 * Refuses cost values that lack a table parameter: time ops read them by name without a check
 * (clock.ts, Clock.costs), so a run's values hold every one.
 */
export function assertCostsDefined(costs: Readonly<Record<string, number>>): void {
  for (const p of COST_PARAMETERS) if (costs[p.name] === undefined) throw new Error(`cost parameter ${p.name} is not defined`);
}
