// explain: a real boot log beside the model of the same machine.
//
// The log is read once for its own TDX facts and once (through the importer) for the
// platform. The model's side is read back through the same log reader from the kernel lines
// the simulation prints, so "PAMT KB", "initialized" and "failure" mean exactly the same thing
// on both sides. Failure signatures are recognized from the log alone: the machines that most
// need an explanation are the ones whose excerpt is too short to model.

import { readKernelLog, initWindow, type KernelLog, type FailureFact } from '../platform/importers/dmesg.js';
import { buildPlatform, type ParsedSource, type MemoryOrigin } from '../platform/importers/merge.js';
import { applySets } from '../platform/load.js';
import { validatePlatform } from '../platform/validate.js';
import { InputError, usageError } from '../platform/errors.js';
import { splitSets, simulateOnce, type SimulationReport } from './run.js';
import { statusName } from './module/status.js';
import { LEAF, leafName } from './module/leaves.js';
import type { Platform } from '../platform/types.js';
import { maxOf } from '../util/extent.js';
import { hex } from '../construct/hex.js';

export interface Facts {
  pamtKb: number | null;
  initialized: boolean | null;
  failure: string | null;
  windowSeconds: number | null;
}

export interface Evidence {
  /** 1-based line in the log; null when the evidence is not one line (a comparison, a missing fact). */
  line: number | null;
  text: string;
}

export interface Diagnosis {
  cause: string;
  evidence: Evidence;
  remedies: string[];
}

/** The `--format json` shape; key order is part of the contract. */
export interface ExplainResult {
  platform: Record<string, unknown> | null;
  log: Facts;
  model: Facts | null;
  agree: { pamtKb: boolean | null; outcome: boolean | null };
  diagnosis: Diagnosis[];
}

/** What the text report shows besides the JSON shape. */
export interface ExplainContext {
  file: string;
  memoryFrom: MemoryOrigin | null;
  warnings: string[];
  policy: string | null;
  modelError: string | null;
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

export function logFacts(log: KernelLog): Facts {
  return {
    pamtKb: log.pamt?.kb ?? null,
    initialized: log.initialized ? true : log.failures.length ? false : null,
    failure: failureText(log),
    windowSeconds: initWindow(log)?.seconds ?? null,
  };
}

/** Modeled seconds from TDMR construction to the end of the last TDH.SYS.TDMR.INIT, the span the log window covers. */
export function modelWindowSeconds(report: SimulationReport): number | null {
  if (!report.outcome.initialized) return null;
  const from = report.timeline.find((s) => s.step === 'construct TDMRs');
  const inits = report.timeline.filter((s) => s.step === 'TDH.SYS.TDMR.INIT');
  if (!from || inits.length === 0) return null;
  const end = maxOf(inits.map((s) => s.endUs));
  return Math.round(end - from.startUs) / 1e6;
}

export function modelFacts(report: SimulationReport): Facts {
  const printed = readKernelLog(report.log.join('\n'), 'model');
  return {
    pamtKb: printed.pamt?.kb ?? null,
    initialized: report.outcome.initialized,
    failure: report.outcome.initialized ? null : failureText(printed) ?? report.outcome.error?.message ?? null,
    windowSeconds: modelWindowSeconds(report),
  };
}

interface LogSource {
  file: string;
  log: KernelLog;
  lines: string[];
}

function evidenceOf(src: LogSource, line: number): Evidence {
  return { line, text: (src.lines[line - 1] ?? '').trim() };
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
      case 'reserved-areas-exhausted': {
        const where = f.tdmr ? `TDMR [${hex(f.tdmr.start)}, ${hex(f.tdmr.end)})` : 'a TDMR';
        push(f.kind, {
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
          cause: 'the kernel refused TDX because hibernation is possible (TDX private memory cannot survive hibernation)',
          evidence: ev,
          remedies: ['boot with `nohibernate` on the kernel command line'],
        });
        break;
      case 'not-loaded':
        push(f.kind, {
          cause: 'the TDX module is not loaded: SEAMCALL returned VMFailInvalid',
          evidence: ev,
          remedies: [
            'enable TDX in the BIOS (TME, TME-MT with TDX KeyIDs, TDX, the SEAM loader)',
            'install the TDX module files (TDX-SEAM.so and its .sigstruct) where the BIOS / seamldr loads them, or update to a BIOS that carries the module',
          ],
        });
        break;
      case 'keyids':
        push(f.kind, {
          cause: 'too few private KeyIDs: TDX needs one global KeyID for the module and at least one for guests',
          evidence: ev,
          remedies: ['raise the number of TDX KeyIDs in the BIOS split of TME-MT KeyIDs (at least 2; usually half or more)'],
        });
        break;
      case 'offline-cpus':
        push(f.kind, {
          cause: `CPUs were offline when TDX initialization started${offlineHint ? ` (the command line has ${offlineHint[1]})` : ''}`,
          evidence: ev,
          remedies: OFFLINE_REMEDIES,
        });
        break;
      case 'seamcall': {
        if (f.status === undefined || f.leaf === undefined) break;
        const status = hexStatus(f.status);
        const name = `${leafName(f.leaf)} (${hex(f.leaf)}) returned ${statusName(status)}`;
        if (f.leaf === LEAF.SYS_RD && status === STATUS_NOT_READY) {
          push('tdx10', {
            cause: `a TDX 1.0 module under a 6.8+ kernel: ${name}; 1.0 modules answer TDH.SYS.RD only after initialization, and these kernels read metadata with it first`,
            evidence: ev,
            remedies: ['update the TDX module to 1.5 or later (a BIOS update, or newer module files for seamldr)', 'or run a kernel that still reads the module with TDH.SYS.INFO (before 6.8)'],
          });
        } else if (f.leaf === LEAF.SYS_CONFIG && (status & HIGH) === STATUS_CONFIG_NOT_PENDING) {
          push('config-offline', {
            cause: `${name}: not every BIOS-enabled CPU ran TDH.SYS.LP.INIT, so some CPUs were offline${offlineHint ? ` (the command line has ${offlineHint[1]})` : ''}`,
            evidence: ev,
            remedies: OFFLINE_REMEDIES,
          });
        } else if ((f.leaf === LEAF.SYS_LP_INIT || f.leaf === LEAF.SYS_INIT) && MSR_CPUID.has(status & HIGH)) {
          push('msr-cpuid', {
            cause: `${name}: a CPU's MSR or CPUID configuration is wrong or differs from the one TDH.SYS.INIT sampled`,
            evidence: ev,
            remedies: [
              'make the BIOS settings identical on every socket (TME, TME-MT, TDX, SGX, Hyper-Threading, prefetchers)',
              'update the BIOS and CPU microcode so every package runs the same, TDX-supported microcode revision',
              'avoid kernel parameters that change CPU features on some CPUs only',
            ],
          });
        } else {
          push(`seamcall-${f.leaf}-${f.status}`, { cause: `${name}: not a signature this tool knows`, evidence: ev, remedies: [] });
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
      cause: `only ${log.keyids.tdx} TDX KeyID(s) enabled: TDX needs one global KeyID for the module and at least one for guests`,
      evidence: evidenceOf(src, log.keyids.line),
      remedies: ['raise the number of TDX KeyIDs in the BIOS split of TME-MT KeyIDs (at least 2)'],
    });
  }
  if (log.tdmrsReachingLimit && !seen.has('tdmrs-exhausted') && log.tdmrsReachingLimit.used >= log.tdmrsReachingLimit.max) {
    out.push({
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
        cause: enomem ? 'out of memory while allocating PAMTs (each TDMR needs one physically contiguous PAMT on its node)' : `initialization failed without a signature this tool knows: ${generic.text}`,
        evidence: evidenceOf(src, generic.line),
        remedies: enomem ? ['initialize TDX early (load KVM at boot) before memory fragments', 'reserve less memory for huge pages or crash kernels before KVM loads'] : [],
      });
    }
  }
  return out;
}

function comparisonDiagnoses(src: LogSource, log: Facts, model: Facts, memoryFrom: MemoryOrigin | null): Diagnosis[] {
  const out: Diagnosis[] = [];
  if (log.pamtKb !== null && model.pamtKb !== null && log.pamtKb !== model.pamtKb) {
    const diff = model.pamtKb - log.pamtKb;
    const remedies = memoryFrom === 'cmrs'
      ? ['the log carries no memory map, so each CMR stood in for memory; holes inside the CMRs (or memory the kernel left out) change the TDMR layout: give the full dmesg (BIOS-e820 or "node N: [mem …]" lines) or /proc/iomem to `explain`']
      : ['check the policy (--policy) and the module\'s PAMT entry sizes / Dynamic PAMT (--set module.…) against the machine'];
    out.push({
      cause: `model and log disagree on PAMT: the log printed ${log.pamtKb} KB, the model ${model.pamtKb} KB (${diff > 0 ? '+' : ''}${diff} KB)`,
      evidence: evidenceOf(src, src.log.pamt!.line),
      remedies,
    });
  }
  if (log.initialized !== null && model.initialized !== null && log.initialized !== model.initialized) {
    const first = src.log.initialized?.line ?? src.log.failures[0]?.line ?? null;
    out.push({
      cause: log.initialized
        ? `the log initialized but the model fails (${model.failure ?? 'no reason printed'}): the rebuilt platform differs from the machine`
        : `the log failed but the model initializes: the failure depends on something the log does not show the model (CPU, BIOS or module state beyond the excerpt)`,
      evidence: first === null ? { line: null, text: 'outcome' } : evidenceOf(src, first),
      remedies: log.initialized
        ? ['give the full dmesg, /proc/iomem or lscpu -p so the platform is rebuilt from the machine\'s own map', 'try --policy and --set kernel.holes=cmr to match the kernel that produced the log']
        : ['see the signature diagnoses above; a longer log excerpt (with the command line and CPU lines) lets the model reproduce more failures'],
    });
  }
  return out;
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
  const context: ExplainContext = { file: first.file, memoryFrom: null, warnings: [], policy: null, modelError: null };

  let document: Record<string, unknown> | null = null;
  let buildError: string | null = null;
  try {
    const imported = buildPlatform(sources, { name: opts.name });
    document = imported.document;
    context.memoryFrom = imported.memoryFrom;
    context.warnings = imported.warnings;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    buildError = e.rule;
  }

  let platform: Platform | null = null;
  let report: SimulationReport | null = null;
  let model: Facts | null = null;
  const diagnosis: Diagnosis[] = [];
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
      cause: `the platform cannot be rebuilt from this log, so there is no model: ${buildError}`,
      evidence: { line: null, text: first.file },
      remedies: ['give the full dmesg (with the BIOS-e820 or "node N: [mem …]" lines) or add /proc/iomem, or a log that keeps the virt/tdx CMR lines'],
    });
  }

  const signatures = signatureDiagnoses(src, platform);
  if (platform && signatures.some((d) => d.cause.startsWith('reserved areas exhausted')) && platform.kernel.holes !== 'cmr' && platform.cmrsGiven) {
    // Say what the first remedy would do on this very machine rather than in general.
    const alt = validatePlatform({ ...document, kernel: { ...((document!.kernel as object) ?? {}), holes: 'cmr' } });
    const r = (await simulateOnce(alt, { policy: opts.policy, costOverrides })).report;
    const d = signatures.find((x) => x.cause.startsWith('reserved areas exhausted'))!;
    d.remedies[0] += r.outcome.initialized
      ? ` (on this platform the model then initializes, ${r.pamt.totalKb} KB PAMT)`
      : ` (on this platform the model still fails: ${r.outcome.error?.message ?? 'unknown'})`;
  }
  diagnosis.push(...signatures);
  if (model) diagnosis.push(...comparisonDiagnoses(src, log, model, context.memoryFrom));

  const agree = {
    pamtKb: log.pamtKb === null || model === null || model.pamtKb === null ? null : log.pamtKb === model.pamtKb,
    outcome: log.initialized === null || model === null || model.initialized === null ? null : log.initialized === model.initialized,
  };
  return { result: { platform: document, log, model, agree, diagnosis }, context, report, platform };
}
