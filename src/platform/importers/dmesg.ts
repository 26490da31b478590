// A tolerant reader of kernel logs as people post them: `dmesg`, `dmesg | grep tdx`, journal
// or syslog output, copied into issues with cut lines and Windows line ends. It never refuses a
// line it does not understand: logs are excerpts, and a reader that stops at the first odd line
// would lose exactly the posts that matter. Every fact keeps the line it came from, so a report
// can point back at the evidence.
//
// Formats: /work/shared/real-logs/README.md and init-flow.md §3.

import { hex } from '../../construct/hex.js';

export interface Provenance {
  /** 1-based line number in the text. */
  line: number;
  /** Kernel timestamp in seconds since boot, when the line carried one. */
  time?: number;
}

export interface KeyIdFact extends Provenance {
  /** Kernel's half-open range [first, end) of private (TDX) KeyIDs. */
  first: number;
  end: number;
  /** IA32_MKTME_KEYID_PARTITIONING split: TDX KeyIDs start right after the last MKTME one. */
  mktme: number;
  tdx: number;
}

export type ModuleIdFormat = 'attributes' | 'version-build' | 'version';

export interface ModuleFact extends Provenance {
  /** "major.minor[.update]": "1.5" from the attributes format, which carries no update number. */
  version: string;
  /** The version exactly as printed, when the line had more parts ("2.0.08.00"). */
  printedVersion: string;
  major: number;
  minor: number;
  build?: number;
  buildDate?: string;
  format: ModuleIdFormat;
}

export interface CmrFact extends Provenance {
  start: number;
  end: number;
}

export interface PamtFact extends Provenance {
  kb: number;
}

export interface InitializedFact extends Provenance {
  text: string;
}

export type FailureKind =
  | 'tdmrs-exhausted'
  | 'reserved-areas-exhausted'
  | 'hibernation'
  | 'init-failed'
  | 'module-init-failed'
  | 'seamcall'
  | 'not-loaded'
  | 'keyids'
  | 'offline-cpus';

export interface FailureFact extends Provenance {
  kind: FailureKind;
  /** The message after the `virt/tdx: ` prefix. */
  text: string;
  /** `module initialization failed (-28)` → -28. */
  errno?: number;
  /** SEAMCALL leaf number. */
  leaf?: number;
  /** SEAMCALL status as printed, lowercase hex (64 bits do not fit a double). */
  status?: string;
  /** The TDMR named by "reserved areas exhausted". */
  tdmr?: { start: number; end: number };
}

export interface E820Fact extends Provenance {
  start: number;
  /** Half-open: the printed inclusive end + 1. */
  end: number;
  type: string;
}

export interface MemblockFact extends Provenance {
  start: number;
  end: number;
  node: number;
}

export interface SratFact extends Provenance {
  node: number;
  pxm: number;
  start: number;
  end: number;
  hotplug: boolean;
}

/** `NUMA: Node 0 [mem …] + [mem …] -> [mem …]`: the node's SRAT ranges joined into one span. */
export interface NumaFact extends Provenance {
  node: number;
  start: number;
  end: number;
}

export interface CpuModelFact extends Provenance {
  name: string;
  family: number;
  model: number;
  stepping?: number;
}

export interface KernelLog {
  source: string;
  lineCount: number;
  keyids?: KeyIdFact;
  module?: ModuleFact;
  cmrs: CmrFact[];
  pamt?: PamtFact;
  initialized?: InitializedFact;
  failures: FailureFact[];
  /** `consumed TDMRs reaching limit: U used out of M`. */
  tdmrsReachingLimit?: Provenance & { used: number; max: number };
  e820: E820Fact[];
  memblock: MemblockFact[];
  srat: SratFact[];
  numa: NumaFact[];
  cpuModel?: CpuModelFact;
  /** `smpboot: Max logical packages: N` (kernels before 6.9). */
  maxPackages?: Provenance & { packages: number };
  /** `smpboot: Total of N processors activated`. */
  activated?: Provenance & { cpus: number };
  allowingCpus?: Provenance & { cpus: number; hotplug?: number };
  broughtUp?: Provenance & { nodes: number; cpus: number };
  commandLine?: Provenance & { text: string };
  /** Every TDX line, prefix removed, in order: what `explain` prints beside the model. */
  tdxLines: (Provenance & { text: string })[];
  /** Things the reader noticed but did not act on (cut lines, repeated facts). */
  notes: string[];
}

/** TDX line prefixes: `virt/tdx: ` on 6.x kernels, `tdx: ` on 2023 pre-upstream kernels. */
const TDX_PREFIX = /^(?:virt\/tdx|tdx):\s?/;
const HEX = '0x[0-9a-fA-F]+';
// Built once: a journal has hundreds of thousands of lines.
const CMR_LINE = new RegExp(`^CMR(?:\\[?\\d+\\]?)?:\\s*\\[(${HEX}),\\s*(${HEX})\\)`);
const TDMR_EXHAUSTED = new RegExp(`^TDMR \\[(${HEX}),\\s*(${HEX})\\): reserved areas exhausted`);
const SEAMCALL_FAILED = new RegExp(`^SEAMCALL \\((${HEX})\\) failed: (${HEX})`);
const E820_LINE = new RegExp(`^BIOS-e820: \\[mem (${HEX})-(${HEX})\\] (.+)$`);
const MEMBLOCK_NODE = new RegExp(`^node\\s+(\\d+): \\[mem (${HEX})-(${HEX})\\]$`);
const SRAT_LINE = new RegExp(`^ACPI: SRAT: Node (\\d+) PXM (\\d+) \\[mem (${HEX})-(${HEX})\\]( hotplug)?`);
const NUMA_MERGE = new RegExp(`^NUMA: Node (\\d+) (?:\\[mem ${HEX}-${HEX}\\](?: \\+ )?)+ -> \\[mem (${HEX})-(${HEX})\\]`);

/** `[    8.366483] `, also with the `dmesg -d` delta `[    8.366483 <    0.000005>]`. */
const TIMESTAMP = /^\[\s*(\d+\.\d+)(?:\s*<\s*\d+\.\d+>)?\]/;
/** Stamps without seconds since boot: `dmesg -T` `[Thu Nov 21 10:00:00 2024]`, `--reltime` `[Nov21 10:00]` / `[  +0.000004]`. */
const OTHER_STAMP = /^\[(?:[A-Z][a-z]{2} [A-Z][a-z]{2} +\d+ \d{2}:\d{2}:\d{2} \d{4}|[A-Z][a-z]{2}\d+ \d{2}:\d{2}|\s*\+\s*\d+\.\d+)\]/;
/** syslog `Nov 21 10:00:00 host kernel: ` and journalctl -o short-iso `2024-11-21T10:00:00+0000 host kernel: `. */
const JOURNAL = /^(?:[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)?|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?) \S+ kernel:\s?/;
/** `dmesg -r` / `/dev/kmsg` priority prefix. */
const PRIORITY = /^<\d+>/;

function num(hex: string): number | undefined {
  const v = BigInt(hex);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

interface Stripped {
  text: string;
  time?: number;
}

/** Peel journal prefix, priority and timestamp, in whatever order a tool stacked them. */
function strip(raw: string): Stripped {
  let text = raw.replace(/^\s+/, '');
  let time: number | undefined;
  for (let guard = 0; guard < 4; guard++) {
    const before = text;
    const j = JOURNAL.exec(text);
    if (j) text = text.slice(j[0].length);
    const p = PRIORITY.exec(text);
    if (p) text = text.slice(p[0].length);
    const t = TIMESTAMP.exec(text);
    if (t) {
      time = Number(t[1]);
      text = text.slice(t[0].length);
    } else {
      const o = OTHER_STAMP.exec(text);
      if (o) text = text.slice(o[0].length);
    }
    text = text.trimStart();
    if (text === before) break;
  }
  return { text: text.trimEnd(), time };
}

/** True when the message was one of the known formats. */
function parseTdxMessage(msg: string, at: Provenance, log: KernelLog, lineNo: number): boolean {
  log.tdxLines.push({ ...at, text: msg });

  let m = /^BIOS enabled: private KeyID range \[(\d+),\s*(\d+)\)/.exec(msg);
  if (m) {
    const first = Number(m[1]);
    const end = Number(m[2]);
    if (log.keyids) log.notes.push(`line ${lineNo}: a second KeyID line (several boots in one log?); the first is kept`);
    else log.keyids = { ...at, first, end, mktme: Math.max(0, first - 1), tdx: Math.max(0, end - first) };
    return true;
  }

  m = /^TDX module:.*?major_version (\d+), minor_version (\d+)(?:, build_date (\d+))?(?:, build_num (\d+))?/.exec(msg);
  if (m) {
    setModule(log, lineNo, {
      ...at, major: Number(m[1]), minor: Number(m[2]), version: `${Number(m[1])}.${Number(m[2])}`,
      printedVersion: `${m[1]}.${m[2]}`, format: 'attributes',
      ...(m[3] ? { buildDate: m[3] } : {}), ...(m[4] ? { build: Number(m[4]) } : {}),
    });
    return true;
  }
  m = /^TDX module (\d+)\.(\d+)\.(\d+)(?:\.(\d+))?,\s*build number (\d+)(?:,\s*build date (\S+))?/.exec(msg);
  if (m) {
    setModule(log, lineNo, {
      ...at, major: Number(m[1]), minor: Number(m[2]), version: `${m[1]}.${m[2]}.${m[3]}`,
      printedVersion: [m[1], m[2], m[3], m[4]].filter((x) => x !== undefined).join('.'), format: 'version-build',
      build: Number(m[5]), ...(m[6] ? { buildDate: m[6] } : {}),
    });
    return true;
  }
  m = /^TDX module version:\s*(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(msg);
  if (m) {
    const parts = [m[1], m[2], m[3], m[4]].filter((x) => x !== undefined);
    setModule(log, lineNo, {
      ...at, major: Number(m[1]), minor: Number(m[2]), version: parts.slice(0, 3).join('.'),
      printedVersion: parts.join('.'), format: 'version',
    });
    return true;
  }

  m = CMR_LINE.exec(msg);
  if (m) {
    const start = num(m[1]);
    const end = num(m[2]);
    if (start === undefined || end === undefined) {
      log.notes.push(`line ${lineNo}: CMR address beyond 2^53, ignored`);
      return true;
    }
    const prev = log.cmrs[log.cmrs.length - 1];
    // A CMR list that starts over is a second boot (or a second paste) in the same text.
    if (prev && start < prev.end && log.pamt) {
      log.notes.push(`line ${lineNo}: a second CMR list (several boots in one log?); the first is kept`);
      return true;
    }
    log.cmrs.push({ ...at, start, end });
    return true;
  }

  m = /^(\d+) KBs? allocated for PAMT\.?$/.exec(msg);
  if (m) {
    if (log.pamt) log.notes.push(`line ${lineNo}: a second PAMT line (several boots in one log?); the first is kept`);
    else log.pamt = { ...at, kb: Number(m[1]) };
    return true;
  }

  if (/^(?:module initialized|TDX-Module initialized)\.?$/.test(msg)) {
    if (!log.initialized) log.initialized = { ...at, text: msg };
    return true;
  }

  m = /^consumed TDMRs reaching limit: (\d+) used out of (\d+)/.exec(msg);
  if (m) {
    log.tdmrsReachingLimit = { ...at, used: Number(m[1]), max: Number(m[2]) };
    return true;
  }

  m = /^initialization failed: (.*)$/.exec(msg);
  if (m) {
    const reason = m[1];
    const r = TDMR_EXHAUSTED.exec(reason);
    if (r) {
      const start = num(r[1]);
      const end = num(r[2]);
      log.failures.push({
        ...at, kind: 'reserved-areas-exhausted', text: msg,
        ...(start !== undefined && end !== undefined ? { tdmr: { start, end } } : {}),
      });
    } else if (/^TDMRs exhausted/.test(reason)) {
      log.failures.push({ ...at, kind: 'tdmrs-exhausted', text: msg });
    } else if (/^Hibernation support is enabled/i.test(reason)) {
      log.failures.push({ ...at, kind: 'hibernation', text: msg });
    } else if (/^too few private KeyIDs/i.test(reason)) {
      log.failures.push({ ...at, kind: 'keyids', text: msg });
    } else {
      log.failures.push({ ...at, kind: 'init-failed', text: msg });
    }
    return true;
  }
  m = /^module initialization failed \((-?\d+)\)/.exec(msg);
  if (m) {
    log.failures.push({ ...at, kind: 'module-init-failed', text: msg, errno: Number(m[1]) });
    return true;
  }
  m = SEAMCALL_FAILED.exec(msg);
  if (m) {
    log.failures.push({
      ...at, kind: 'seamcall', text: msg, leaf: Number(BigInt(m[1])), status: hex(BigInt(m[2])),
    });
    return true;
  }
  if (/^module not loaded/.test(msg)) {
    log.failures.push({ ...at, kind: 'not-loaded', text: msg });
    return true;
  }
  if (/^too few private KeyIDs/i.test(msg)) {
    log.failures.push({ ...at, kind: 'keyids', text: msg });
    return true;
  }
  // The 2022 series refused outright instead of letting TDH.SYS.CONFIG fail.
  if (/^Unable to initialize the TDX module when there's offline CPU/i.test(msg)) {
    log.failures.push({ ...at, kind: 'offline-cpus', text: msg });
    return true;
  }
  // Hibernation has been reported in other words by other kernel generations.
  if (/hibernation/i.test(msg) && /(?:fail|disable|enabled)/i.test(msg)) {
    log.failures.push({ ...at, kind: 'hibernation', text: msg });
    return true;
  }
  return false;
}

function setModule(log: KernelLog, lineNo: number, fact: ModuleFact): void {
  if (log.module) log.notes.push(`line ${lineNo}: a second module identity line; the first is kept`);
  else log.module = fact;
}

function parseOther(msg: string, at: Provenance, log: KernelLog, lineNo: number): boolean {
  let m = E820_LINE.exec(msg);
  if (m) {
    const start = num(m[1]);
    const last = num(m[2]);
    if (start === undefined || last === undefined) log.notes.push(`line ${lineNo}: e820 address beyond 2^53, ignored`);
    else log.e820.push({ ...at, start, end: last + 1, type: m[3].trim() });
    return true;
  }
  m = MEMBLOCK_NODE.exec(msg);
  if (m) {
    const start = num(m[2]);
    const last = num(m[3]);
    if (start === undefined || last === undefined) log.notes.push(`line ${lineNo}: memblock address beyond 2^53, ignored`);
    else log.memblock.push({ ...at, node: Number(m[1]), start, end: last + 1 });
    return true;
  }
  m = SRAT_LINE.exec(msg);
  if (m) {
    const start = num(m[3]);
    const last = num(m[4]);
    if (start !== undefined && last !== undefined) {
      log.srat.push({ ...at, node: Number(m[1]), pxm: Number(m[2]), start, end: last + 1, hotplug: !!m[5] });
    }
    return true;
  }
  m = NUMA_MERGE.exec(msg);
  if (m) {
    const start = num(m[2]);
    const last = num(m[3]);
    if (start !== undefined && last !== undefined) log.numa.push({ ...at, node: Number(m[1]), start, end: last + 1 });
    return true;
  }
  m = /^smpboot: Max logical packages: (\d+)/.exec(msg);
  if (m) {
    log.maxPackages = { ...at, packages: Number(m[1]) };
    return true;
  }
  m = /^smpboot: Total of (\d+) processors activated/.exec(msg);
  if (m) {
    log.activated = { ...at, cpus: Number(m[1]) };
    return true;
  }
  m = /^smpboot: Allowing (\d+) CPUs?(?:, (\d+) hotplug CPUs?)?/.exec(msg);
  if (m) {
    log.allowingCpus = { ...at, cpus: Number(m[1]), ...(m[2] ? { hotplug: Number(m[2]) } : {}) };
    return true;
  }
  m = /^smp: Brought up (\d+) nodes?, (\d+) CPUs?/.exec(msg);
  if (m) {
    log.broughtUp = { ...at, nodes: Number(m[1]), cpus: Number(m[2]) };
    return true;
  }
  m = /^smpboot: CPU0: (.*?) \(family: (0x[0-9a-f]+), model: (0x[0-9a-f]+)(?:, stepping: (0x[0-9a-f]+))?\)/i.exec(msg);
  if (m) {
    log.cpuModel = {
      ...at, name: m[1].trim(), family: Number(m[2]), model: Number(m[3]),
      ...(m[4] ? { stepping: Number(m[4]) } : {}),
    };
    return true;
  }
  m = /^(?:Kernel )?[Cc]ommand line: (.*)$/.exec(msg);
  if (m && !log.commandLine) {
    log.commandLine = { ...at, text: m[1] };
    return true;
  }
  return false;
}

/** Read a kernel log. Never throws on content: unknown and cut lines are skipped. */
export function readKernelLog(text: string, source: string): KernelLog {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\n|\r/);
  const log: KernelLog = {
    source, lineCount: lines.length, cmrs: [], failures: [], e820: [], memblock: [], srat: [], numa: [], tdxLines: [], notes: [],
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    // No kernel line starts with '#'; excerpts (real-logs/case-*.txt) use it for their header.
    if (raw.trim() === '' || /^\s*#/.test(raw)) continue;
    const { text: msg, time } = strip(raw);
    if (msg === '' || /^(?:\.\.\.|…)$/.test(msg)) continue;
    const at: Provenance = time === undefined ? { line: lineNo } : { line: lineNo, time };
    const cut = /(?:\.\.\.|…)\s*$/.test(msg) || /^(?:\.\.\.|…)/.test(msg);
    const tdx = TDX_PREFIX.exec(msg);
    if (tdx) {
      const body = msg.slice(tdx[0].length);
      if (!parseTdxMessage(body, at, log, lineNo) && cut) {
        log.notes.push(`line ${lineNo}: text cut by the poster ("..."); kept as a raw TDX line only`);
      }
      continue;
    }
    // 2026 kernels print the success line without the prefix.
    if (/^TDX-Module initialized\.?$/.test(msg)) {
      parseTdxMessage(msg, at, log, lineNo);
      continue;
    }
    if (!parseOther(msg, at, log, lineNo) && cut && /tdx|e820|node\s+\d+:/i.test(msg)) {
      log.notes.push(`line ${lineNo}: text cut by the poster ("..."), not read`);
    }
  }
  return log;
}

export interface TimingWindow {
  /** PAMT line time − last CMR line time. */
  seconds: number;
  from: Provenance;
  to: Provenance;
}

/**
 * The window between the kernel's last CMR line and its PAMT line. It covers TDMR
 * construction, PAMT allocation, CONFIG, WBINVD, KEY.CONFIG and all TDMR.INIT calls; absolute
 * timestamps only say when KVM loaded. Undefined when either end lacks a timestamp.
 */
export function timingWindow(log: KernelLog): TimingWindow | undefined {
  const last = log.cmrs[log.cmrs.length - 1];
  const pamt = log.pamt;
  if (!last || !pamt || last.time === undefined || pamt.time === undefined) return undefined;
  if (pamt.line < last.line) return undefined;
  // Timestamps are printed to the microsecond; round away float noise from the subtraction.
  const seconds = Math.round((pamt.time - last.time) * 1e6) / 1e6;
  return { seconds, from: { line: last.line, time: last.time }, to: { line: pamt.line, time: pamt.time } };
}

/**
 * The window explain compares with the model: from the last CMR line, or from the module
 * identity line when the kernel printed no CMRs (newer upstream kernels), to the PAMT line.
 */
export function initWindow(log: KernelLog): TimingWindow | undefined {
  const byCmr = timingWindow(log);
  if (byCmr || log.cmrs.length) return byCmr;
  const from = log.module;
  const pamt = log.pamt;
  if (!from || !pamt || from.time === undefined || pamt.time === undefined || pamt.line < from.line) return undefined;
  const seconds = Math.round((pamt.time - from.time) * 1e6) / 1e6;
  return { seconds, from: { line: from.line, time: from.time }, to: { line: pamt.line, time: pamt.time } };
}
