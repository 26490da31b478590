// A tolerant reader of kernel logs as people post them: `dmesg`, `dmesg | grep tdx`, journal
// or syslog output, copied into issues with cut lines and Windows line ends. It never refuses a
// line it does not understand: logs are excerpts, and a reader that stops at the first odd line
// would lose exactly the posts that matter. Every fact keeps the line it came from, so a report
// can point back at the evidence.
//
// A text may hold several boots (a journal, two pastes, a `dmesg` saved across reboots): it is
// cut into boots first (splitBoots) and one boot is read, the last by default.
//
// Formats: test/data/real-logs/README.md; line stamps of dmesg(1) (-d, -T, -x, -r) and of
// journalctl(1) output modes short, short-iso, short-precise, short-iso-precise, short-monotonic.

import { oneLine, usageError } from '../errors.js';

import { hex } from '../../construct/hex.js';

export interface Provenance {
  /** 1-based line number in the text. */
  line: number;
  /** Kernel timestamp in seconds since boot, when the line carried one. */
  time?: number;
  /** Wall-clock seconds (journalctl short-precise / short-iso-precise), when the line carried a sub-second one. */
  wall?: number;
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
  | 'offline-cpus'
  | 'bios-not-enabled';

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

/** Which boot of the text was read, and why the text was cut where it was. */
export interface BootInfo {
  /** 1-based index of the boot read. */
  used: number;
  count: number;
  firstLine: number;
  lastLine: number;
  /** Why this boot starts where it does ('start of the text' for the first). */
  reason: string;
}

export interface KernelLog {
  source: string;
  lineCount: number;
  boot: BootInfo;
  /** `Linux version 6.8.0-1007-intel (…)`: the release string. */
  kernel?: Provenance & { version: string; text: string };
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
  /** Lines the poster cut (`...`, `…`, or text ending in one), in order. */
  cuts: number[];
  /** Things the reader noticed but did not act on (cut lines, repeated facts, counts beyond the limits). */
  notes: string[];
}

/** TDX line prefixes: `virt/tdx: ` on 6.x kernels, `tdx: ` on 2023 pre-upstream kernels. */
const TDX_PREFIX = /^(?:virt\/tdx|tdx):\s?/;
const HEX = '0x[0-9a-fA-F]+';
// Built once: a journal has hundreds of thousands of lines.
const CMR_LINE = new RegExp(`^CMR(?:\\[?\\d+\\]?)?:\\s*\\[(${HEX}),\\s*(${HEX})\\)`);
const TDMR_EXHAUSTED = new RegExp(`^TDMR \\[(${HEX}),\\s*(${HEX})\\): reserved areas exhausted`);
const SEAMCALL_FAILED = new RegExp(`^SEAMCALL \\((${HEX})\\) failed: (${HEX})`);
/** The 2021-2022 series: `SEAMCALL failed: CPU 12: leaf 35, error 0xc000092100000000.` (leaf in decimal or hex). */
const SEAMCALL_FAILED_OLD = new RegExp(`^SEAMCALL failed: CPU \\d+: leaf (${HEX}|\\d+), error (${HEX}|\\d+)`);
const BIOS_NOT_ENABLED = /^(?:\[firmware bug\]:\s*)?(?:TDX (?:is )?)?not enabled by BIOS/i;
const E820_LINE = new RegExp(`^BIOS-e820: \\[mem (${HEX})-(${HEX})\\] (.+)$`);
const MEMBLOCK_NODE = new RegExp(`^node\\s+(\\d+): \\[mem (${HEX})-(${HEX})\\]$`);
const SRAT_LINE = new RegExp(`^ACPI: SRAT: Node (\\d+) PXM (\\d+) \\[mem (${HEX})-(${HEX})\\]( hotplug)?`);
const NUMA_MERGE = new RegExp(`^NUMA: Node (\\d+) (?:\\[mem ${HEX}-${HEX}\\](?: \\+ )?)+ -> \\[mem (${HEX})-(${HEX})\\]`);

/** `[    8.366483] `, also with the `dmesg -d` delta `[    8.366483 <    0.000005>]`. */
const TIMESTAMP = /^\[\s*(\d+\.\d+)(?:\s*<\s*\d+\.\d+>)?\]/;
/** Stamps without seconds since boot: `dmesg -T` `[Thu Nov 21 10:00:00 2024]`, `--reltime` `[Nov21 10:00]` / `[  +0.000004]`. */
const OTHER_STAMP = /^\[(?:[A-Z][a-z]{2} [A-Z][a-z]{2} +\d+ \d{2}:\d{2}:\d{2} \d{4}|[A-Z][a-z]{2}\d+ \d{2}:\d{2}|\s*\+\s*\d+\.\d+)\]/;
/**
 * syslog / journalctl short `Nov 21 10:00:00 host kernel: `, short-precise `Nov 21 10:00:00.123456 host kernel: `,
 * short-iso(-precise) `2024-11-21T10:00:00[.123456]+0000 host kernel: `.
 */
const JOURNAL = /^(?:([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?|(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?) \S+ kernel:\s?/;
/** journalctl -o short-monotonic: `[    8.366483] host kernel: ` (the host part after a kernel stamp). */
const HOST_KERNEL = /^\S+ kernel:\s?/;
/** `dmesg -r` / `/dev/kmsg` priority prefix. */
const PRIORITY = /^<\d+>/;
/** `dmesg -x`: `kern  :info  : `. */
const FACILITY = /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res0|res1|res2|res3|local[0-7])\s*:\s*(?:emerg|alert|crit|err|warn|notice|info|debug)\s*:\s?/;
/** ANSI escape sequences (dmesg --color=always, journalctl in a terminal): CSI … final byte, or a two-byte ESC sequence. */
const ANSI = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_])/g;
/** Mail and issue quotes: `> `, `>> `, `> > `. */
const QUOTE = /^\s*(?:>\s?)+/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Wall-clock seconds are counted from 2000-01-01 so that microseconds stay exact in a double. */
const WALL_EPOCH_MS = Date.UTC(2000, 0, 1);

function num(hex: string): number | undefined {
  const v = BigInt(hex);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

interface Stripped {
  text: string;
  time?: number;
  wall?: number;
}

/** Wall-clock seconds of a journal prefix that carries a fraction; whole-second stamps are too coarse for a window. */
function wallSeconds(j: RegExpExecArray): number | undefined {
  if (j[1] !== undefined) {
    if (j[6] === undefined) return undefined;
    const month = MONTHS.indexOf(j[1]);
    if (month < 0) return undefined;
    // syslog stamps carry no year: any fixed year keeps differences exact within one boot.
    const ms = Date.UTC(2001, month, Number(j[2]), Number(j[3]), Number(j[4]), Number(j[5]));
    return (ms - WALL_EPOCH_MS) / 1000 + Number(`0.${j[6]}`);
  }
  if (j[13] === undefined) return undefined;
  let ms = Date.UTC(Number(j[7]), Number(j[8]) - 1, Number(j[9]), Number(j[10]), Number(j[11]), Number(j[12]));
  const zone = j[14];
  if (zone && zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60000;
  }
  return (ms - WALL_EPOCH_MS) / 1000 + Number(`0.${j[13]}`);
}

/** The line as the kernel printed it: colour codes and quote marks removed. Also used by format detection. */
export function cleanLine(raw: string): string {
  let text = raw.indexOf('\u001b') >= 0 ? raw.replace(ANSI, '') : raw;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const q = QUOTE.exec(text);
  if (q) text = text.slice(q[0].length);
  return text;
}

/** Peel journal prefix, facility, priority and timestamp, in whatever order a tool stacked them. */
function strip(raw: string): Stripped {
  let text = cleanLine(raw).replace(/^\s+/, '');
  let time: number | undefined;
  let wall: number | undefined;
  for (let guard = 0; guard < 5; guard++) {
    const before = text;
    const j = JOURNAL.exec(text);
    if (j) {
      text = text.slice(j[0].length);
      wall = wallSeconds(j) ?? wall;
    }
    const f = FACILITY.exec(text);
    if (f) text = text.slice(f[0].length);
    const p = PRIORITY.exec(text);
    if (p) text = text.slice(p[0].length);
    const t = TIMESTAMP.exec(text);
    if (t) {
      time = Number(t[1]);
      text = text.slice(t[0].length).trimStart();
      const h = HOST_KERNEL.exec(text);
      if (h) text = text.slice(h[0].length);
    } else {
      const o = OTHER_STAMP.exec(text);
      if (o) text = text.slice(o[0].length);
    }
    text = text.trimStart();
    if (text === before) break;
  }
  return { text: text.trimEnd(), time, wall };
}

/** One line of the text, stripped once and shared by the boot splitter and the reader. */
export interface LogLine {
  line: number;
  msg: string;
  time?: number;
  wall?: number;
}

/** The text's lines (BOM, CRLF/CR/LF, colour, quotes and stamps handled); blank and `#` header lines dropped. */
export function logLines(text: string): { lines: LogLine[]; count: number } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const raw = text.split(/\r\n|\n|\r/);
  const lines: LogLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    // No kernel line starts with '#'; excerpts (real-logs/case-*.txt) use it for their header.
    if (r.trim() === '' || /^\s*#/.test(r)) continue;
    const { text: msg, time, wall } = strip(r);
    if (msg === '') continue;
    const l: LogLine = { line: i + 1, msg };
    if (time !== undefined) l.time = time;
    if (wall !== undefined) l.wall = wall;
    lines.push(l);
  }
  return { lines, count: raw.length };
}

// ---- boots ----

export interface Boot {
  /** 1-based. */
  index: number;
  /** Index range [from, to) into the LogLine array. */
  from: number;
  to: number;
  firstLine: number;
  lastLine: number;
  reason: string;
}

/** journalctl prints `-- Boot 3f2a… --` between boots (older versions `-- Reboot --`). */
const JOURNAL_BOOT = /^-- (?:Boot [0-9a-fA-F]+|Reboot) --$/;
/** Other journalctl notes (`-- Logs begin at …`, `-- No entries --`) carry no kernel content. */
const JOURNAL_NOTE = /^-- .* --$/;
const LINUX_VERSION = /^Linux version (\S+)/;
const ELLIPSIS = /^(?:\.\.\.|…)$/;
/** The kernel prints this once per boot, from tdx_init() (arch/x86/virt/vmx/tdx/tdx.c). */
const KEYID_LINE = /^BIOS enabled: private KeyID range/;
const INIT_START = new RegExp(`^(?:CMR(?:\\[?\\d+\\]?)?:\\s*\\[${HEX}|TDX module[: ])`);
const OUTCOME = /^(?:\d+ KBs? allocated for PAMT|module initialized|TDX-Module initialized|initialization failed|module initialization failed|SEAMCALL|module not loaded|Unable to initialize the TDX module)/;
/**
 * A kernel stamp that goes back by more than this (seconds) starts a new boot. Within one boot
 * stamps only go back by the microseconds of printk from racing CPUs (or a pasted line out of order).
 */
const BACKWARDS_S = 1;

function tdxBody(msg: string): string | undefined {
  const m = TDX_PREFIX.exec(msg);
  if (m) return msg.slice(m[0].length);
  return /^TDX-Module initialized/.test(msg) ? msg : undefined;
}

/**
 * Cut the lines into boots. A boot starts at a journal `-- Boot … --` line, at a `Linux
 * version` line, where kernel timestamps go back, at a second `BIOS enabled: private KeyID
 * range` line, and where a new CMR list (or module identity) follows a finished or failed
 * initialization (then at the first TDX line after that outcome). Linear in the lines.
 */
export function splitBoots(lines: LogLine[]): Boot[] {
  const starts: { at: number; reason: string }[] = [{ at: 0, reason: 'start of the text' }];
  let content = false;
  let tdxSeen = false;
  let outcomeSeen = false;
  let afterOutcome = -1;
  let lastTime: number | undefined;
  const begin = (at: number, reason: string): void => {
    starts.push({ at, reason });
    content = false;
    tdxSeen = false;
    outcomeSeen = false;
    afterOutcome = -1;
    lastTime = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const msg = l.msg;
    if (JOURNAL_BOOT.test(msg)) {
      if (content) begin(i, `journal boot line (line ${l.line})`);
      else starts[starts.length - 1].reason = `journal boot line (line ${l.line})`;
      continue;
    }
    if (JOURNAL_NOTE.test(msg) || ELLIPSIS.test(msg)) continue;
    if (LINUX_VERSION.test(msg) && content) begin(i, `"Linux version" line (line ${l.line})`);
    else if (l.time !== undefined && lastTime !== undefined && content && l.time < lastTime - BACKWARDS_S) {
      begin(i, `timestamps go back from ${lastTime} to ${l.time} s (line ${l.line})`);
    }
    const body = tdxBody(msg);
    if (body !== undefined) {
      if (KEYID_LINE.test(body) && tdxSeen) begin(i, `a second "BIOS enabled" TDX line (line ${l.line})`);
      else if (INIT_START.test(body) && outcomeSeen) {
        const at = afterOutcome >= 0 ? afterOutcome : i;
        begin(at, `a new TDX initialization after a finished or failed one (line ${lines[at].line})`);
        for (let k = at; k < i; k++) {
          content = true;
          tdxSeen = true;
          if (lines[k].time !== undefined) lastTime = lines[k].time;
        }
      }
      if (OUTCOME.test(body)) {
        outcomeSeen = true;
        afterOutcome = -1;
      } else if (outcomeSeen && afterOutcome < 0) {
        afterOutcome = i;
      }
      tdxSeen = true;
    }
    content = true;
    if (l.time !== undefined) lastTime = l.time;
  }
  const boots: Boot[] = [];
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k].at;
    const to = k + 1 < starts.length ? starts[k + 1].at : lines.length;
    boots.push({
      index: k + 1, from, to, reason: starts[k].reason,
      firstLine: lines[from]?.line ?? 1, lastLine: lines[to - 1]?.line ?? lines[from]?.line ?? 1,
    });
  }
  return boots;
}

/** `--boot N`: 1-based, negative counts from the end, default the last. Out of range is a usage error. */
export function selectBoot(boots: Boot[], n: number | undefined, source: string): Boot {
  if (n === undefined) return boots[boots.length - 1];
  const k = n < 0 ? boots.length + n : n - 1;
  if (!Number.isInteger(n) || n === 0 || k < 0 || k >= boots.length) {
    throw usageError(`--boot ${n}: ${oneLine(source)} holds ${boots.length} boot(s); give 1..${boots.length} or -1..-${boots.length} (from the end)`);
  }
  return boots[k];
}

/** True when the message was one of the known formats. */
function parseTdxMessage(msg: string, at: Provenance, log: KernelLog, lineNo: number): boolean {
  log.tdxLines.push({ ...at, text: msg });

  let m = /^BIOS enabled: private KeyID range \[(\d+),\s*(\d+)\)/.exec(msg);
  if (m) {
    const first = Number(m[1]);
    const end = Number(m[2]);
    // IA32_MKTME_KEYID_PARTITIONING holds 32-bit counts: larger numbers are not a KeyID range.
    if (!(first <= 0xffffffff && end <= 0xffffffff && first <= end)) {
      log.notes.push(`line ${lineNo}: KeyID range [${m[1].slice(0, 20)}, ${m[2].slice(0, 20)}) is not a 32-bit range; ignored`);
      return true;
    }
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
  m = SEAMCALL_FAILED.exec(msg) ?? SEAMCALL_FAILED_OLD.exec(msg);
  if (m) {
    const leaf = BigInt(m[1]);
    log.failures.push({
      ...at, kind: 'seamcall', text: msg, status: hex(BigInt(m[2])),
      ...(leaf <= 0xffffn ? { leaf: Number(leaf) } : {}),
    });
    return true;
  }
  // 2021-2022 series: "not enabled by BIOS." / FW_BUG "[Firmware Bug]: TDX is not enabled by BIOS."
  if (BIOS_NOT_ENABLED.test(msg)) {
    log.failures.push({ ...at, kind: 'bios-not-enabled', text: msg });
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

/**
 * Counts read from a log are bounded by the platform limits (src/platform/validate.ts: 65,536 LPs,
 * 1,024 nodes): a count beyond them is ignored with a note, never used to size anything.
 */
const MAX_LOG_CPUS = 1 << 16;
const MAX_LOG_NODES = 1024;

function bounded(digits: string, max: number, what: string, log: KernelLog, lineNo: number): number | undefined {
  const n = digits.length > 15 ? Infinity : Number(digits);
  if (n <= max) return n;
  log.notes.push(`line ${lineNo}: ${digits.length > 20 ? `${digits.slice(0, 20)}…` : digits} ${what} is beyond the limit of ${max}; the line is ignored`);
  return undefined;
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
    const packages = bounded(m[1], MAX_LOG_CPUS, 'packages', log, lineNo);
    if (packages !== undefined) log.maxPackages = { ...at, packages };
    return true;
  }
  m = /^smpboot: Total of (\d+) processors activated/.exec(msg);
  if (m) {
    const cpus = bounded(m[1], MAX_LOG_CPUS, 'CPUs', log, lineNo);
    if (cpus !== undefined) log.activated = { ...at, cpus };
    return true;
  }
  m = /^smpboot: Allowing (\d+) CPUs?(?:, (\d+) hotplug CPUs?)?/.exec(msg);
  if (m) {
    const cpus = bounded(m[1], MAX_LOG_CPUS, 'CPUs', log, lineNo);
    const hotplug = m[2] === undefined ? 0 : bounded(m[2], cpus ?? 0, 'hotplug CPUs', log, lineNo);
    if (cpus !== undefined && hotplug !== undefined) log.allowingCpus = { ...at, cpus, ...(m[2] ? { hotplug } : {}) };
    return true;
  }
  m = /^smp: Brought up (\d+) nodes?, (\d+) CPUs?/.exec(msg);
  if (m) {
    const nodes = bounded(m[1], MAX_LOG_NODES, 'nodes', log, lineNo);
    const cpus = bounded(m[2], MAX_LOG_CPUS, 'CPUs', log, lineNo);
    if (nodes !== undefined && cpus !== undefined) log.broughtUp = { ...at, nodes, cpus };
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
  m = LINUX_VERSION.exec(msg);
  if (m) {
    if (!log.kernel) log.kernel = { ...at, version: m[1], text: msg };
    return true;
  }
  m = /^(?:Kernel )?[Cc]ommand line: (.*)$/.exec(msg);
  if (m && !log.commandLine) {
    log.commandLine = { ...at, text: m[1] };
    return true;
  }
  return false;
}

export interface ReadOptions {
  /** 1-based boot, negative from the end; default the last. */
  boot?: number;
}

/**
 * Read one boot of a kernel log (the last unless `opts.boot` says otherwise). Never throws on
 * content: unknown and cut lines are skipped; only an impossible `--boot` is a usage error.
 */
export function readKernelLog(text: string, source: string, opts: ReadOptions = {}): KernelLog {
  const { lines, count } = logLines(text);
  const boots = splitBoots(lines);
  const boot = selectBoot(boots, opts.boot, source);
  const log: KernelLog = {
    source, lineCount: count,
    boot: { used: boot.index, count: boots.length, firstLine: boot.firstLine, lastLine: boot.lastLine, reason: boot.reason },
    cmrs: [], failures: [], e820: [], memblock: [], srat: [], numa: [], tdxLines: [], cuts: [], notes: [],
  };
  for (let i = boot.from; i < boot.to; i++) {
    const { line: lineNo, msg, time, wall } = lines[i];
    if (JOURNAL_NOTE.test(msg)) continue;
    if (ELLIPSIS.test(msg)) {
      log.cuts.push(lineNo);
      continue;
    }
    const at: Provenance = { line: lineNo };
    if (time !== undefined) at.time = time;
    if (wall !== undefined) at.wall = wall;
    const cut = /(?:\.\.\.|…)\s*$/.test(msg) || /^(?:\.\.\.|…)/.test(msg);
    const body = tdxBody(msg);
    if (body !== undefined) {
      if (!parseTdxMessage(body, at, log, lineNo) && cut) {
        log.cuts.push(lineNo);
        log.notes.push(`line ${lineNo}: text cut by the poster ("..."); kept as a raw TDX line only`);
      }
      continue;
    }
    // The FW_BUG form carries no tdx prefix.
    if (/^\[firmware bug\]:\s*TDX/i.test(msg)) {
      parseTdxMessage(msg, at, log, lineNo);
      continue;
    }
    if (!parseOther(msg, at, log, lineNo) && cut && /tdx|e820|node\s+\d+:/i.test(msg)) {
      log.cuts.push(lineNo);
      log.notes.push(`line ${lineNo}: text cut by the poster ("..."), not read`);
    }
  }
  return log;
}

export interface TimingWindow {
  /** PAMT line time − last CMR line time. */
  seconds: number;
  /** Which stamps measured it: the kernel's seconds since boot, or the journal's wall clock (short-precise). */
  clock: 'kernel' | 'wall';
  from: Provenance;
  to: Provenance;
}

/** The span between two lines on the clock both carry (kernel stamps preferred), to the microsecond. */
function span(from: Provenance, to: Provenance): TimingWindow | undefined {
  if (to.line < from.line) return undefined;
  const clock = from.time !== undefined && to.time !== undefined ? 'kernel' : from.wall !== undefined && to.wall !== undefined ? 'wall' : undefined;
  if (!clock) return undefined;
  const a = clock === 'kernel' ? from.time! : from.wall!;
  const b = clock === 'kernel' ? to.time! : to.wall!;
  // Timestamps are printed to the microsecond; round away float noise from the subtraction.
  const seconds = Math.round((b - a) * 1e6) / 1e6;
  const pick = (p: Provenance): Provenance => (clock === 'kernel' ? { line: p.line, time: p.time } : { line: p.line, wall: p.wall });
  return { seconds, clock, from: pick(from), to: pick(to) };
}

/**
 * The window between the kernel's last CMR line and its PAMT line. It covers TDMR
 * construction, PAMT allocation, CONFIG, WBINVD, KEY.CONFIG and all TDMR.INIT calls; absolute
 * timestamps only say when KVM loaded. Undefined when either end lacks a timestamp.
 */
export function timingWindow(log: KernelLog): TimingWindow | undefined {
  const last = log.cmrs[log.cmrs.length - 1];
  if (!last || !log.pamt) return undefined;
  return span(last, log.pamt);
}

/**
 * The window explain compares with the model: from the last CMR line, or from the module
 * identity line when the kernel printed no CMRs (newer upstream kernels), to the PAMT line.
 */
export function initWindow(log: KernelLog): TimingWindow | undefined {
  const byCmr = timingWindow(log);
  if (byCmr || log.cmrs.length) return byCmr;
  if (!log.module || !log.pamt) return undefined;
  return span(log.module, log.pamt);
}
