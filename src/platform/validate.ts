// Validation and normalization of platform documents (platform-format.md §1). Every rule
// names the field path it checks. Rules the *module* or *kernel* enforce (too many packages,
// too few KeyIDs, memory outside CMRs, ...) are not input errors: they are modeled outcomes.

import { invalidField } from './errors.js';
import { ADDR_LIMIT, parsePhys, parseU64, parseInt as parseIntField, isIntIn, describe } from './units.js';
import type { NodeRange, MemRange } from '../construct/types.js';
import type {
  Platform, LabelledRange, Cpus, Lp, ModuleInfo, KeyIds, KernelConfig, HotplugEvent, TdmrSpec, Caller,
} from './types.js';
import { maxOf } from '../util/extent.js';
import { isAligned } from '../construct/align.js';
import {
  DEFAULT_MAX_RESERVED_PER_TDMR, DEFAULT_MAX_TDMRS, DEFAULT_PAMT_ENTRY_SIZE, PAGE_SIZE as PAGE, SZ_1M,
} from '../construct/constants.js';

const MAX_NUMNODES = 1024;
const MAX_CMRS = 32;
const MAX_LPS = 1 << 16;
/**
 * Input limits (README.md, Limits). 4M memory regions construct in ~20 s and 1.6 GB; beyond,
 * a run would exhaust the default heap, so the document is refused with the field path instead.
 */
export const MAX_REGIONS = 1 << 22;
const MAX_HOTPLUG = 1 << 16;
/** Concurrent tdx_enable() callers: a handful in any real system; each is a timeline entry. */
const MAX_CALLERS = 1024;

const TOP_KEYS = new Set([
  'name', 'memory', 'reserved', 'cmrs', 'nodeDistance', 'cpus', 'module', 'keyids', 'kernel',
  'costs', 'hotplug', 'tdmrs', 'description', 'source',
]);

type Obj = Record<string, unknown>;

const MEMORY_KEYS = ['start', 'end', 'node', 'label'];
const RESERVED_KEYS = ['start', 'end', 'label'];
const CMR_KEYS = ['start', 'end'];

/**
 * The fields read with str() below that --set can reach: their value is the text as typed
 * (`--set module.version=1.10` is "1.10", not the number 1.1).
 */
export const STRING_FIELDS: ReadonlySet<string> = new Set(['name', 'description', 'cpus.model', 'module.version', 'kernel.holes', 'kernel.policy']);

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw invalidField(path, `expected an object, got ${describe(v)}`);
  return v;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw invalidField(path, `expected an array, got ${describe(v)}`);
  return v;
}

function bool(v: unknown, path: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw invalidField(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function str(v: unknown, path: string, dflt: string): string {
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw invalidField(path, `expected a string, got ${describe(v)}`);
  return v;
}

/** The path of entry i of a list (i ≥ 0), or of the field itself (i < 0). */
function at(path: string, i: number): string {
  return i < 0 ? path : `${path}[${i}]`;
}

// Called for every entry of every list (millions in a large document): no set, key list or
// path is built per call (an entry's path, `at(path, i)`, is made only for an error).
function knownKeys(o: Obj, path: string, keys: readonly string[] | ReadonlySet<string>, i = -1): void {
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    if (Array.isArray(keys) ? !keys.includes(k) : !(keys as ReadonlySet<string>).has(k)) {
      const p = at(path, i);
      throw invalidField(p ? `${p}.${k}` : k, `unknown field (allowed: ${[...keys].join(', ')})`);
    }
  }
}

function maxLength(list: unknown[], path: string, max: number): void {
  if (list.length > max) throw invalidField(path, `at most ${max} entries (a tdxmodel input limit), got ${list.length}`);
}

/** Entry i of list `path`, an object: checked, with its path made only for an error. */
function entry(list: unknown[], path: string, i: number): Obj {
  const v = list[i];
  return isObj(v) ? v : obj(v, at(path, i));
}

/** An address field of entry i of list `path` (parsePhys, the path made only when parsing is needed). */
function physAt(v: unknown, path: string, i: number, field: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= ADDR_LIMIT) return v + 0;
  return parsePhys(v, `${at(path, i)}.${field}`);
}

/** The [start, end) of entry o (entry i of list `path`; i < 0: the field `path` itself). */
function range(o: Obj, path: string, i: number, pageAligned: boolean): MemRange {
  if (o.start === undefined) throw invalidField(`${at(path, i)}.start`, 'required');
  if (o.end === undefined) throw invalidField(`${at(path, i)}.end`, 'required');
  const start = physAt(o.start, path, i, 'start');
  const end = physAt(o.end, path, i, 'end');
  if (pageAligned) {
    if (!isAligned(start, PAGE)) throw invalidField(`${at(path, i)}.start`, 'must be 4 KiB aligned');
    if (!isAligned(end, PAGE)) throw invalidField(`${at(path, i)}.end`, 'must be 4 KiB aligned');
  }
  if (end <= start) throw invalidField(`${at(path, i)}.end`, `must be above start (ranges are half-open [start, end))`);
  return { start, end };
}

function parseMemory(v: unknown): NodeRange[] {
  if (v === undefined) throw invalidField('memory', 'required (the memblock memory ranges)');
  const list = arr(v, 'memory');
  maxLength(list, 'memory', MAX_REGIONS);
  const out: NodeRange[] = [];
  let prevEnd = -1;
  for (let i = 0; i < list.length; i++) {
    const o = entry(list, 'memory', i);
    knownKeys(o, 'memory', MEMORY_KEYS, i);
    const r = range(o, 'memory', i, true);
    const n = o.node;
    const node = n === undefined ? 0 : isIntIn(n, 0, MAX_NUMNODES - 1) ? n + 0 : parseIntField(n, `memory[${i}].node`, 0, MAX_NUMNODES - 1);
    if (r.start < prevEnd) {
      throw invalidField(`memory[${i}].start`, 'memory must be ascending and non-overlapping');
    }
    prevEnd = r.end;
    const last = out[out.length - 1];
    // memblock merges touching regions of the same node into one.
    if (last && last.end === r.start && last.node === node) last.end = r.end;
    else out.push({ start: r.start, end: r.end, node });
  }
  return out;
}

function parseReserved(v: unknown): LabelledRange[] {
  if (v === undefined) return [];
  const list = arr(v, 'reserved');
  maxLength(list, 'reserved', MAX_REGIONS);
  const out: LabelledRange[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const o = entry(list, 'reserved', i);
    knownKeys(o, 'reserved', RESERVED_KEYS, i);
    const r = range(o, 'reserved', i, false) as LabelledRange;
    if (o.label !== undefined) r.label = typeof o.label === 'string' ? o.label : str(o.label, `reserved[${i}].label`, '');
    out[i] = r;
  }
  return out;
}

/** Default CMRs: the memory regions with touching ones merged, first 1 MiB cut. */
export function defaultCmrs(memory: NodeRange[]): MemRange[] {
  const out: MemRange[] = [];
  for (const m of memory) {
    const start = Math.max(m.start, SZ_1M);
    if (start >= m.end) continue;
    const last = out[out.length - 1];
    if (last && last.end === start) last.end = m.end;
    else out.push({ start, end: m.end });
  }
  return out;
}

function parseCmrs(v: unknown, memory: NodeRange[]): { cmrs: MemRange[]; given: boolean } {
  if (v === undefined) return { cmrs: defaultCmrs(memory), given: false };
  const list = arr(v, 'cmrs');
  if (list.length > MAX_CMRS) throw invalidField('cmrs', `at most ${MAX_CMRS} CMRs (the MCHECK limit), got ${list.length}`);
  const out: MemRange[] = [];
  let prevEnd = -1;
  for (let i = 0; i < list.length; i++) {
    const o = entry(list, 'cmrs', i);
    knownKeys(o, 'cmrs', CMR_KEYS, i);
    const r = range(o, 'cmrs', i, true);
    if (r.start < prevEnd) throw invalidField(`cmrs[${i}].start`, 'CMRs must be ascending and non-overlapping');
    prevEnd = r.end;
    out.push(r);
  }
  return { cmrs: out, given: true };
}

function maxNodeOf(memory: NodeRange[], hotplug: HotplugEvent[]): number {
  let maxNode = 0;
  for (const m of memory) maxNode = Math.max(maxNode, m.node);
  for (const h of hotplug) maxNode = Math.max(maxNode, h.node);
  return maxNode;
}

function parseDistanceMatrix(v: unknown, memory: NodeRange[], hotplug: HotplugEvent[]): number[][] {
  const dim = maxNodeOf(memory, hotplug) + 1;
  if (v === undefined) {
    return Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => (i === j ? 10 : 20)));
  }
  const rows = arr(v, 'nodeDistance');
  maxLength(rows, 'nodeDistance', MAX_NUMNODES);
  if (rows.length < dim) {
    throw invalidField('nodeDistance', `node ${rows.length} has no distance entries (need a ${dim}×${dim} matrix)`);
  }
  return rows.map((row, i) => {
    const cols = arr(row, `nodeDistance[${i}]`);
    if (cols.length !== rows.length) {
      throw invalidField(`nodeDistance[${i}]`, `must have ${rows.length} entries (a square matrix), got ${cols.length}`);
    }
    // The path is made only for a cell that needs parsing (a matrix has up to 1024² cells).
    return cols.map((d, j) => (isIntIn(d, 0, 255) ? d + 0 : parseIntField(d, `nodeDistance[${i}][${j}]`, 0, 255)));
  });
}

/** LP ids follow Linux on Intel servers: thread-major, then package, then core. */
export function lpsFromCounts(packages: number, cores: number, threads: number, nodeOfPackage: (p: number) => number): Lp[] {
  const lps: Lp[] = [];
  for (let t = 0; t < threads; t++) {
    for (let p = 0; p < packages; p++) {
      for (let c = 0; c < cores; c++) {
        lps.push({ id: t * packages * cores + p * cores + c, package: p, core: c, thread: t, node: nodeOfPackage(p), online: true, offlinedAfterLpInit: false });
      }
    }
  }
  return lps;
}

/** The `cpus` section of a document with these memory nodes, validated (a new, unshared LP list). */
export function validateCpus(v: unknown, memory: NodeRange[]): Cpus {
  const nodes = [...new Set(memory.map((m) => m.node))].sort((a, b) => a - b);
  const o = v === undefined ? {} : obj(v, 'cpus');
  knownKeys(o, 'cpus', ['packages', 'coresPerPackage', 'threadsPerCore', 'offline', 'offlinedAfterLpInit', 'x2apic', 'model', 'lps']);
  const x2apic = bool(o.x2apic, 'cpus.x2apic', true);
  const model = str(o.model, 'cpus.model', 'sapphirerapids');
  let lps: Lp[];
  let packages: number;
  let coresPerPackage: number;
  let threadsPerCore: number;
  if (o.lps !== undefined) {
    if (o.packages !== undefined || o.coresPerPackage !== undefined || o.threadsPerCore !== undefined) {
      throw invalidField('cpus.lps', 'give either an explicit "lps" list or the counts, not both');
    }
    const list = arr(o.lps, 'cpus.lps');
    if (list.length === 0) throw invalidField('cpus.lps', 'must list at least one LP');
    if (list.length > MAX_LPS) throw invalidField('cpus.lps', `at most ${MAX_LPS} LPs`);
    const seen = new Set<number>();
    lps = list.map((e, i) => {
      const path = `cpus.lps[${i}]`;
      const l = obj(e, path);
      knownKeys(l, path, ['id', 'package', 'core', 'thread', 'node', 'online']);
      const id = parseIntField(l.id, `${path}.id`, 0, MAX_LPS - 1);
      if (seen.has(id)) throw invalidField(`${path}.id`, `LP id ${id} is listed twice`);
      seen.add(id);
      return {
        id,
        package: parseIntField(l.package ?? 0, `${path}.package`, 0, 255),
        core: parseIntField(l.core ?? 0, `${path}.core`, 0, MAX_LPS),
        thread: parseIntField(l.thread ?? 0, `${path}.thread`, 0, 255),
        node: parseIntField(l.node ?? 0, `${path}.node`, 0, MAX_NUMNODES - 1),
        online: bool(l.online, `${path}.online`, true),
        offlinedAfterLpInit: false,
      };
    });
    lps.sort((a, b) => a.id - b.id);
    packages = new Set(lps.map((l) => l.package)).size;
    coresPerPackage = maxOf(lps.map((l) => l.core)) + 1;
    threadsPerCore = maxOf(lps.map((l) => l.thread)) + 1;
  } else {
    packages = o.packages === undefined ? Math.max(1, nodes.length) : parseIntField(o.packages, 'cpus.packages', 1, 64);
    coresPerPackage = o.coresPerPackage === undefined ? 32 : parseIntField(o.coresPerPackage, 'cpus.coresPerPackage', 1, 4096);
    threadsPerCore = o.threadsPerCore === undefined ? 2 : parseIntField(o.threadsPerCore, 'cpus.threadsPerCore', 1, 8);
    if (packages * coresPerPackage * threadsPerCore > MAX_LPS) {
      throw invalidField('cpus', `at most ${MAX_LPS} LPs in all`);
    }
    // Packages map onto NUMA nodes in order (sub-NUMA clustering gives a package several).
    const perPkg = Math.max(1, Math.floor(nodes.length / packages));
    const nodeOf = (p: number): number => nodes[Math.min(nodes.length - 1, p * perPkg)] ?? 0;
    lps = lpsFromCounts(packages, coresPerPackage, threadsPerCore, nodeOf);
  }
  if (o.offline !== undefined) {
    if (o.offline === 'smt') {
      for (const l of lps) if (l.thread > 0) l.online = false;
    } else {
      const byId = new Map(lps.map((l) => [l.id, l]));
      arr(o.offline, 'cpus.offline').forEach((e, i) => {
        const id = parseIntField(e, `cpus.offline[${i}]`, 0, MAX_LPS - 1);
        const lp = byId.get(id);
        if (!lp) throw invalidField(`cpus.offline[${i}]`, `LP ${id} does not exist (LP ids 0..${lps.length - 1})`);
        lp.online = false;
      });
    }
  }
  if (o.offlinedAfterLpInit !== undefined) {
    const byId = new Map(lps.map((l) => [l.id, l]));
    arr(o.offlinedAfterLpInit, 'cpus.offlinedAfterLpInit').forEach((e, i) => {
      const id = parseIntField(e, `cpus.offlinedAfterLpInit[${i}]`, 0, MAX_LPS - 1);
      const lp = byId.get(id);
      if (!lp) throw invalidField(`cpus.offlinedAfterLpInit[${i}]`, `LP ${id} does not exist`);
      if (!lp.online) throw invalidField(`cpus.offlinedAfterLpInit[${i}]`, `LP ${id} is already listed as offline`);
      lp.online = false;
      lp.offlinedAfterLpInit = true;
    });
  }
  return { packages, coresPerPackage, threadsPerCore, lps, x2apic, model };
}

function parseModule(v: unknown): ModuleInfo {
  const o = v === undefined ? {} : obj(v, 'module');
  knownKeys(o, 'module', ['loaded', 'version', 'maxTdmrs', 'maxReservedPerTdmr', 'pamtEntrySize4k', 'pamtEntrySize2m', 'pamtEntrySize1g', 'features']);
  const f = o.features === undefined ? {} : obj(o.features, 'module.features');
  knownKeys(f, 'module.features', ['noRbpMod', 'dynamicPamt']);
  const version = str(o.version, 'module.version', '1.5.06');
  if (!/^[0-9]+\.[0-9]+(\.[0-9]+)*$/.test(version)) throw invalidField('module.version', `expected a version such as "1.5.06", got "${version}"`);
  const limit = (k: string, d: number, max: number): number => (o[k] === undefined ? d : parseIntField(o[k], `module.${k}`, 1, max));
  return {
    loaded: bool(o.loaded, 'module.loaded', true),
    version,
    maxTdmrs: limit('maxTdmrs', DEFAULT_MAX_TDMRS, 0x7fffffff),
    maxReservedPerTdmr: limit('maxReservedPerTdmr', DEFAULT_MAX_RESERVED_PER_TDMR, 0x7fffffff),
    pamtEntrySize4k: limit('pamtEntrySize4k', DEFAULT_PAMT_ENTRY_SIZE, 0xffff),
    pamtEntrySize2m: limit('pamtEntrySize2m', DEFAULT_PAMT_ENTRY_SIZE, 0xffff),
    pamtEntrySize1g: limit('pamtEntrySize1g', DEFAULT_PAMT_ENTRY_SIZE, 0xffff),
    features: {
      noRbpMod: bool(f.noRbpMod, 'module.features.noRbpMod', true),
      dynamicPamt: bool(f.dynamicPamt, 'module.features.dynamicPamt', false),
    },
  };
}

function parseKeyids(v: unknown): KeyIds {
  const o = v === undefined ? {} : obj(v, 'keyids');
  knownKeys(o, 'keyids', ['mktme', 'tdx']);
  // IA32_MKTME_KEYID_PARTITIONING holds each count in 32 bits.
  return {
    mktme: o.mktme === undefined ? 31 : parseIntField(o.mktme, 'keyids.mktme', 0, 0xffffffff),
    tdx: o.tdx === undefined ? 32 : parseIntField(o.tdx, 'keyids.tdx', 0, 0xffffffff),
  };
}

/** A kernel release as `uname -r` prints it: MAJOR.MINOR first. A number is refused: 6.10 would read as 6.1. */
function parseKernelVersion(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') throw invalidField('kernel.version', `write the release as a string ("${v}" as JSON, or --set 'kernel.version="${v}"'): as a number 6.10 would read as 6.1`);
  if (typeof v !== 'string') throw invalidField('kernel.version', `expected a string like "6.8.0-1007-intel", got ${describe(v)}`);
  if (!/^\d{1,4}\.\d{1,4}(?:[.\-+~_][0-9A-Za-z.\-+~_]*)?$/.test(v) || v.length > 200) {
    throw invalidField('kernel.version', `expected a release like "6.8.0-1007-intel" (MAJOR.MINOR first), got "${v.slice(0, 60)}"`);
  }
  return v;
}

function parseKernel(v: unknown): KernelConfig {
  const o = v === undefined ? {} : obj(v, 'kernel');
  knownKeys(o, 'kernel', ['policy', 'holes', 'hibernation', 'bootTimeInit', 'initCpus', 'callers', 'version']);
  const holes = str(o.holes, 'kernel.holes', 'memblock');
  if (holes !== 'memblock' && holes !== 'cmr') throw invalidField('kernel.holes', `must be "memblock" or "cmr", got "${holes}"`);
  const policy = str(o.policy, 'kernel.policy', 'mainline');
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(policy)) throw invalidField('kernel.policy', `not a policy name: "${policy}"`);
  if (o.callers !== undefined) maxLength(arr(o.callers, 'kernel.callers'), 'kernel.callers', MAX_CALLERS);
  const callers: Caller[] = o.callers === undefined ? [] : arr(o.callers, 'kernel.callers').map((c, i) => {
    const path = `kernel.callers[${i}]`;
    const co = obj(c, path);
    knownKeys(co, path, ['at']);
    const at = co.at ?? 0;
    if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) throw invalidField(`${path}.at`, 'must be a time in µs, ≥ 0');
    return { at };
  });
  return {
    policy,
    holes,
    hibernation: bool(o.hibernation, 'kernel.hibernation', false),
    bootTimeInit: bool(o.bootTimeInit, 'kernel.bootTimeInit', false),
    initCpus: o.initCpus === undefined ? 0 : parseIntField(o.initCpus, 'kernel.initCpus', 1, MAX_LPS),
    callers,
    version: parseKernelVersion(o.version),
  };
}

function parseCosts(v: unknown): Record<string, number> {
  if (v === undefined) return {};
  const o = obj(v, 'costs');
  const out: Record<string, number> = {};
  for (const [k, val] of Object.entries(o)) {
    if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(k)) throw invalidField(`costs.${k}`, 'not a parameter name');
    if (typeof val !== 'number' || !Number.isFinite(val) || val < 0) {
      throw invalidField(`costs.${k}`, `must be a finite number ≥ 0, got ${describe(val)}`);
    }
    out[k] = val;
  }
  return out;
}

function parseHotplug(v: unknown): HotplugEvent[] {
  if (v === undefined) return [];
  const list = arr(v, 'hotplug');
  maxLength(list, 'hotplug', MAX_HOTPLUG);
  return list.map((e, i) => {
    const path = `hotplug[${i}]`;
    const o = obj(e, path);
    knownKeys(o, path, ['start', 'end', 'node', 'kind']);
    const r = range(o, path, -1, true);
    return {
      ...r,
      node: o.node === undefined ? 0 : parseIntField(o.node, `${path}.node`, 0, MAX_NUMNODES - 1),
      kind: str(o.kind, `${path}.kind`, 'dram'),
    };
  });
}

function u64Pair(v: unknown, path: string, a: string, b: string): Record<string, bigint> {
  const o = obj(v, path);
  knownKeys(o, path, [a, b]);
  if (o[a] === undefined) throw invalidField(`${path}.${a}`, 'required');
  if (o[b] === undefined) throw invalidField(`${path}.${b}`, 'required');
  return { [a]: parseU64(o[a], `${path}.${a}`, true), [b]: parseU64(o[b], `${path}.${b}`, true) };
}

function parseTdmrs(v: unknown, maxReservedPerTdmr: number): TdmrSpec[] | null {
  if (v === undefined) return null;
  const list = arr(v, 'tdmrs');
  maxLength(list, 'tdmrs', MAX_REGIONS);
  if (list.length === 0) throw invalidField('tdmrs', 'a bring-your-own layout needs at least one TDMR');
  return list.map((e, i) => {
    const path = `tdmrs[${i}]`;
    const o = obj(e, path);
    knownKeys(o, path, ['base', 'size', 'nid', 'pamt4k', 'pamt2m', 'pamt1g', 'reserved']);
    const bs = u64Pair({ base: o.base, size: o.size }, path, 'base', 'size');
    const pamt = (k: string) => {
      if (o[k] === undefined) throw invalidField(`${path}.${k}`, 'required');
      const p = u64Pair(o[k], `${path}.${k}`, 'base', 'size');
      return { base: p.base, size: p.size };
    };
    // TDMR_INFO has room for the module's maximum and no more: a longer list cannot be handed
    // to TDH.SYS.CONFIG at all, so it is a malformed layout rather than a modeled failure.
    const rlist = o.reserved === undefined ? [] : arr(o.reserved, `${path}.reserved`);
    if (rlist.length > maxReservedPerTdmr) {
      throw invalidField(`${path}.reserved`, `at most module.maxReservedPerTdmr (${maxReservedPerTdmr}) reserved areas fit in a TDMR_INFO, got ${rlist.length}`);
    }
    const reserved = rlist.map((r, j) => {
      const p = u64Pair(r, `${path}.reserved[${j}]`, 'offset', 'size');
      return { offset: p.offset, size: p.size };
    });
    return { base: bs.base, size: bs.size, pamt4k: pamt('pamt4k'), pamt2m: pamt('pamt2m'), pamt1g: pamt('pamt1g'), reserved };
  });
}

/**
 * How validation reads the `cpus` section: validateCpus by default. A caller that validates many
 * documents with the same section (the sweep builder, src/model/sweep/build.ts) passes a reader
 * that returns its earlier result for the same section and NUMA nodes, so the LP list is built
 * and checked once; that reader owns the sharing, and must hand out only results of validateCpus.
 */
export type CpusReader = (section: unknown, memory: NodeRange[]) => Cpus;

/**
 * validatePlatform(doc) for a document that differs from one already validated to `rest` only in
 * its memory side: memory, cmrs, reserved, nodeDistance, and the cpus section (whose packages
 * follow the sockets of a sweep row's rebuilt map, src/model/sweep/build.ts). Those are
 * validated here by the same functions, in the same order as validatePlatform's; the other
 * fields are taken from rest (its objects, shared, not copied). With every other field valid,
 * the first error validatePlatform(doc) would throw is among these, so the result is the same
 * platform or the same error, without checking the rest again.
 */
export function validateMemorySide(doc: Record<string, unknown>, rest: Platform, readCpus: CpusReader = validateCpus): Platform {
  const memory = parseMemory(doc.memory);
  const { cmrs, given } = parseCmrs(doc.cmrs, memory);
  const reserved = parseReserved(doc.reserved);
  const nodeDistance = parseDistanceMatrix(doc.nodeDistance, memory, rest.hotplug);
  const cpus = readCpus(doc.cpus, memory);
  return { ...rest, memory, reserved, cmrs, cmrsGiven: given, nodeDistance, cpus };
}

/**
 * A memory side already in validated form: what validatePlatform makes of `memory`, `reserved`,
 * `cmrs` (given) and `nodeDistance`, as plain objects ({start, end, node}, {start, end, label},
 * {start, end}; plain numbers, no other fields) made by the caller for the platform it asks for.
 */
export interface MemorySideParts {
  memory: NodeRange[];
  reserved: LabelledRange[];
  cmrs: MemRange[];
  nodeDistance: number[][];
}

/**
 * validateMemorySide for a memory side the caller built in validated form (a sweep row's rebuilt
 * map, src/model/sweep/build.ts): when the parts pass every rule as they are (nothing to merge,
 * no -0, every number in range) they become the platform's, with no document read and nothing
 * copied; otherwise null, and the caller validates them as a document (validateMemorySide),
 * which names the first rule broken. The parts are then the platform's: the caller keeps them
 * unchanged, as it keeps every platform it hands on. The plain* checks below restate the parse
 * rules as predicates that may only say "as it is" or "not sure": test/platform.memorySide.test.ts
 * holds adopt-or-validate to validatePlatform on seeded changes.
 */
export function adoptMemorySide(parts: MemorySideParts, cpusSection: unknown, rest: Platform, readCpus: CpusReader = validateCpus): Platform | null {
  const { memory, reserved, cmrs, nodeDistance } = parts;
  if (!plainMemory(memory) || !plainRanges(cmrs, MAX_CMRS, true) || !plainRanges(reserved, MAX_REGIONS, false)) return null;
  for (const r of reserved) if (typeof r.label !== 'string') return null;
  if (!plainDistances(nodeDistance, maxNodeOf(memory, rest.hotplug) + 1)) return null;
  const cpus = readCpus(cpusSection, memory);
  return { ...rest, memory, reserved, cmrs, cmrsGiven: true, nodeDistance, cpus };
}

/** A number parsePhys returns as it is (not -0). */
function plainPhys(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0 && v <= ADDR_LIMIT && !Object.is(v, -0);
}

/** Ranges parseMemory would keep as they are: ascending, page-aligned, none to merge. */
function plainMemory(memory: NodeRange[]): boolean {
  if (memory.length > MAX_REGIONS) return false;
  let prevEnd = -1;
  let prevNode = -1;
  for (const m of memory) {
    if (!plainRange(m, true) || m.start < prevEnd || !isIntIn(m.node, 0, MAX_NUMNODES - 1) || Object.is(m.node, -0)) return false;
    if (m.start === prevEnd && m.node === prevNode) return false;
    prevEnd = m.end;
    prevNode = m.node;
  }
  return true;
}

/** Ranges parseCmrs (ascending) or parseReserved would take as they are. */
function plainRanges(list: MemRange[], max: number, ascending: boolean): boolean {
  if (list.length > max) return false;
  let prevEnd = -1;
  for (const r of list) {
    if (!plainRange(r, ascending) || (ascending && r.start < prevEnd)) return false;
    prevEnd = r.end;
  }
  return true;
}

function plainRange(r: MemRange, pageAligned: boolean): boolean {
  if (!plainPhys(r.start) || !plainPhys(r.end) || !(r.end > r.start)) return false;
  return !pageAligned || (isAligned(r.start, PAGE) && isAligned(r.end, PAGE));
}

/** A matrix parseDistanceMatrix would copy unchanged: square, at least dim, cells 0..255. */
function plainDistances(rows: number[][], dim: number): boolean {
  if (rows.length > MAX_NUMNODES || rows.length < dim) return false;
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== rows.length) return false;
    for (const d of row) if (!isIntIn(d, 0, 255) || Object.is(d, -0)) return false;
  }
  return true;
}

/** Validate a parsed JSON document and return the normalized platform. */
export function validatePlatform(doc: unknown, readCpus: CpusReader = validateCpus): Platform {
  const o = obj(doc, '(document)');
  knownKeys(o, '', TOP_KEYS);
  const name = str(o.name, 'name', 'unnamed');
  const memory = parseMemory(o.memory);
  const hotplug = parseHotplug(o.hotplug);
  const { cmrs, given } = parseCmrs(o.cmrs, memory);
  const module = parseModule(o.module);
  return {
    name,
    memory,
    reserved: parseReserved(o.reserved),
    cmrs,
    cmrsGiven: given,
    nodeDistance: parseDistanceMatrix(o.nodeDistance, memory, hotplug),
    cpus: readCpus(o.cpus, memory),
    module,
    keyids: parseKeyids(o.keyids),
    kernel: parseKernel(o.kernel),
    costs: parseCosts(o.costs),
    hotplug,
    tdmrs: parseTdmrs(o.tdmrs, module.maxReservedPerTdmr),
  };
}
