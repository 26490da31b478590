// `lscpu -p` (or `lscpu -p=CPU,CORE,SOCKET,NODE,ONLINE`, `lscpu -a -p`): one CSV row per CPU,
// after `#` comment lines, the last of which names the columns. Offline CPUs appear only with
// `-a` (or `-e`-style ONLINE column); lscpu leaves their topology columns empty when the kernel
// no longer reports it, so their place is inferred from the online CPUs' numbering.

import { invalidLine } from '../errors.js';
import { maxOf } from '../../util/extent.js';
import type { Lp } from '../types.js';

export interface LscpuCpu {
  line: number;
  cpu: number;
  core?: number;
  socket?: number;
  node?: number;
  online: boolean;
}

export interface Lscpu {
  source: string;
  columns: string[];
  cpus: LscpuCpu[];
  /** Line range of the data rows. */
  lines: [number, number];
}

/** The platform limit on LPs (src/platform/validate.ts). */
const MAX_LPS = 1 << 16;

/** lscpu's default -p columns, used when the header line is missing. */
const DEFAULT_COLUMNS = ['CPU', 'CORE', 'SOCKET', 'NODE'];

export function readLscpu(text: string, source: string): Lscpu {
  const lines = text.split(/\r\n|\n|\r/);
  let columns: string[] | undefined;
  const cpus: LscpuCpu[] = [];
  let first = 0;
  let last = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    if (raw.startsWith('#')) {
      const h = raw.slice(1).trim();
      if (/^CPU(,|$)/i.test(h)) columns = h.split(',').map((c) => c.trim().toUpperCase());
      continue;
    }
    const cols = columns ?? DEFAULT_COLUMNS;
    const cells = raw.split(',');
    if (cells.length < cols.length) {
      throw invalidLine(source, i + 1, `lscpu -p row has ${cells.length} fields, the header names ${cols.length}`);
    }
    const cell = (name: string): string | undefined => {
      const k = cols.indexOf(name);
      return k < 0 ? undefined : cells[k].trim();
    };
    const int = (name: string): number | undefined => {
      const v = cell(name);
      if (v === undefined || v === '' || v === '-') return undefined;
      if (!/^\d+$/.test(v)) throw invalidLine(source, i + 1, `${name} must be a whole number, got "${v}"`);
      const n = v.length > 9 ? Infinity : Number(v);
      // Ids beyond the platform limit (65,536 LPs) cannot describe a machine the model runs.
      if (n >= MAX_LPS) throw invalidLine(source, i + 1, `${name} ${v.length > 20 ? `${v.slice(0, 20)}…` : v} is beyond the limit of ${MAX_LPS - 1}`);
      return n;
    };
    const cpu = int('CPU');
    if (cpu === undefined) throw invalidLine(source, i + 1, 'lscpu -p row without a CPU number');
    const onlineCell = cell('ONLINE');
    const core = int('CORE');
    const socket = int('SOCKET');
    // Without an ONLINE column, a row whose topology lscpu could not read is an offline CPU.
    const online = onlineCell !== undefined && onlineCell !== '' ? /^(y|yes|1)$/i.test(onlineCell) : core !== undefined && socket !== undefined;
    if (cpus.length >= MAX_LPS) throw invalidLine(source, i + 1, `more than ${MAX_LPS} CPU rows (the platform limit)`);
    cpus.push({ line: i + 1, cpu, core, socket, node: int('NODE'), online });
    if (!first) first = i + 1;
    last = i + 1;
  }
  if (cpus.length === 0) throw invalidLine(source, 1, 'no CPU rows (expected the output of lscpu -p)');
  const seen = new Set<number>();
  for (const c of cpus) {
    if (seen.has(c.cpu)) throw invalidLine(source, c.line, `CPU ${c.cpu} is listed twice`);
    seen.add(c.cpu);
  }
  return { source, columns: columns ?? DEFAULT_COLUMNS, cpus: cpus.sort((a, b) => a.cpu - b.cpu), lines: [first, last] };
}

/** Each distinct value's rank in ascending order: one sort, then O(1) look-ups. */
function rankOf(values: number[]): Map<number, number> {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return new Map(distinct.map((v, i) => [v, i]));
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** An LP as a platform document lists it (offlinedAfterLpInit is not something lscpu can know). */
export type LpOut = Omit<Lp, 'offlinedAfterLpInit'>;

export type CpusDoc =
  | { packages: number; coresPerPackage: number; threadsPerCore: number; offline?: number[] }
  | { lps: LpOut[] };

/**
 * The platform's `cpus` member. Counts when the machine follows the Linux numbering the
 * validator assumes (id = thread × packages × cores + package × cores + core, nodes in package
 * order); otherwise an explicit LP list, which loses nothing.
 */
export function lscpuToCpus(l: Lscpu, nodeOfPackage: (p: number) => number): { cpus: CpusDoc; notes: string[] } {
  const notes: string[] = [];
  const known = l.cpus.filter((c) => c.core !== undefined && c.socket !== undefined);
  if (known.length === 0) throw invalidLine(l.source, l.lines[0], 'no row carries CORE and SOCKET: use lscpu -p (or -p=CPU,CORE,SOCKET,NODE,ONLINE)');
  // Sockets and cores are numbered system-wide by lscpu; the platform wants them per package.
  // Ranks come from maps built in one pass and sorted once (indexOf per CPU was quadratic:
  // 50,000 threads on one core took minutes).
  const socketRank = rankOf(known.map((c) => c.socket!));
  const sockets = [...socketRank.keys()];
  const coreIds = new Map<number, number[]>();
  const threadIds = new Map<string, number[]>();
  for (const c of known) {
    push(coreIds, c.socket!, c.core!);
    push(threadIds, `${c.socket}/${c.core}`, c.cpu);
  }
  const coreRank = new Map<number, Map<number, number>>();
  for (const [s, ids] of coreIds) coreRank.set(s, rankOf(ids));
  const threadRank = new Map<string, Map<number, number>>();
  for (const [k, ids] of threadIds) threadRank.set(k, rankOf(ids));
  const lps: LpOut[] = known.map((c) => ({
    id: c.cpu,
    package: socketRank.get(c.socket!)!,
    core: coreRank.get(c.socket!)!.get(c.core!)!,
    thread: threadRank.get(`${c.socket}/${c.core}`)!.get(c.cpu)!,
    node: c.node ?? 0,
    online: c.online,
  }));

  const packages = sockets.length;
  const cores = maxOf([...coreRank.values()].map((v) => v.size));
  const threads = maxOf([...threadRank.values()].map((v) => v.size));
  // Offline rows without topology: place them where the Linux numbering puts their id.
  const unknown = l.cpus.filter((c) => c.core === undefined || c.socket === undefined);
  if (unknown.length) {
    notes.push(`${l.source}: ${unknown.length} offline CPU(s) without topology (lines ${unknown[0].line}-${unknown[unknown.length - 1].line}) placed by the Linux numbering (id = thread × ${packages * cores} + package × ${cores} + core)`);
  }
  for (const c of unknown) {
    const perThread = packages * cores;
    const thread = Math.floor(c.cpu / perThread);
    const pkg = Math.floor((c.cpu % perThread) / cores);
    const core = c.cpu % cores;
    if (thread >= Math.max(threads, 2)) throw invalidLine(l.source, c.line, `CPU ${c.cpu} has no topology and does not fit the ${packages}×${cores}-core numbering of the others`);
    lps.push({ id: c.cpu, package: pkg, core, thread, node: c.node ?? nodeOfPackage(pkg), online: false });
  }
  lps.sort((a, b) => a.id - b.id);
  const threadsAll = maxOf(lps.map((p) => p.thread)) + 1;

  const regular = lps.length === packages * cores * threadsAll
    && lps.every((p) => p.id === p.thread * packages * cores + p.package * cores + p.core && p.node === nodeOfPackage(p.package));
  if (regular) {
    const offline = lps.filter((p) => !p.online).map((p) => p.id);
    return { cpus: { packages, coresPerPackage: cores, threadsPerCore: threadsAll, ...(offline.length ? { offline } : {}) }, notes };
  }
  notes.push(`${l.source}: CPU numbering is not the regular thread-major layout; the LPs are listed one by one`);
  return { cpus: { lps }, notes };
}
