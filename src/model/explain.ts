// explain: a real boot log beside the model of the same machine.
//
// The log is read once for its own TDX facts and once (through the importer) for the
// platform. The model's side is read back through the same log reader from the kernel lines
// the simulation prints, so "PAMT KB", "initialized" and "failure" mean exactly the same thing
// on both sides. Failure signatures are recognized from the log alone: the machines that most
// need an explanation are the ones whose excerpt is too short to model.
//
// The verdict never claims more than the log shows: `agree` only when the log has an outcome
// (and a PAMT figure when it initialized) that the model reproduces; `incomplete` when the log
// lacks the fact to compare; `no-tdx-init` when the boot shows no TDX initialization at all,
// which is never modeled as a success. Each diagnosis carries a stable id (docs/explain.md).

import { readKernelLog, initWindow, cleanLine, type KernelLog, type FailureFact } from '../platform/importers/dmesg.js';
import { buildPlatform, type ParsedSource, type MemoryOrigin, type ImportedInput, type PartialMap } from '../platform/importers/merge.js';
import { applySets } from '../platform/load.js';
import { validatePlatform } from '../platform/validate.js';
import { InputError, usageError } from '../platform/errors.js';
import { splitSets, simulateOnce, type SimulationReport } from './run.js';
import { statusName } from './module/status.js';
import { LEAF, leafName } from './module/leaves.js';
import type { Platform } from '../platform/types.js';
import { insideInterval, modelWindowSpan, windowIntervalSeconds, INTERVAL_LEVEL } from './interval.js';
import { classifyGuestLines } from '../guest/logs.js';
import type { FailureClass as GuestFailureClass } from '../guest/abi.js';
import { hex } from '../construct/hex.js';

export interface Facts {
  pamtKb: number | null;
  initialized: boolean | null;
  failure: string | null;
  windowSeconds: number | null;
  /** Model only: the 80% interval of the window under boot-to-boot variation (src/model/interval.ts); timing-differs is judged against it. */
  windowIntervalSeconds?: [number, number] | null;
}

/** What the log says, with the boot it came from and the identity lines it printed. */
export interface LogFacts extends Facts {
  boot: { used: number; count: number };
  /** `Linux version` release. */
  kernel: string | null;
  /** Module version and build as printed ("1.5 build 698, 20240129"). */
  module: string | null;
  /** CPU0's model line ("Intel(R) Xeon(R) Platinum 8480CTDX, family 0x6 model 0x8f"). */
  cpu: string | null;
}

export type Verdict = 'agree' | 'differ' | 'incomplete' | 'no-tdx-init';

/** Stable diagnosis ids: CI scripts match on them (docs/explain.md lists each). */
export type DiagnosisId =
  | 'no-tdx-init' | 'bios-not-enabled' | 'module-not-loaded' | 'seamcall-failed' | 'reserved-areas-exhausted'
  | 'tdmrs-exhausted' | 'module-1.0' | 'offline-cpus' | 'hibernation' | 'too-few-keyids' | 'pamt-out-of-memory'
  | 'init-failed' | 'truncated-log' | 'memory-map-partial' | 'pamt-differs' | 'outcome-differs' | 'timing-differs'
  | 'cannot-rebuild'
  // Guest lines (a TD's own log, pasted with or without the host's): src/guest/logs.ts.
  | `guest-${string}`;

export interface Evidence {
  /** 1-based line in the log; null when the evidence is not one line (a comparison, a missing fact). */
  line: number | null;
  text: string;
}

export interface Diagnosis {
  id: DiagnosisId;
  cause: string;
  evidence: Evidence;
  remedies: string[];
  /** Guest diagnoses only: who is at fault (module bug, VMM error, guest misuse, timeout, info). */
  failureClass?: GuestFailureClass;
}

/** The `--format json` shape; key order is part of the contract. */
export interface ExplainResult {
  verdict: Verdict;
  platform: Record<string, unknown> | null;
  log: LogFacts;
  model: Facts | null;
  agree: { pamtKb: boolean | null; outcome: boolean | null; window: boolean | null };
  diagnosis: Diagnosis[];
}

/** What the text report shows besides the JSON shape. */
export interface ExplainContext {
  file: string;
  memoryFrom: MemoryOrigin | null;
  warnings: string[];
  policy: string | null;
  modelError: string | null;
  /** Inputs of the rebuilt platform, each marked read or guessed. */
  inputs: ImportedInput[];
  /** Why the boot read starts where it does, when the text held several. */
  bootReason: string;
}

export interface ExplainOptions {
  policy?: string;
  sets?: string[];
  name?: string;
}

const FAILED_PREFIX = 'initialization failed: ';

/** The failure text: after "initialization failed: " when the kernel printed that, else the most specific failure line. */
export function failureText(log: KernelLog): string | null {
  if (log.initialized) return null;
  const prefixed = log.failures.find((f) => f.text.startsWith(FAILED_PREFIX));
  if (prefixed) return prefixed.text.slice(FAILED_PREFIX.length);
  // "module initialization failed (-N)" only repeats the errno of a more specific line.
  const specific = log.failures.find((f) => f.kind !== 'module-init-failed') ?? log.failures[0];
  return specific ? specific.text : null;
}

export function logFacts(log: KernelLog): LogFacts {
  const m = log.module;
  const c = log.cpuModel;
  return {
    pamtKb: log.pamt?.kb ?? null,
    initialized: log.initialized ? true : log.failures.length ? false : null,
    failure: failureText(log),
    windowSeconds: initWindow(log)?.seconds ?? null,
    boot: { used: log.boot.used, count: log.boot.count },
    kernel: log.kernel?.version ?? null,
    module: m ? `${m.printedVersion}${m.build !== undefined ? ` build ${m.build}` : ''}${m.buildDate ? `, ${m.buildDate}` : ''}` : null,
    cpu: c ? `${c.name}, family 0x${c.family.toString(16)} model 0x${c.model.toString(16)}` : null,
  };
}

/** Modeled seconds from TDMR construction to the end of the last TDH.SYS.TDMR.INIT, the span the log window covers. */
export function modelWindowSeconds(report: SimulationReport): number | null {
  if (!report.outcome.initialized) return null;
  const span = modelWindowSpan(report.timeline);
  return span ? Math.round(span.endUs - span.startUs) / 1e6 : null;
}

export function modelFacts(report: SimulationReport): Facts {
  const printed = readKernelLog(report.log.join('\n'), 'model');
  return {
    pamtKb: printed.pamt?.kb ?? null,
    initialized: report.outcome.initialized,
    failure: report.outcome.initialized ? null : failureText(printed) ?? report.outcome.error?.message ?? null,
    windowSeconds: modelWindowSeconds(report),
    windowIntervalSeconds: windowIntervalSeconds(report.intervals),
  };
}

export interface LogSource {
  file: string;
  log: KernelLog;
  lines: string[];
}

/** The evidence line as the kernel printed it (colour codes and quote marks removed). */
function evidenceOf(src: LogSource, line: number): Evidence {
  return { line, text: cleanLine(src.lines[line - 1] ?? '').trim() };
}

/**
 * Guest lines in the boot explain reads (a TD's dmesg, GetQuote failures, meminfo's
 * Unaccepted:), classified by src/guest/logs.ts into the guest failure classes. Line numbers
 * stay the file's own.
 */
function guestDiagnoses(src: LogSource): Diagnosis[] {
  const { firstLine, lastLine } = src.log.boot;
  const first = Math.max(1, firstLine);
  const last = Math.min(src.lines.length, lastLine >= first ? lastLine : src.lines.length);
  return classifyGuestLines(src.lines.slice(first - 1, last).map(cleanLine)).map((g) => ({
    id: g.id as DiagnosisId,
    cause: g.cause,
    evidence: evidenceOf(src, g.line + first - 1),
    remedies: [g.remedy],
    failureClass: g.failureClass,
  }));
}

const hexStatus = (s: string): bigint => BigInt(s);
const STATUS_NOT_READY = 0xc000050500000000n;
const STATUS_CONFIG_NOT_PENDING = 0xc000050c00000000n;
const HIGH = 0xffffffff00000000n;
/** Statuses of a CPU whose MSR/CPUID configuration differs from what SYS.INIT sampled, or is wrong. */
const MSR_CPUID = new Set([0xc000092000000000n, 0xc000092100000000n, 0xc000090000000000n, 0xc000090200000000n, 0xc000090600000000n]);

const OFFLINE_REMEDIES = [
  'boot without nosmt, maxcpus= or nr_cpus= and keep every CPU online until TDX is initialized (KVM load, or boot with boot-time init)',
  'or disable the unwanted CPUs / Hyper-Threading in the BIOS, so MCHECK does not count them',
];

const KEYID_REMEDY = 'raise the number of TDX KeyIDs in the BIOS split of TME-MT KeyIDs (at least 2; usually half or more)';
const ENABLE_REMEDIES = [
  'enable TDX in the BIOS (TME, TME-MT with TDX KeyIDs, TDX, the SEAM loader)',
  'boot a kernel built with CONFIG_INTEL_TDX_HOST and load KVM with TDX on (kvm_intel.tdx=1 on the command line)',
];

/** Diagnoses for the failure lines of one log. Order follows the log. */
function signatureDiagnoses(src: LogSource, platform: Platform | null): Diagnosis[] {
  const out: Diagnosis[] = [];
  const log = src.log;
  const seen = new Set<string>();
  const push = (key: string, d: Diagnosis): void => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  const cmd = log.commandLine?.text ?? '';
  const offlineHint = /(?:^|\s)(nosmt|maxcpus=\d+|nr_cpus=\d+)/.exec(cmd);
  const maxReserved = platform?.module.maxReservedPerTdmr;
  const maxTdmrs = platform?.module.maxTdmrs;
  const explained = (f: FailureFact): boolean => f.kind !== 'module-init-failed' && f.kind !== 'init-failed';

  for (const f of log.failures) {
    const ev = evidenceOf(src, f.line);
    switch (f.kind) {
      case 'bios-not-enabled':
        push(f.kind, {
          id: 'bios-not-enabled',
          cause: 'the kernel found TDX not enabled by the BIOS, so it never tried to initialize it',
          evidence: ev,
          remedies: [ENABLE_REMEDIES[0], 'update the BIOS if it offers no TDX setting for this CPU'],
        });
        break;
      case 'reserved-areas-exhausted': {
        const where = f.tdmr ? `TDMR [${hex(f.tdmr.start)}, ${hex(f.tdmr.end)})` : 'a TDMR';
        push(f.kind, {
          id: 'reserved-areas-exhausted',
          cause: `reserved areas exhausted: ${where} holds more memory holes (plus PAMTs) than the module's ${maxReserved ?? 16} reserved areas per TDMR`,
          evidence: ev,
          remedies: [
            'a kernel that finds holes from the CMRs instead of memblock (the 2024 "Reduce TDMR\'s reserved areas by using CMRs" fix, carried by some distribution kernels): `--set kernel.holes=cmr` shows the effect',
            'BIOS settings that reduce the holes in low memory (fewer reserved/ACPI/MMIO ranges below 4 GiB: disable unused devices and option ROMs, move MMIO above 4 GiB)',
            'a TDX module that reports more reserved areas per TDMR',
          ],
        });
        break;
      }
      case 'tdmrs-exhausted':
        push(f.kind, {
          id: 'tdmrs-exhausted',
          cause: `TDMRs exhausted: covering the memory map in 1 GiB-aligned TDMRs needs more than the module's ${maxTdmrs ?? 64}`,
          evidence: ev,
          remedies: [
            'fewer NUMA nodes and memory holes (disable sub-NUMA clustering; populate DIMMs evenly so node ranges are contiguous)',
            'a TDX module that reports a larger TDMR limit',
            'a kernel that packs TDMRs differently (compare policies with --policy)',
          ],
        });
        break;
      case 'hibernation':
        push(f.kind, {
          id: 'hibernation',
          cause: 'the kernel refused TDX because hibernation is possible (TDX private memory cannot survive hibernation)',
          evidence: ev,
          remedies: ['boot with `nohibernate` on the kernel command line'],
        });
        break;
      case 'not-loaded':
        push(f.kind, {
          id: 'module-not-loaded',
          cause: 'the TDX module is not loaded: SEAMCALL returned VMFailInvalid',
          evidence: ev,
          remedies: [
            ENABLE_REMEDIES[0],
            'install the TDX module files (TDX-SEAM.so and its .sigstruct) where the BIOS / seamldr loads them, or update to a BIOS that carries the module',
          ],
        });
        break;
      case 'keyids':
        push(f.kind, {
          id: 'too-few-keyids',
          cause: 'too few private KeyIDs: TDX needs one global KeyID for the module and at least one for guests',
          evidence: ev,
          remedies: [KEYID_REMEDY],
        });
        break;
      case 'offline-cpus':
        push(f.kind, {
          id: 'offline-cpus',
          cause: `CPUs were offline when TDX initialization started${offlineHint ? ` (the command line has ${offlineHint[1]})` : ''}`,
          evidence: ev,
          remedies: OFFLINE_REMEDIES,
        });
        break;
      case 'seamcall': {
        if (f.status === undefined || f.leaf === undefined) break;
        const status = hexStatus(f.status);
        const name = `${leafName(f.leaf)} (${hex(f.leaf)}) returned ${statusName(status)} (${f.status})`;
        if (f.leaf === LEAF.SYS_RD && status === STATUS_NOT_READY) {
          push('tdx10', {
            id: 'module-1.0',
            cause: `a TDX 1.0 module under a 6.8+ kernel: ${name}; 1.0 modules answer TDH.SYS.RD only after initialization, and these kernels read metadata with it first`,
            evidence: ev,
            remedies: ['update the TDX module to 1.5 or later (a BIOS update, or newer module files for seamldr)', 'or run a kernel that still reads the module with TDH.SYS.INFO (before 6.8)'],
          });
        } else if (f.leaf === LEAF.SYS_CONFIG && (status & HIGH) === STATUS_CONFIG_NOT_PENDING) {
          push('offline-cpus', {
            id: 'offline-cpus',
            cause: `${name}: not every BIOS-enabled CPU ran TDH.SYS.LP.INIT, so some CPUs were offline${offlineHint ? ` (the command line has ${offlineHint[1]})` : ''}`,
            evidence: ev,
            remedies: OFFLINE_REMEDIES,
          });
        } else if ((f.leaf === LEAF.SYS_LP_INIT || f.leaf === LEAF.SYS_INIT) && MSR_CPUID.has(status & HIGH)) {
          push('msr-cpuid', {
            id: 'seamcall-failed',
            cause: `${name}: a CPU's MSR or CPUID configuration is wrong or differs from the one TDH.SYS.INIT sampled`,
            evidence: ev,
            remedies: [
              'make the BIOS settings identical on every socket (TME, TME-MT, TDX, SGX, Hyper-Threading, prefetchers)',
              'update the BIOS and CPU microcode so every package runs the same, TDX-supported microcode revision',
              'avoid kernel parameters that change CPU features on some CPUs only',
            ],
          });
        } else {
          push(`seamcall-${f.leaf}-${f.status}`, { id: 'seamcall-failed', cause: `${name}: not a signature this tool knows`, evidence: ev, remedies: [] });
        }
        break;
      }
      default:
        break;
    }
  }
  // A KeyID range too small to run TDX is a cause even when the refusal line was cut.
  if (log.keyids && log.keyids.tdx < 2 && !seen.has('keyids')) {
    out.push({
      id: 'too-few-keyids',
      cause: `only ${log.keyids.tdx} TDX KeyID(s) enabled: TDX needs one global KeyID for the module and at least one for guests`,
      evidence: evidenceOf(src, log.keyids.line),
      remedies: [KEYID_REMEDY],
    });
  }
  if (log.tdmrsReachingLimit && !seen.has('tdmrs-exhausted') && log.tdmrsReachingLimit.used >= log.tdmrsReachingLimit.max) {
    out.push({
      id: 'tdmrs-exhausted',
      cause: `all ${log.tdmrsReachingLimit.max} TDMRs consumed`,
      evidence: evidenceOf(src, log.tdmrsReachingLimit.line),
      remedies: ['fewer NUMA nodes and memory holes (disable sub-NUMA clustering)', 'a TDX module that reports a larger TDMR limit'],
    });
  }
  // Generic lines only when nothing more specific explained the failure.
  if (!log.failures.some(explained)) {
    const generic = log.failures.find((f) => f.kind === 'init-failed') ?? log.failures.find((f) => f.kind === 'module-init-failed');
    if (generic) {
      const enomem = generic.errno === -12 || /-12\b/.test(generic.text);
      out.push({
        id: enomem ? 'pamt-out-of-memory' : 'init-failed',
        cause: enomem ? 'out of memory while allocating PAMTs (each TDMR needs one physically contiguous PAMT on its node)' : `initialization failed without a signature this tool knows: ${generic.text}`,
        evidence: evidenceOf(src, generic.line),
        remedies: enomem ? ['initialize TDX early (load KVM at boot) before memory fragments', 'reserve less memory for huge pages or crash kernels before KVM loads'] : [],
      });
    }
  }
  return out;
}

/** True when the boot shows no attempt to initialize TDX: at most the BIOS KeyID line, or a "not enabled by BIOS" refusal. */
export function noTdxInit(log: KernelLog): boolean {
  return !log.module && log.cmrs.length === 0 && !log.pamt && !log.initialized && !log.tdmrsReachingLimit
    && log.failures.every((f) => f.kind === 'bios-not-enabled');
}

/** Why there is nothing to model: what the boot shows instead of a TDX initialization. */
function noInitDiagnosis(src: LogSource): Diagnosis | null {
  const log = src.log;
  if (log.failures.length) return null; // bios-not-enabled says it more precisely
  const where = `boot ${log.boot.used} of ${log.boot.count}, lines ${log.boot.firstLine}-${log.boot.lastLine}`;
  const cpu = log.cpuModel;
  const notIntel = cpu !== undefined && !/intel/i.test(cpu.name) && /amd|hygon|zhaoxin|centaur/i.test(cpu.name);
  if (log.keyids) {
    return {
      id: 'no-tdx-init',
      cause: `the BIOS enabled TDX (private KeyIDs [${log.keyids.first}, ${log.keyids.end})) but nothing in this boot initialized it: KVM was not loaded with TDX, or the excerpt stops before it (${where})`,
      evidence: evidenceOf(src, log.keyids.line),
      remedies: [ENABLE_REMEDIES[1], 'if KVM did load, give the log from the kvm_intel lines to the end of the boot'],
    };
  }
  return {
    id: 'no-tdx-init',
    cause: notIntel
      ? `no TDX line at all, and CPU0 is a ${cpu!.name}: TDX is an Intel feature (${where})`
      : `the log shows no TDX line at all: TDX was not enabled, not built into the kernel, or the lines were filtered out (${where})`,
    evidence: cpu && notIntel ? evidenceOf(src, cpu.line) : { line: null, text: `no virt/tdx or tdx: line in ${src.file}` },
    remedies: notIntel ? ['run on an Intel CPU with TDX (Sapphire Rapids or later, with a TDX-enabled BIOS)'] : [...ENABLE_REMEDIES, 'check that `dmesg | grep -i tdx` was not cut away from the file'],
  };
}

/**
 * The facts the log is missing for a comparison: a cut inside the TDX block (between the start
 * of initialization and its outcome), no outcome line at all, or success without a PAMT line.
 */
function truncationDiagnosis(src: LogSource): Diagnosis | null {
  const log = src.log;
  const startLine = Math.min(log.module?.line ?? Infinity, log.cmrs[0]?.line ?? Infinity);
  const outcomeLine = Math.min(log.pamt?.line ?? Infinity, log.initialized?.line ?? Infinity, ...log.failures.map((f) => f.line));
  const cut = log.cuts.find((c) => c >= startLine && c <= outcomeLine);
  const remedies = ['give the whole boot (`sudo dmesg`, or `journalctl -k -b`), not an excerpt: the model can only be compared on facts the log keeps'];
  if (cut !== undefined) {
    return { id: 'truncated-log', cause: 'the excerpt was cut inside the TDX initialization ("..."): lines the comparison needs may be missing', evidence: evidenceOf(src, cut), remedies };
  }
  if (Number.isFinite(startLine) && !Number.isFinite(outcomeLine)) {
    return { id: 'truncated-log', cause: 'the log ends before the initialization outcome: no PAMT, "module initialized" or failure line', evidence: evidenceOf(src, startLine), remedies };
  }
  if (log.initialized && !log.pamt) {
    return { id: 'truncated-log', cause: 'the log says the module initialized but has no PAMT line to compare', evidence: evidenceOf(src, log.initialized.line), remedies };
  }
  return null;
}

function partialMapDiagnosis(src: LogSource, p: PartialMap): Diagnosis {
  const g = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
  return {
    id: 'memory-map-partial',
    cause: `the memory map in the log covers ${g(p.mapBytes)} of the ${g(p.cmrBytes)} the CMRs span: it was cut, so the ${g(p.addedBytes)} of CMRs above it were modeled as memory`,
    evidence: p.file === src.file ? evidenceOf(src, p.line) : { line: null, text: `${p.file}:${p.line}` },
    remedies: ['give the complete memory map (all BIOS-e820 or "node N: [mem …]" lines, or /proc/iomem) for an exact layout'],
  };
}

function comparisonDiagnoses(src: LogSource, log: Facts, model: Facts, memoryFrom: MemoryOrigin | null): Diagnosis[] {
  const out: Diagnosis[] = [];
  if (log.pamtKb !== null && model.pamtKb !== null && log.pamtKb !== model.pamtKb) {
    const diff = model.pamtKb - log.pamtKb;
    const remedies = memoryFrom === 'cmrs'
      ? ['the log carries no memory map, so each CMR stood in for memory; holes inside the CMRs (or memory the kernel left out) change the TDMR layout: give the full dmesg (BIOS-e820 or "node N: [mem …]" lines) or /proc/iomem to `explain`']
      : ['check the policy (--policy) and the module\'s PAMT entry sizes / Dynamic PAMT (--set module.…) against the machine'];
    out.push({
      id: 'pamt-differs',
      cause: `model and log disagree on PAMT: the log printed ${log.pamtKb} KB, the model ${model.pamtKb} KB (${diff > 0 ? '+' : ''}${diff} KB)`,
      evidence: evidenceOf(src, src.log.pamt!.line),
      remedies,
    });
  }
  if (log.initialized !== null && model.initialized !== null && log.initialized !== model.initialized) {
    const first = src.log.initialized?.line ?? src.log.failures[0]?.line ?? null;
    out.push({
      id: 'outcome-differs',
      cause: log.initialized
        ? `the log initialized but the model fails (${model.failure ?? 'no reason printed'}): the rebuilt platform differs from the machine`
        : `the log failed but the model initializes: the failure depends on something the log does not show the model (CPU, BIOS or module state beyond the excerpt)`,
      evidence: first === null ? { line: null, text: 'outcome' } : evidenceOf(src, first),
      remedies: log.initialized
        ? ['give the full dmesg, /proc/iomem or lscpu -p so the platform is rebuilt from the machine\'s own map', 'try --policy and --set kernel.holes=cmr to match the kernel that produced the log']
        : ['see the signature diagnoses above; a longer log excerpt (with the command line and CPU lines) lets the model reproduce more failures'],
    });
  }
  const timing = timingDiagnosis(src, log.windowSeconds, model.windowIntervalSeconds ?? null);
  if (timing) out.push(timing);
  return out;
}

/**
 * The timing comparison: the log's CMR→PAMT window against the model's interval for it. A
 * point prediction is not judged (a single number is always "off" by something); only a
 * window outside the model's stated interval is a difference.
 */
export function timingDiagnosis(src: LogSource, logSeconds: number | null, interval: [number, number] | null): Diagnosis | null {
  if (logSeconds === null || interval === null || insideInterval(logSeconds, interval)) return null;
  const [lo, hi] = interval;
  const w = initWindow(src.log);
  return {
    id: 'timing-differs',
    cause: `timing differs: the log's init window of ${logSeconds.toFixed(3)} s (last CMR or module line → PAMT line) is ${logSeconds < lo ? 'faster' : 'slower'} than the model's ${(100 * INTERVAL_LEVEL).toFixed(0)}% interval [${lo.toFixed(3)}, ${hi.toFixed(3)}] s`,
    evidence: w ? evidenceOf(src, w.to.line) : { line: null, text: 'window' },
    remedies: [
      'fit the TDMR.INIT cost to this machine: `tdxmodel calibrate LOG…` on its logs, then pass the printed --set line to explain/simulate',
      'if this boot was unusually slow or fast (a busy or throttled CPU during TDMR.INIT, another kernel), compare a second boot of the same machine',
      'check the module version and CPU model the model assumed (marked "guessed" above)',
    ],
  };
}

/** The verdict from what both sides could say: see the header of this file. */
export function verdictOf(log: Facts, model: Facts | null, agree: ExplainResult['agree'], diagnosis: Diagnosis[], tdxInit: boolean): Verdict {
  if (!tdxInit) return 'no-tdx-init';
  const ids = new Set(diagnosis.map((d) => d.id));
  // A cut log can make the model differ as easily as agree: neither is a finding.
  if (model === null || ids.has('truncated-log') || ids.has('cannot-rebuild')) return 'incomplete';
  if (agree.outcome === false || agree.pamtKb === false || ids.has('timing-differs')) return 'differ';
  if (agree.outcome !== true) return 'incomplete';
  if (log.initialized && agree.pamtKb !== true) return 'incomplete';
  return 'agree';
}

export interface ExplainRun {
  result: ExplainResult;
  context: ExplainContext;
  /** The simulation behind `model`, and the platform it ran on (null when not rebuilt). */
  report: SimulationReport | null;
  platform: Platform | null;
}

/** Explain the first kernel log among `sources`; other sources (iomem, lscpu, sysfs) refine the platform. */
export async function explainSources(sources: ParsedSource[], opts: ExplainOptions = {}): Promise<ExplainRun> {
  const first = sources.find((s): s is Extract<ParsedSource, { kind: 'dmesg' }> => s.kind === 'dmesg');
  if (!first) throw usageError(`explain needs a kernel log; ${sources.map((s) => `${s.file} is ${s.kind}`).join(', ')}`);
  const src: LogSource = { file: first.file, log: first.log, lines: first.lines };
  const log = logFacts(first.log);
  const { platformSets, costOverrides } = splitSets(opts.sets ?? []);
  const context: ExplainContext = {
    file: first.file, memoryFrom: null, warnings: [], policy: null, modelError: null, inputs: [],
    bootReason: first.log.boot.reason,
  };
  const tdxInit = !noTdxInit(first.log);
  const diagnosis: Diagnosis[] = [];

  if (!tdxInit) {
    // Nothing was initialized: modeling the machine would only invent a success.
    const guest = guestDiagnoses(src);
    const none = noInitDiagnosis(src);
    if (none && guest.length) {
      // A TD's own log: host initialization is not in it by nature, not by failure.
      none.cause = `this is a TD guest's log (guest TDX lines, no host initialization): there is no host TDX init to compare; the guest lines are classified below (boot ${src.log.boot.used} of ${src.log.boot.count})`;
      none.evidence = guest[0].evidence;
      none.remedies = ['for the host side, give the host\'s dmesg; for the guest\'s costs, model the TD with `tdxmodel guest`'];
    }
    if (none) diagnosis.push(none);
    diagnosis.push(...signatureDiagnoses(src, null), ...guest);
    const agree = { pamtKb: null, outcome: null, window: null };
    return { result: { verdict: 'no-tdx-init', platform: null, log, model: null, agree, diagnosis }, context, report: null, platform: null };
  }

  let document: Record<string, unknown> | null = null;
  let buildError: string | null = null;
  let partialMap: PartialMap | null = null;
  try {
    const imported = buildPlatform(sources, { name: opts.name });
    document = imported.document;
    context.memoryFrom = imported.memoryFrom;
    context.warnings = imported.warnings;
    context.inputs = imported.inputs;
    partialMap = imported.partialMap;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    buildError = e.rule;
  }

  let platform: Platform | null = null;
  let report: SimulationReport | null = null;
  let model: Facts | null = null;
  if (document) {
    // --set errors are the user's, not the log's: they stay usage errors (exit 2).
    applySets(document, platformSets);
    try {
      platform = validatePlatform(document);
    } catch (e) {
      if (e instanceof InputError) throw new InputError('--set', e.message);
      throw e;
    }
    report = (await simulateOnce(platform, { policy: opts.policy, costOverrides })).report;
    model = modelFacts(report);
    context.policy = report.policy.name;
    context.modelError = report.outcome.error?.message ?? null;
  } else {
    diagnosis.push({
      id: 'cannot-rebuild',
      cause: `the platform cannot be rebuilt from this log, so there is no model: ${buildError}`,
      evidence: { line: null, text: first.file },
      remedies: ['give the full dmesg (with the BIOS-e820 or "node N: [mem …]" lines) or add /proc/iomem, or a log that keeps the virt/tdx CMR lines'],
    });
  }

  const signatures = signatureDiagnoses(src, platform);
  const reserved = signatures.find((x) => x.id === 'reserved-areas-exhausted');
  if (platform && reserved && platform.kernel.holes !== 'cmr' && platform.cmrsGiven) {
    // Say what the first remedy would do on this very machine rather than in general.
    const alt = validatePlatform({ ...document, kernel: { ...((document!.kernel as object) ?? {}), holes: 'cmr' } });
    const r = (await simulateOnce(alt, { policy: opts.policy, costOverrides })).report;
    reserved.remedies[0] += r.outcome.initialized
      ? ` (on this platform the model then initializes, ${r.pamt.totalKb} KB PAMT)`
      : ` (on this platform the model still fails: ${r.outcome.error?.message ?? 'unknown'})`;
  }
  diagnosis.push(...signatures, ...guestDiagnoses(src));
  const truncated = truncationDiagnosis(src);
  if (truncated) diagnosis.push(truncated);
  if (partialMap) diagnosis.push(partialMapDiagnosis(src, partialMap));
  if (model) diagnosis.push(...comparisonDiagnoses(src, log, model, context.memoryFrom));

  const agree = {
    pamtKb: log.pamtKb === null || model === null || model.pamtKb === null ? null : log.pamtKb === model.pamtKb,
    outcome: log.initialized === null || model === null || model.initialized === null ? null : log.initialized === model.initialized,
    // Timing: the log's window against the model's 80% interval (timingDiagnosis says why not).
    window: insideInterval(log.windowSeconds, model?.windowIntervalSeconds ?? null),
  };
  const verdict = verdictOf(log, model, agree, diagnosis, tdxInit);
  return { result: { verdict, platform: document, log, model, agree, diagnosis }, context, report, platform };
}
