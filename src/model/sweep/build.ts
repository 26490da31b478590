// From a row's axis values to a validated platform, a policy and cost overrides.
//
// Validation is the expensive part of building (tens of µs for a preset), and in a grid most
// rows share their platform with their neighbours: the axes that do not touch the document
// (policy, costs.*) vary fastest when written last, and the platform-changing ones repeat in
// runs. Platforms are therefore cached by the values of the platform-changing axes only, and
// rebuilt memory maps by (memory per socket, sockets, SNC), each cache holding as many entries
// as the grid can ask for again (recurrence()): none when every row is a new platform, because
// what a cache holds outlives the young generation, and its copying and promotion were most of
// a structural row's garbage-collection time.

import { InputError } from '../../platform/errors.js';
import { parseU64 } from '../../platform/units.js';
import { applySets } from '../../platform/load.js';
import { adoptMemorySide, validateCpus, validateMemorySide, validatePlatform, type MemorySideParts } from '../../platform/validate.js';
import type { Cpus, Platform } from '../../platform/types.js';
import type { NodeRange } from '../../construct/types.js';
import { buildLayout, distances, layoutRefusal, type LayoutDoc } from '../../platform/presets/socketMemoryMap.js';
import { prepare, prepareCpus, type PreparedCpus, type PreparedPlatform } from '../prepared.js';
import type { SweepPlan } from './spec.js';
import { socketLayout } from './inferSocketLayout.js';
import { maxOf } from '../../util/extent.js';

const GiB = 2 ** 30;
const PLATFORM_CACHE = 256;

/** A row that cannot be built: its combination of values breaks a platform rule. */
export interface InvalidRow {
  invalid: string;
}

export class PlatformBuilder {
  private readonly platformAxes: number[] = [];
  /** The cost axes (index and parameter name) and the policy axis (-1: none): what a row sets besides its platform. */
  readonly costAxes: { axis: number; name: string }[] = [];
  readonly policyAxis: number = -1;
  /** Entries worth keeping: platforms, rebuilt memory maps (see recurrence()), memoryPerSocket values. */
  private readonly platformRoom: number;
  private readonly layoutRoom: number;
  private readonly valueRoom: number;
  /** The prepared platforms of recent rows (their constructions and verdicts go with them). */
  private readonly cache = new Map<string, PreparedPlatform | InvalidRow>();
  private readonly layouts = new Map<string, LayoutDoc>();
  private readonly distanceMatrices = new Map<string, number[][]>();
  /** memoryPerSocket values in GiB, by the value as written. */
  private readonly perSocketGiB = new Map<string | number, number>();
  /** The base with a row's sets applied, validated (see restOf); shared by the rows' platforms. */
  private readonly rests = new Map<string, Platform | null>();
  /**
   * Validated CPU sections and what the model derives from them, by what the section is made
   * of (cpusMadeOf) and the NUMA nodes:
   * rows that change only memory share them (a structural sweep builds thousands of platforms
   * from a handful of CPU sections). Shared only among this builder's platforms, which never
   * leave the sweep; a library user's validatePlatform() gets a list of its own.
   */
  private readonly cpuParts = new Map<string, { cpus: Cpus; prepared: PreparedCpus }>();

  constructor(private readonly plan: SweepPlan) {
    plan.axes.forEach((a, i) => {
      if (a.kind === 'structural' || a.kind === 'set') this.platformAxes.push(i);
      else if (a.kind === 'cost') this.costAxes.push({ axis: i, name: a.name.slice('costs.'.length) });
      else if (a.kind === 'policy') (this as { policyAxis: number }).policyAxis = i;
    });
    this.platformRoom = recurrence(plan, (_, i) => this.platformAxes.includes(i));
    this.layoutRoom = recurrence(plan, (a) => a.name === 'memoryPerSocket' || a.name === 'sockets' || a.name === 'snc');
    // A grid's memoryPerSocket values are all kept (the plan holds them anyway; a value comes
    // back once per combination of the axes written before it).
    this.valueRoom = Math.max(PLATFORM_CACHE, plan.mode === 'grid' ? (plan.axes.find((a) => a.name === 'memoryPerSocket')?.values.length ?? 0) : 0);
  }

  /** Whether setup() reads its key: rows' platforms are remembered (see recurrence()). */
  get keyed(): boolean {
    return this.platformRoom > 0;
  }

  /**
   * The platform of a row (its policy and costs are the values of policyAxis and costAxes).
   * `key` identifies the row's values of the platform-changing axes (the caller has them as
   * value indices, cheaper than the values); '' will do when the builder is not `keyed`.
   */
  platformOf(values: unknown[], key: string): PreparedPlatform | InvalidRow {
    return remembered(this.cache, key, () => this.build(values), this.platformRoom);
  }

  /** The key of a row given its values, for callers without value indices (lists). */
  keyOfValues(values: unknown[]): string {
    return JSON.stringify(this.platformAxes.map((a) => values[a] ?? null));
  }

  private build(values: unknown[]): PreparedPlatform | InvalidRow {
    const { plan } = this;
    // The base is shared by every row: copy only what a row changes (a structural axis
    // replaces whole members; a set axis writes along its path, so that path is copied).
    const doc: Record<string, unknown> = { ...plan.base };
    const sets: string[] = [];
    const setPaths: string[][] = [];
    const s: Record<string, unknown> = {};
    for (const a of this.platformAxes) {
      const v = values[a];
      if (v === undefined) continue;
      const axis = plan.axes[a];
      if (axis.kind === 'structural') s[axis.name] = v;
      else {
        const path = axis.name.split('.');
        copyPath(doc, path);
        setPaths.push(path);
        sets.push(`${axis.name}=${JSON.stringify(v)}`);
      }
    }
    try {
      const rebuilt = this.applyStructural(doc, s);
      if (typeof rebuilt === 'string') return { invalid: rebuilt };
      applySets(doc, sets);
      let parts: { cpus: Cpus; prepared: PreparedCpus } | undefined;
      const made = this.cpusMadeOf(s, sets, setPaths);
      const readCpus = (section: unknown, memory: NodeRange[]): Cpus => (parts = this.cpusOf(section, made, memory)).cpus;
      // The row's document differs from the base with its sets only in what the structural
      // axes rebuild: when that validates, only the rebuilt part is validated again.
      const rest = this.restOf(sets, setPaths);
      // A rebuilt map is made in validated form: unless a set replaced its distances, it is
      // checked as it is and becomes the platform's (adoptMemorySide), with no copy.
      const adopted = rest && rebuilt && doc.nodeDistance === rebuilt.nodeDistance ? adoptMemorySide(rebuilt, doc.cpus, rest, readCpus) : null;
      const platform = adopted ?? (rest ? validateMemorySide(doc, rest, readCpus) : validatePlatform(doc, readCpus));
      return prepare(platform, parts!.prepared);
    } catch (e) {
      if (e instanceof InputError) return { invalid: e.message };
      throw e;
    }
  }

  /**
   * The base with these sets applied, validated once per set of values; null when it does not
   * validate (then each row validates its whole document, which names the first error).
   */
  private restOf(sets: string[], paths: string[][]): Platform | null {
    return remembered(this.rests, sets.join('\n'), () => {
      const doc: Record<string, unknown> = { ...this.plan.base };
      for (const path of paths) copyPath(doc, path);
      try {
        applySets(doc, sets);
        return validatePlatform(doc);
      } catch {
        return null;
      }
    });
  }

  /** A memoryPerSocket value in GiB, parsed once per axis value (a grid repeats each one many times). */
  private gibOf(value: unknown): number {
    const parse = (): number => Number(parseU64(value, 'memoryPerSocket', true)) / GiB;
    return typeof value === 'string' || typeof value === 'number' ? remembered(this.perSocketGiB, value, parse, this.valueRoom) : parse();
  }

  /**
   * What a row's cpus section is made of beyond the base's (which every row shares): the
   * packages that a rebuilt memory map writes, the CPU axes, the sets under cpus. The spec
   * checked those axes' values (whole numbers, booleans), so their text tells them apart; this
   * stands for the section's JSON at a fraction of the cost.
   */
  private cpusMadeOf(s: Record<string, unknown>, sets: string[], paths: string[][]): string {
    const l = this.plan.layout;
    const rebuilt = !l.explicitLps && ('memoryPerSocket' in s || 'sockets' in s || 'snc' in s);
    let made = `${rebuilt ? (s.sockets ?? l.sockets) : '-'}/${s.coresPerSocket ?? '-'}/${s.smt ?? '-'}`;
    for (let k = 0; k < sets.length; k++) if (paths[k][0] === 'cpus') made += `|${sets[k]}`;
    return made;
  }

  /** The cpus section (made of `made`, see cpusMadeOf) validated for these memory nodes. */
  private cpusOf(section: unknown, made: string, memory: NodeRange[]): { cpus: Cpus; prepared: PreparedCpus } {
    let nodes = '';
    let last = -1;
    for (const m of memory) if (m.node !== last) nodes += `${(last = m.node)},`;
    return remembered(this.cpuParts, `${made}|${nodes}`, () => {
      const cpus = validateCpus(section, memory);
      return { cpus, prepared: prepareCpus(cpus) };
    });
  }

  /** One matrix per socket layout (validation copies what it keeps). */
  private distanceMatrix(sockets: number, snc: number, sl: Parameters<typeof distances>[0]): number[][] {
    const key = `${sockets}/${snc}`;
    let m = this.distanceMatrices.get(key);
    if (!m) this.distanceMatrices.set(key, (m = withHotplugNodes(distances(sl, 12, 21), this.plan.layout.hotplugNodes)));
    return m;
  }

  /**
   * Writes the structural axes' values into doc, and returns the memory side it rebuilt (if it
   * did), or why the socket layout is refused.
   */
  private applyStructural(doc: Record<string, unknown>, s: Record<string, unknown>): MemorySideParts | string | undefined {
    let rebuilt: MemorySideParts | undefined;
    const l = this.plan.layout;
    if ('memoryPerSocket' in s || 'sockets' in s || 'snc' in s) {
      const gib = s.memoryPerSocket !== undefined ? this.gibOf(s.memoryPerSocket) : l.dramPerSocketGiB!;
      const sockets = (s.sockets as number | undefined) ?? l.sockets;
      const snc = (s.snc as number | undefined) ?? l.snc;
      const sl = socketLayout(l, gib, sockets, snc);
      // A refused layout is the row's result: asked, not thrown (an Error costs µs to make).
      const refused = layoutRefusal(sl);
      if (refused) return refused;
      const layout = remembered(this.layouts, `${gib}/${sockets}/${snc}`, () => buildLayout(l.low, sl, Number), this.layoutRoom);
      // Socket 0 gives its first 2 GiB to the low map and keeps a top gap: a small socket can
      // be left with an empty node, which validation would report only as a range error.
      const empty = layout.memory.find((m) => Number(m.end) <= Number(m.start));
      if (empty) {
        throw new InputError('memoryPerSocket', `${gib} GiB per socket with SNC${snc} leaves node ${empty.node} no memory (socket 0 holds its first 2 GiB below 4 GiB and ${l.topGapMiB[0]} MiB at its top)`);
      }
      // Built with addr = Number: plain numbers in the shapes validation makes.
      const numeric = layout as unknown as Omit<MemorySideParts, 'nodeDistance'>;
      rebuilt = { memory: numeric.memory, reserved: numeric.reserved, cmrs: numeric.cmrs, nodeDistance: this.distanceMatrix(sockets, snc, sl) };
      doc.memory = rebuilt.memory;
      doc.cmrs = rebuilt.cmrs;
      doc.reserved = rebuilt.reserved;
      doc.nodeDistance = rebuilt.nodeDistance;
      if (!l.explicitLps) doc.cpus = { ...(doc.cpus as object | undefined), packages: sockets };
    }
    if ('coresPerSocket' in s || 'smt' in s) {
      const cpus = { ...(doc.cpus as Record<string, unknown> | undefined) };
      if (s.coresPerSocket !== undefined) cpus.coresPerPackage = s.coresPerSocket;
      if (s.smt !== undefined) cpus.threadsPerCore = s.smt ? 2 : 1;
      doc.cpus = cpus;
    }
    return rebuilt;
  }
}

/**
 * map's value for key, or make()'s, remembered in a map of at most `room` entries (Map keeps
 * insertion order: the entry stored first is dropped first; room 0: nothing is kept).
 */
function remembered<K, V>(map: Map<K, V>, key: K, make: () => V, room = PLATFORM_CACHE): V {
  if (room === 0) return make();
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    if (map.size >= room) map.delete(map.keys().next().value!);
    map.set(key, v);
  }
  return v;
}

/**
 * How many entries a cache keyed by the values of some axes (`keyed`) needs so that a grid
 * finds every key it asks for again: grid rows are lexicographic, the last axis fastest, so a
 * key comes back once the keyed axes that vary faster than the slowest other axis have gone
 * through their combinations, and not at all when every axis is keyed (each row its own key).
 * At most PLATFORM_CACHE; a list may repeat anything, so it gets that.
 */
function recurrence(plan: SweepPlan, keyed: (axis: SweepPlan['axes'][number], i: number) => boolean): number {
  if (plan.mode === 'list') return PLATFORM_CACHE;
  const slowestOther = plan.axes.findIndex((a, i) => !keyed(a, i));
  if (slowestOther < 0) return 0;
  let n = 1;
  for (let i = slowestOther + 1; i < plan.axes.length && n < PLATFORM_CACHE; i++) {
    if (keyed(plan.axes[i], i)) n *= plan.axes[i].values.length;
  }
  return Math.min(n, PLATFORM_CACHE);
}

/**
 * CPU-less nodes of the base (a CXL expander onlined later) keep a row and column: distance 30
 * to every node, as the built-in CXL preset has for its nearer socket.
 */
function withHotplugNodes(m: number[][], extra: number[]): number[][] {
  if (!extra.length) return m;
  const n = Math.max(m.length, maxOf(extra) + 1);
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 10 : i < m.length && j < m.length ? m[i][j] : 30)));
}

/** Replace each plain object along path (all but its last key) with a shallow copy. */
function copyPath(doc: Record<string, unknown>, path: string[]): void {
  let o = doc;
  for (const k of path.slice(0, -1)) {
    const child = Object.hasOwn(o, k) ? o[k] : undefined;
    if (typeof child !== 'object' || child === null || Array.isArray(child)) return;
    o = o[k] = { ...(child as Record<string, unknown>) };
  }
}
