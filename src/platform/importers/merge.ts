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
import { readKernelLog, type KernelLog } from './dmesg.js';
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

export interface ImportedPlatform {
  /** The platform document, ready for validatePlatform (already checked by it). */
  document: Record<string, unknown>;
  memoryFrom: MemoryOrigin;
  warnings: string[];
  sources: ParsedSource[];
}

/** Detect and read one source. Throws `FILE:LINE: rule` for content that breaks its format. */
export function parseSource(src: ImportSource, kind?: SourceKind): ParsedSource {
  const k = kind ?? detectFormat(src.text, src.file);
  switch (k) {
    case 'dmesg': return { kind: k, file: src.file, log: readKernelLog(src.text, src.file), lines: src.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/) };
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

/** Split a range at node-span boundaries; parts no span covers take the preceding part's node. */
function assignNodes(r: Range, spans: NodeSpan[], uncovered: { count: number }): Range[] {
  if (r.node !== undefined || spans.length === 0) return [{ ...r, node: r.node ?? 0 }];
  const out: Range[] = [];
  let cur = r.start;
  let lastNode = spans.filter((s) => s.start <= r.start).at(-1)?.node ?? spans[0].node;
  while (cur < r.end) {
    const inside = spans.find((s) => s.start <= cur && cur < s.end);
    if (inside) {
      const end = Math.min(r.end, inside.end);
      out.push({ ...r, start: cur, end, node: inside.node });
      lastNode = inside.node;
      cur = end;
      continue;
    }
    const next = spans.filter((s) => s.start > cur).reduce<NodeSpan | undefined>((a, s) => (!a || s.start < a.start ? s : a), undefined);
    const end = Math.min(r.end, next ? next.start : r.end);
    out.push({ ...r, start: cur, end, node: lastNode });
    uncovered.count++;
    cur = end;
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

export function buildPlatform(parsed: ParsedSource[], opts: { name?: string } = {}): ImportedPlatform {
  if (parsed.length === 0) throw new InputError('', 'import needs at least one FILE');
  const dmesgs = parsed.filter((p): p is Extract<ParsedSource, { kind: 'dmesg' }> => p.kind === 'dmesg');
  const iomem = first(parsed, (p) => p.kind === 'iomem') as Extract<ParsedSource, { kind: 'iomem' }> | undefined;
  const lscpu = first(parsed, (p) => p.kind === 'lscpu') as Extract<ParsedSource, { kind: 'lscpu' }> | undefined;
  const sysnode = first(parsed, (p) => p.kind === 'sysnode') as Extract<ParsedSource, { kind: 'sysnode' }> | undefined;
  const warnings: string[] = [];
  const source: Record<string, unknown> = {};
  for (const d of dmesgs) for (const n of d.log.notes) warnings.push(`${d.file}: ${n}`);

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
  const { spans, from: nodesFrom } = memoryFrom === 'memblock' || memoryFrom === 'sysnode' ? { spans: [], from: undefined } : nodeSpans(dmesgs, sysnode?.sysnode);
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
  if (lscpu) {
    const l = lscpu.lscpu;
    const sockets = new Set(l.cpus.filter((c) => c.socket !== undefined).map((c) => c.socket)).size || 1;
    const { cpus: c, notes } = lscpuToCpus(l, packageNodeMap(nodes, sockets));
    Object.assign(cpus, c);
    warnings.push(...notes);
    cpuRefs.push(lineRef(lscpu.file, 'lscpu -p', l.lines));
  } else {
    const counted = dmesgCpus(dmesgs, nodes.length, warnings, cpuRefs);
    if (counted) Object.assign(cpus, counted);
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

  try {
    validatePlatform(doc);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(firstFile, `the imported document is not valid: ${e.message}`);
    throw e;
  }
  return { document: doc, memoryFrom, warnings, sources: parsed };
}

/** CPU counts from smpboot/smp lines and the command line (nosmt, maxcpus=). */
function dmesgCpus(dmesgs: Extract<ParsedSource, { kind: 'dmesg' }>[], nodeCount: number, warnings: string[], refs: string[]): Record<string, unknown> | undefined {
  const d = dmesgs.find((x) => x.log.allowingCpus || x.log.broughtUp || x.log.activated);
  if (!d) return undefined;
  const log = d.log;
  const online = log.broughtUp?.cpus ?? log.activated?.cpus;
  // "Allowing N CPUs, M hotplug CPUs": N counts possible CPUs; the M hotplug ones are not
  // BIOS-enabled, so MCHECK never counted them.
  const enabled = log.allowingCpus ? log.allowingCpus.cpus - (log.allowingCpus.hotplug ?? 0) : online!;
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
  return out;
}

export function importSources(sources: ImportSource[], opts: { name?: string } = {}): ImportedPlatform {
  return buildPlatform(sources.map((s) => parseSource(s)), opts);
}
