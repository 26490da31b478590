// Several real-machine captures → one platform document (platform-format.md §1), each member
// saying where it came from. Each fact is taken from the most direct source that has it:
//
//   memory: memblock `node N: [mem …]` lines (what the kernel itself uses, with nodes)
//           > BIOS-e820 usable lines > /proc/iomem System RAM > sysfs memory blocks
//           > the CMR lines (posted logs are mostly `dmesg | grep tdx`, real-logs/README.md)
//   nodes:  memblock lines carry them; otherwise SRAT, then `NUMA:` span lines, then sysfs
//           blocks assign nodes to whatever ranges were chosen
//   cpus:   lscpu -p (full topology) > the log's smpboot/smp counts
//
// Facts that only a failure reveals (a 1.0 module, hibernation enabled, no module loaded) are
// written into the document too, so simulating it reproduces what the machine did; the
// `source` member names the line each one was inferred from.

import path from 'node:path';
import { InputError, invalidLine } from '../errors.js';
import { validatePlatform } from '../validate.js';
import type { Platform } from '../types.js';
import { readKernelLog, type KernelLog, type ReadOptions } from './dmesg.js';
import { readIomem, type Iomem } from './iomem.js';
import { readLscpu, lscpuToCpus, type Lscpu } from './lscpu.js';
import { readSysNode, type SysNode } from './sysNode.js';
import { detectFormat, type SourceKind } from './detect.js';
import { maxOf, minOf } from '../../util/extent.js';
import { PAGE_SIZE as PAGE } from '../../construct/constants.js';
import { hex } from '../../construct/hex.js';

const STATUS_SYS_NOT_READY = 0xc000050500000000n;
const LEAF_SYS_RD = 0x22;

export interface ImportSource {
  file: string;
  text: string;
}

export type ParsedSource =
  | { kind: 'dmesg'; file: string; log: KernelLog; lines: string[] }
  | { kind: 'iomem'; file: string; iomem: Iomem }
  | { kind: 'lscpu'; file: string; lscpu: Lscpu }
  | { kind: 'sysnode'; file: string; sysnode: SysNode };

export type MemoryOrigin = 'memblock' | 'e820' | 'iomem' | 'sysnode' | 'cmrs';

/** One input of the model and whether the sources gave it or the importer assumed it. */
export interface ImportedInput {
  what: 'CPU model' | 'packages' | 'LPs' | 'NUMA nodes';
  value: string;
  guessed: boolean;
}

/** A memory map that covers far less of the CMRs than they span (a cut e820 list). */
export interface PartialMap {
  file: string;
  /** The last line of the memory map read. */
  line: number;
  mapBytes: number;
  cmrBytes: number;
  /** CMR bytes above the map's end that were modeled as memory. */
  addedBytes: number;
}

export interface ImportedPlatform {
  /** The platform document, ready for validatePlatform (already checked by it). */
  document: Record<string, unknown>;
  memoryFrom: MemoryOrigin;
  inputs: ImportedInput[];
  partialMap: PartialMap | null;
  warnings: string[];
  sources: ParsedSource[];
}

/** Detect and read one source. Throws `FILE:LINE: rule` for content that breaks its format. */
export function parseSource(src: ImportSource, kind?: SourceKind, opts: ReadOptions = {}): ParsedSource {
  const k = kind ?? detectFormat(src.text, src.file);
  switch (k) {
    case 'dmesg': return { kind: k, file: src.file, log: readKernelLog(src.text, src.file, opts), lines: src.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/) };
    case 'iomem': return { kind: k, file: src.file, iomem: readIomem(src.text, src.file) };
    case 'lscpu': return { kind: k, file: src.file, lscpu: readLscpu(src.text, src.file) };
    case 'sysnode': return { kind: k, file: src.file, sysnode: readSysNode(src.text, src.file) };
  }
}

interface Range {
  start: number;
  end: number;
  node?: number;
  line: number;
}

interface NodeSpan {
  node: number;
  start: number;
  end: number;
}


function lineRef(file: string, what: string, lines: number[]): string {
  if (lines.length === 0) return `${file}: ${what}`;
  const lo = minOf(lines);
  const hi = maxOf(lines);
  return lo === hi ? `${file}:${lo} (${what})` : `${file}: ${what} lines ${lo}-${hi}`;
}

/** memblock works in whole pages: a partial first or last page is not RAM to it. */
function pageTrim(r: Range): Range | undefined {
  const start = Math.ceil(r.start / PAGE) * PAGE;
  const end = Math.floor(r.end / PAGE) * PAGE;
  return end > start ? { ...r, start, end } : undefined;
}

/** Index of the last span starting at or below `at` (spans sorted by start), or -1. */
function lastStartingAtOrBelow(spans: NodeSpan[], at: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].start <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Split a range at node-span boundaries; parts no span covers take the preceding part's node.
 * `spans` is sorted by start; each step is a binary search, so n ranges against m spans cost
 * O((n + pieces) log m), not n × m (20,000 e820 against 20,000 SRAT lines was quadratic).
 */
function assignNodes(r: Range, spans: NodeSpan[], uncovered: { count: number }): Range[] {
  if (r.node !== undefined || spans.length === 0) return [{ ...r, node: r.node ?? 0 }];
  const out: Range[] = [];
  let cur = r.start;
  let k = lastStartingAtOrBelow(spans, cur);
  let lastNode = k >= 0 ? spans[k].node : spans[0].node;
  while (cur < r.end) {
    // Overlapping spans: the one that starts last below cur and still covers it wins.
    const inside = k >= 0 && cur < spans[k].end ? spans[k] : undefined;
    if (inside) {
      const end = Math.min(r.end, inside.end, k + 1 < spans.length ? Math.max(spans[k + 1].start, cur + 1) : Infinity);
      out.push({ ...r, start: cur, end, node: inside.node });
      lastNode = inside.node;
      cur = end;
    } else {
      const next = k + 1 < spans.length ? spans[k + 1].start : r.end;
      const end = Math.min(r.end, next);
      out.push({ ...r, start: cur, end, node: lastNode });
      uncovered.count++;
      cur = end;
    }
    while (k + 1 < spans.length && spans[k + 1].start <= cur) k++;
  }
  return out;
}

/** Ascending, non-overlapping, touching same-node ranges merged: memblock's own invariant. */
function normalize(ranges: Range[], file: string, what: string): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start < last.end) {
      throw invalidLine(file, r.line, `${what} range [${hex(r.start)}, ${hex(r.end)}) overlaps the one from line ${last.line}`);
    }
    if (last && last.end === r.start && last.node === r.node) last.end = r.end;
    else out.push({ ...r });
  }
  return out;
}

/** Node spans to place ranges that carry no node: SRAT first, then NUMA joins, then sysfs blocks. */
function nodeSpans(dmesgs: Extract<ParsedSource, { kind: 'dmesg' }>[], sys: SysNode | undefined): { spans: NodeSpan[]; from?: string } {
  for (const d of dmesgs) {
    const srat = d.log.srat.filter((s) => !s.hotplug);
    if (srat.length) return { spans: srat, from: lineRef(d.file, 'ACPI SRAT', srat.map((s) => s.line)) };
  }
  for (const d of dmesgs) {
    if (d.log.numa.length) return { spans: d.log.numa, from: lineRef(d.file, 'NUMA', d.log.numa.map((s) => s.line)) };
  }
  if (sys) return { spans: sys.ranges, from: lineRef(sys.source, 'memory blocks', sys.lines) };
  return { spans: [] };
}

/** The validator's default package → node mapping, so a regular lscpu topology stays counts. */
function packageNodeMap(nodes: number[], packages: number): (p: number) => number {
  const perPkg = Math.max(1, Math.floor(nodes.length / packages));
  return (p) => nodes[Math.min(nodes.length - 1, p * perPkg)] ?? 0;
}

function cpuModelName(model: number): string | undefined {
  if (model === 0x8f) return 'sapphirerapids';
  if (model === 0xcf) return 'emeraldrapids';
  if (model === 0xad || model === 0xae) return 'graniterapids';
  return undefined;
}

function first<T>(list: T[], pick: (t: T) => boolean): T | undefined {
  return list.find(pick);
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/** A map covering less than this share of the CMR bytes is taken as cut, not as the machine. */
const PARTIAL_MAP_SHARE = 0.5;

/** Bytes of the (sorted, disjoint) ranges a that lie inside the (sorted, disjoint) ranges b: one merge walk. */
function overlapBytes(a: { start: number; end: number }[], b: { start: number; end: number }[]): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i].start, b[j].start);
    const hi = Math.min(a[i].end, b[j].end);
    if (hi > lo) sum += hi - lo;
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return sum;
}

/**
 * A memory map that holds far less of the CMRs than they span is a cut excerpt (people post
 * the first lines of e820): the machine is then modeled with the CMR memory above the map's
 * end, rather than as the small machine the map alone would describe.
 */
function extendPartialMap(ranges: Range[], cmrs: { start: number; end: number }[], file: string): (PartialMap & { from: number }) | null {
  const sorted = [...ranges].sort((x, y) => x.start - y.start);
  const cmrSorted = [...cmrs].sort((x, y) => x.start - y.start);
  const cmrBytes = cmrSorted.reduce((t, c) => t + Math.max(0, c.end - c.start), 0);
  const mapBytes = overlapBytes(sorted, cmrSorted);
  if (cmrBytes === 0 || mapBytes >= PARTIAL_MAP_SHARE * cmrBytes) return null;
  const from = maxOf(sorted.map((r) => r.end));
  const addedBytes = cmrSorted.reduce((t, c) => t + Math.max(0, c.end - Math.max(c.start, from)), 0);
  if (addedBytes === 0) return null;
  const line = maxOf(sorted.map((r) => r.line));
  return { file, line, mapBytes, cmrBytes, addedBytes, from };
}

export function buildPlatform(parsed: ParsedSource[], opts: { name?: string } = {}): ImportedPlatform {
  if (parsed.length === 0) throw new InputError('', 'import needs at least one FILE');
  const dmesgs = parsed.filter((p): p is Extract<ParsedSource, { kind: 'dmesg' }> => p.kind === 'dmesg');
  const iomem = first(parsed, (p) => p.kind === 'iomem') as Extract<ParsedSource, { kind: 'iomem' }> | undefined;
  const lscpu = first(parsed, (p) => p.kind === 'lscpu') as Extract<ParsedSource, { kind: 'lscpu' }> | undefined;
  const sysnode = first(parsed, (p) => p.kind === 'sysnode') as Extract<ParsedSource, { kind: 'sysnode' }> | undefined;
  const warnings: string[] = [];
  const source: Record<string, unknown> = {};
  for (const d of dmesgs) {
    const b = d.log.boot;
    if (b.count > 1) warnings.push(`${d.file}: ${b.count} boots in the text; boot ${b.used}${b.used === b.count ? ' (the last)' : ''} is used, lines ${b.firstLine}-${b.lastLine}, starting at ${b.reason}; --boot N picks another`);
    for (const n of d.log.notes) warnings.push(`${d.file}: ${n}`);
  }

  // ---- memory ----
  const withMemblock = dmesgs.find((d) => d.log.memblock.length > 0);
  const withE820 = dmesgs.find((d) => d.log.e820.some((e) => e.type === 'usable'));
  const withCmrs = dmesgs.find((d) => d.log.cmrs.length > 0);
  let memoryFrom: MemoryOrigin;
  let raw: Range[];
  let memFile: string;
  if (withMemblock) {
    memoryFrom = 'memblock';
    memFile = withMemblock.file;
    raw = withMemblock.log.memblock.map((m) => ({ start: m.start, end: m.end, node: m.node, line: m.line }));
    source.memory = lineRef(memFile, 'memblock node', raw.map((r) => r.line));
  } else if (withE820) {
    memoryFrom = 'e820';
    memFile = withE820.file;
    raw = withE820.log.e820.filter((e) => e.type === 'usable').map((e) => ({ start: e.start, end: e.end, line: e.line }));
    source.memory = lineRef(memFile, 'BIOS-e820 usable', raw.map((r) => r.line));
  } else if (iomem && iomem.iomem.systemRam.length) {
    memoryFrom = 'iomem';
    memFile = iomem.file;
    raw = iomem.iomem.systemRam.map((e) => ({ start: e.start, end: e.end, line: e.line }));
    source.memory = lineRef(memFile, 'System RAM', raw.map((r) => r.line));
  } else if (sysnode) {
    memoryFrom = 'sysnode';
    memFile = sysnode.file;
    raw = sysnode.sysnode.ranges.map((r) => ({ ...r, line: sysnode.sysnode.lines[0] }));
    source.memory = lineRef(memFile, 'memory blocks', sysnode.sysnode.lines);
    warnings.push(`memory from sysfs memory blocks of ${sysnode.sysnode.blockSize / 2 ** 20} MiB: holes inside a block are invisible, so TDMR reserved areas and PAMT may be understated; add dmesg (e820/memblock lines) or /proc/iomem`);
  } else if (withCmrs) {
    memoryFrom = 'cmrs';
    memFile = withCmrs.file;
    raw = withCmrs.log.cmrs.map((c) => ({ start: c.start, end: c.end, line: c.line }));
    source.memory = lineRef(memFile, 'CMR', raw.map((r) => r.line));
    warnings.push(`no memory map (e820, memblock, /proc/iomem or sysfs) in the sources: each CMR is taken as one memory range; the PAMT figure usually matches, holes inside CMRs are not seen`);
  } else {
    const names = parsed.map((p) => p.file).join(', ');
    throw new InputError(names, 'no memory map and no CMR lines: give dmesg with BIOS-e820 or "node N: [mem …]" lines, /proc/iomem, a /sys/devices/system/node listing, or a log with virt/tdx CMR lines');
  }
  const trimmed = raw.map(pageTrim).filter((r): r is Range => r !== undefined);
  if (trimmed.length === 0) throw invalidLine(memFile, raw[0]?.line ?? 1, 'no whole 4 KiB page of memory in the memory map');
  // Ranges with nodes (memblock, sysfs) keep theirs; others are placed by SRAT/NUMA/sysfs spans.
  const { spans: unsorted, from: nodesFrom } = memoryFrom === 'memblock' || memoryFrom === 'sysnode' ? { spans: [], from: undefined } : nodeSpans(dmesgs, sysnode?.sysnode);
  const spans = [...unsorted].sort((a, b) => a.start - b.start || a.end - b.end);
  let partialMap: (PartialMap & { from: number }) | null = null;
  if (withCmrs && memoryFrom !== 'cmrs') {
    partialMap = extendPartialMap(trimmed, withCmrs.log.cmrs, memFile);
    if (partialMap) {
      warnings.push(`${memFile}:${partialMap.line}: the memory map covers ${gib(partialMap.mapBytes)} of the ${gib(partialMap.cmrBytes)} the CMRs span (a cut excerpt?); the ${gib(partialMap.addedBytes)} of CMRs above it are modeled as memory`);
      source.memory += `; CMRs above ${hex(maxOf(trimmed.map((r) => r.end)))} (${lineRef(withCmrs.file, 'CMR', withCmrs.log.cmrs.map((c) => c.line))})`;
      for (const c of withCmrs.log.cmrs) {
        const start = Math.max(c.start, partialMap.from);
        if (c.end > start) trimmed.push({ start, end: c.end, line: c.line });
      }
    }
  }
  const uncovered = { count: 0 };
  const placed = trimmed.flatMap((r) => assignNodes(r, spans, uncovered));
  if (nodesFrom) source.nodes = nodesFrom;
  else if (memoryFrom !== 'memblock' && memoryFrom !== 'sysnode') warnings.push('no NUMA information (SRAT, NUMA or sysfs node lines): all memory is put on node 0');
  if (uncovered.count) warnings.push(`${uncovered.count} memory piece(s) lie outside every NUMA span; each was given the node of the memory below it`);
  const memory = normalize(placed, memFile, 'memory');

  const doc: Record<string, unknown> = {};
  const firstFile = parsed[0].file;
  doc.name = opts.name ?? path.basename(firstFile).replace(/\.[^.]*$/, '') ?? 'imported';
  doc.description = `imported by tdxmodel from ${parsed.map((p) => `${p.file} (${p.kind})`).join(', ')}`;
  doc.memory = memory.map((r) => ({ start: hex(r.start), end: hex(r.end), node: r.node ?? 0 }));

  // ---- CMRs ----
  if (withCmrs) {
    const cmrs = withCmrs.log.cmrs;
    for (let i = 0; i < cmrs.length; i++) {
      const c = cmrs[i];
      if (c.start % PAGE || c.end % PAGE) throw invalidLine(withCmrs.file, c.line, 'CMR not 4 KiB aligned');
      if (c.end <= c.start) throw invalidLine(withCmrs.file, c.line, 'CMR ends before it starts');
      if (i > 0 && c.start < cmrs[i - 1].end) throw invalidLine(withCmrs.file, c.line, `CMR overlaps or precedes the one on line ${cmrs[i - 1].line}`);
    }
    if (cmrs.length > 32) throw invalidLine(withCmrs.file, cmrs[32].line, 'more than 32 CMRs (the MCHECK limit)');
    doc.cmrs = cmrs.map((c) => ({ start: hex(c.start), end: hex(c.end) }));
    source.cmrs = lineRef(withCmrs.file, 'CMR', cmrs.map((c) => c.line));
  }

  // ---- CPUs ----
  const nodes = [...new Set(memory.map((m) => m.node ?? 0))].sort((a, b) => a - b);
  const cpus: Record<string, unknown> = {};
  const cpuRefs: string[] = [];
  const model = dmesgs.map((d) => d.log.cpuModel).find((m) => m !== undefined);
  // What the sources gave and what was assumed: reports mark the assumed inputs as guesses.
  let cpuCounts: 'read' | 'packages assumed' | 'assumed' = 'assumed';
  if (lscpu) {
    cpuCounts = 'read';
    const l = lscpu.lscpu;
    const sockets = new Set(l.cpus.filter((c) => c.socket !== undefined).map((c) => c.socket)).size || 1;
    const { cpus: c, notes } = lscpuToCpus(l, packageNodeMap(nodes, sockets));
    Object.assign(cpus, c);
    warnings.push(...notes);
    cpuRefs.push(lineRef(lscpu.file, 'lscpu -p', l.lines));
  } else {
    const counted = dmesgCpus(dmesgs, nodes.length, warnings, cpuRefs);
    if (counted) {
      Object.assign(cpus, counted.cpus);
      cpuCounts = counted.packagesRead ? 'read' : 'packages assumed';
    }
    else warnings.push('no CPU topology (lscpu -p, or smpboot/smp lines): the validator defaults are used (one package per node, 32 cores × 2 threads); LP.INIT time is then a guess');
  }
  if (model) {
    const name = cpuModelName(model.model);
    const d = dmesgs.find((x) => x.log.cpuModel === model)!;
    if (name) cpus.model = name;
    else warnings.push(`${d.file}:${model.line}: CPU model ${hex(model.model)} (${model.name}) is not a TDX-capable model the tool knows; cpus.model left at its default`);
    cpuRefs.push(`${d.file}:${model.line} (CPU model)`);
  }
  if (Object.keys(cpus).length) doc.cpus = cpus;
  if (cpuRefs.length) source.cpus = cpuRefs.join('; ');

  // ---- module, KeyIDs, kernel ----
  const moduleDoc: Record<string, unknown> = {};
  const moduleRefs: string[] = [];
  const kernelDoc: Record<string, unknown> = {};
  const kernelRefs: string[] = [];
  const withModule = dmesgs.find((d) => d.log.module);
  if (withModule) {
    const m = withModule.log.module!;
    moduleDoc.version = m.version;
    moduleRefs.push(`${withModule.file}:${m.line} (module identity ${m.printedVersion})`);
  }
  for (const d of dmesgs) {
    for (const f of d.log.failures) {
      if (f.kind === 'not-loaded' && moduleDoc.loaded === undefined) {
        moduleDoc.loaded = false;
        moduleRefs.push(`${d.file}:${f.line} (module not loaded)`);
      }
      // TDH.SYS.RD refused before init is what a 1.0 module does under a 6.8+ kernel.
      if (f.kind === 'seamcall' && f.leaf === LEAF_SYS_RD && f.status !== undefined && BigInt(f.status) === STATUS_SYS_NOT_READY && !withModule && moduleDoc.version === undefined) {
        moduleDoc.version = '1.0';
        moduleRefs.push(`${d.file}:${f.line} (version 1.0 inferred: TDH.SYS.RD refused with TDX_SYS_NOT_READY)`);
      }
      if (f.kind === 'hibernation' && kernelDoc.hibernation === undefined) {
        kernelDoc.hibernation = true;
        kernelRefs.push(`${d.file}:${f.line} (hibernation enabled)`);
      }
    }
  }
  if (Object.keys(moduleDoc).length) {
    doc.module = moduleDoc;
    source.module = moduleRefs.join('; ');
  }
  const withKernel = dmesgs.find((d) => d.log.kernel);
  if (withKernel) {
    const k = withKernel.log.kernel!;
    kernelDoc.version = k.version;
    kernelRefs.push(`${withKernel.file}:${k.line} (Linux version ${k.version})`);
  }
  const withKeyids = dmesgs.find((d) => d.log.keyids);
  if (withKeyids) {
    const k = withKeyids.log.keyids!;
    doc.keyids = { mktme: k.mktme, tdx: k.tdx };
    source.keyids = `${withKeyids.file}:${k.line} (private KeyID range [${k.first}, ${k.end}))`;
  }
  if (Object.keys(kernelDoc).length) {
    doc.kernel = kernelDoc;
    source.kernel = kernelRefs.join('; ');
  }
  source.warnings = warnings;
  doc.source = source;

  let platform: Platform;
  try {
    platform = validatePlatform(doc);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(firstFile, `the imported document is not valid: ${e.message}`);
    throw e;
  }
  const knownModel = model !== undefined && cpuModelName(model.model) !== undefined;
  const inputs: ImportedInput[] = [
    { what: 'CPU model', value: platform.cpus.model, guessed: !knownModel },
    { what: 'packages', value: String(platform.cpus.packages), guessed: cpuCounts !== 'read' },
    { what: 'LPs', value: String(platform.cpus.lps.length), guessed: cpuCounts === 'assumed' },
    { what: 'NUMA nodes', value: String(new Set(platform.memory.map((m) => m.node)).size), guessed: !nodesFrom && memoryFrom !== 'memblock' && memoryFrom !== 'sysnode' },
  ];
  const partial = partialMap ? { file: partialMap.file, line: partialMap.line, mapBytes: partialMap.mapBytes, cmrBytes: partialMap.cmrBytes, addedBytes: partialMap.addedBytes } : null;
  return { document: doc, memoryFrom, inputs, partialMap: partial, warnings, sources: parsed };
}

/** CPU counts from smpboot/smp lines and the command line (nosmt, maxcpus=). */
function dmesgCpus(dmesgs: Extract<ParsedSource, { kind: 'dmesg' }>[], nodeCount: number, warnings: string[], refs: string[]): { cpus: Record<string, unknown>; packagesRead: boolean } | undefined {
  const d = dmesgs.find((x) => x.log.allowingCpus || x.log.broughtUp || x.log.activated);
  if (!d) return undefined;
  const log = d.log;
  const online = log.broughtUp?.cpus ?? log.activated?.cpus;
  // "Allowing N CPUs, M hotplug CPUs": N counts possible CPUs; the M hotplug ones are not
  // BIOS-enabled, so MCHECK never counted them.
  const enabled = log.allowingCpus ? log.allowingCpus.cpus - (log.allowingCpus.hotplug ?? 0) : online!;
  if (enabled < 1) {
    warnings.push(`${d.file}: the smpboot/smp lines count no BIOS-enabled CPU; the validator defaults are used`);
    return undefined;
  }
  const packagesRead = log.maxPackages !== undefined;
  const lines = [log.allowingCpus?.line, log.broughtUp?.line, log.activated?.line, log.maxPackages?.line].filter((x): x is number => x !== undefined);
  refs.push(lineRef(d.file, 'smpboot/smp', lines));
  let packages = log.maxPackages?.packages;
  if (packages === undefined) {
    packages = nodeCount > 0 && enabled % nodeCount === 0 ? nodeCount : 1;
    warnings.push(`${d.file}: package count not printed; assumed ${packages} (one per NUMA node)`);
  }
  const cmd = log.commandLine?.text ?? '';
  const nosmt = /(?:^|\s)nosmt(?:=\S*)?(?:\s|$)/.test(cmd);
  const maxcpus = /(?:^|\s)maxcpus=(\d+)/.exec(cmd);
  // Intel servers ship with Hyper-Threading on; nosmt halves what is brought up.
  const threads = enabled % (packages * 2) === 0 ? 2 : 1;
  if (enabled % packages !== 0) {
    warnings.push(`${d.file}: ${enabled} CPUs do not divide into ${packages} packages; counted as one package`);
    packages = 1;
  }
  const cores = enabled / (packages * threads);
  warnings.push(`${d.file}: SMT layout not printed; assumed ${threads} thread(s) per core (${packages} × ${cores} × ${threads})`);
  const out: Record<string, unknown> = { packages, coresPerPackage: cores, threadsPerCore: threads };
  if (online !== undefined && online < enabled) {
    if (nosmt && threads === 2 && online === enabled / 2) {
      out.offline = 'smt';
      refs.push(`${d.file}:${log.commandLine!.line} (nosmt)`);
    } else {
      // maxcpus= and CPUs that failed to boot leave the highest ids offline.
      out.offline = Array.from({ length: enabled - online }, (_, i) => online + i);
      if (maxcpus) refs.push(`${d.file}:${log.commandLine!.line} (maxcpus=${maxcpus[1]})`);
    }
    warnings.push(`${d.file}: ${enabled - online} of ${enabled} BIOS-enabled CPUs were not brought up; they are modeled offline`);
  }
  return { cpus: out, packagesRead };
}

export function importSources(sources: ImportSource[], opts: { name?: string } & ReadOptions = {}): ImportedPlatform {
  return buildPlatform(sources.map((s) => parseSource(s, undefined, { boot: opts.boot })), opts);
}
