// One entry for the guest side: a TD document (file, stdin or preset) → a GuestReport. The
// report's JSON shape is the versioned contract of docs/guest-schema.md.

import { InputError, inFile, oneLine } from '../platform/errors.js';
import { readText } from '../platform/load.js';
import { parseJsonOrYaml } from '../platform/jsonOrYaml.js';
import type { ResolvedCost } from '../model/costs.js';
import { applyTdSets, defaultReason, GUEST_SCHEMA_VERSION, validateTd, type TdDocument } from '../guest/document.js';
import { getTdPreset } from '../guest/presets.js';
import { guestCostValues, resolveGuestCosts } from '../guest/costs.js';
import { assembleBoot, GiB, planBoot, versionCode, type BootResult, type HostWork, type MemoryCosts, type Phase } from '../guest/boot/model.js';
import { acceptTrialsHere, runAcceptTrials, GUEST_WORKER } from './guestAcceptRun.js';
import { dropSpareWorkers } from './chunkPool.js';
import type { AcceptJob } from '../guest/boot/acceptJob.js';
import type { AttestationConfig, AttestationResult } from '../guest/attestation/index.js';
import { runAttestation, runAttestationHere } from './attestationRun.js';

export interface Stats { mean: number; p50: number; p95: number; max: number }

/** Null when no quote is modeled (requests 0, or configfs on a kernel before 6.7). */
export interface OptionalLatency { mean: number | null; p50: number | null; p95: number | null; p99: number | null; max: number | null }

export type GuestAttestation = Omit<AttestationResult, 'latencySeconds' | 'throughputPerSecond'> & {
  config: AttestationConfig;
  /** false: no quote was modeled; `reason` says why, and the latencies and throughput are null. */
  modeled: boolean;
  reason?: string;
  latencySeconds: OptionalLatency;
  throughputPerSecond: number | null;
};

export interface GuestReport {
  schema: 'tdxmodel-guest';
  version: number;
  source: string;
  td: TdDocument;
  defaulted: { field: string; value: unknown; why: string }[];
  boot: {
    firmwareSeconds: number;
    toInitSeconds: number;
    acceptedAtInitGiB: number;
    unacceptedAtInitGiB: number;
    stormSeconds: number;
    stormGiB: number;
    phases: Phase[];
  };
  memory: MemoryCosts & {
    fullyAcceptedSeconds: number | null;
    acceptedCurve: { seconds: number[]; bytes: number[] };
  };
  host: HostWork;
  attestation: GuestAttestation;
  trials: null | { count: number; seed: number; toInitSeconds: Stats; fullyAcceptedSeconds: Stats | null };
  parameters: ResolvedCost[];
  /** Names of 'assumed' parameters the numbers rest on. */
  assumed: string[];
  notes: string[];
}

export interface GuestRequest {
  input: string;
  sets: string[];
  trials: number;
  seed: number;
  /** Threads for the trials, this one included; absent: chosen from the estimated work of each pool (guestAcceptRun.ts, attestationRun.ts). */
  workers?: number;
}

/** The unvalidated document behind INPUT: a file, "-", or preset:NAME. */
export function loadTdDocument(spec: string): { doc: unknown; source: string } {
  if (spec.startsWith('preset:')) return { doc: getTdPreset(spec.slice('preset:'.length)), source: spec };
  const { text, source } = readText(spec);
  return { doc: parseJsonOrYaml(text, source), source };
}

/** Document + --set → validated TD and resolved costs (--set costs.X goes to the cost table as an override). */
export function loadTd(spec: string, sets: string[]): { td: TdDocument; defaulted: string[]; costs: ResolvedCost[]; source: string } {
  const { doc, source } = loadTdDocument(spec);
  const docSets = sets.filter((s) => !s.startsWith('costs.'));
  const costSets: Record<string, unknown> = {};
  for (const s of sets.filter((x) => x.startsWith('costs.'))) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new InputError('', `--set needs PATH=VALUE, got "${s}"`);
    const raw = s.slice(eq + 1);
    const n = Number(raw);
    costSets[s.slice('costs.'.length, eq)] = raw.trim() === '' || !Number.isFinite(n) ? raw : n;
  }
  try {
    applyTdSets(doc, docSets);
    const { td, defaulted } = validateTd(doc);
    const costs = resolveGuestCosts(td.costs, costSets);
    return { td, defaulted, costs, source };
  } catch (e) {
    if (e instanceof InputError && (e.where === '' || e.where.startsWith(oneLine(source)))) throw e;
    throw inFile(source, e);
  }
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  let sum = 0;
  for (const x of s) sum += x;
  return { mean: sum / s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

/** Why no quote can be modeled for this TD, or null when one can. */
export function noQuoteReason(td: TdDocument): string | null {
  if (td.attestation.requests === 0) return 'attestation.requests is 0: no quote requests modeled';
  // configfs-tsm Quote generation: commit f4738f56d1dc, 6.7.
  if (td.attestation.path === 'configfs' && versionCode(td.kernel.version) < 607) {
    return `kernel ${td.kernel.version} has no configfs-tsm quotes (6.7+, commit f4738f56d1dc): no quote requests modeled; use attestation.path vsock to model a direct QGS client`;
  }
  return null;
}

/** runAttestation, or an empty result saying why no quote is modeled. */
export async function attestTd(td: TdDocument, values: Record<string, number>, opts: { trials: number; seed: number; workers?: number }): Promise<GuestAttestation> {
  return notModeled(td) ?? modeled(td, await runAttestation(attestationConfig(td), values, { ...opts, trials: Math.max(1, opts.trials) }));
}

/** attestTd on this thread alone (a guest sweep row: the rows are what is spread over threads). */
export function attestTdHere(td: TdDocument, values: Record<string, number>, opts: { trials: number; seed: number }): GuestAttestation {
  return notModeled(td) ?? modeled(td, runAttestationHere(attestationConfig(td), values, { ...opts, trials: Math.max(1, opts.trials) }));
}

function modeled(td: TdDocument, r: AttestationResult): GuestAttestation {
  return { ...r, config: attestationConfig(td), modeled: true };
}

/** The empty result saying why no quote is modeled, or null when one is. */
function notModeled(td: TdDocument): GuestAttestation | null {
  const reason = noQuoteReason(td);
  if (reason === null) return null;
  return {
    config: attestationConfig(td), modeled: false, reason,
    latencySeconds: { mean: null, p50: null, p95: null, p99: null, max: null }, throughputPerSecond: null,
    outcomes: { ok: 0, ebusy: 0, eio: 0, timeout: 0 }, queueLength: { timesSeconds: [], length: [] },
    latencyHistogram: { edgesSeconds: [], counts: [] }, conversions: { pages: 0, mapGpaCalls: 0, seconds: 0 }, notes: [reason],
  };
}

export function attestationConfig(td: TdDocument): AttestationConfig {
  const a = td.attestation;
  return {
    path: a.path, pollMs: a.pollMs, qgs: a.qgs, qgsThreads: a.qgsThreads, requests: a.requests, concurrency: a.concurrency,
    tds: a.tds, kernelVersion: td.kernel.version, bufferStrategy: a.bufferStrategy, hz: td.kernel.hz, vcpus: td.vcpus,
  };
}

type BootRun = { boot: BootResult; plan: ReturnType<typeof planBoot>; perTrial: BootResult[] };

/**
 * The boot model alone (no attestation): what sweeps and benchmarks call. trials 0 = one
 * deterministic run. keepWorkers: leave the acceptance pool's threads up for the quote pool
 * (runGuest; the caller drops them).
 */
export async function runBoot(td: TdDocument, values: Record<string, number>, opts: { trials: number; seed: number; workers?: number; keepWorkers?: boolean }): Promise<BootRun> {
  const plan = planBoot(td, values, seed32(opts.seed));
  return bootRun(plan, opts.trials, opts.trials > 1 ? await runAcceptTrials(makespanJobs(plan), opts.trials, opts.workers, opts.keepWorkers) : null);
}

/** runBoot on this thread alone (a guest sweep row: the rows are what is spread over threads). */
export function runBootHere(td: TdDocument, values: Record<string, number>, opts: { trials: number; seed: number }): BootRun {
  const plan = planBoot(td, values, seed32(opts.seed));
  return bootRun(plan, opts.trials, opts.trials > 1 ? acceptTrialsHere(makespanJobs(plan), 0, opts.trials) : null);
}

const seed32 = (seed: number): number => (seed % 2 ** 32) >>> 0;

// Every trial (0 included) by makespan alone: the samples draw nothing, so a trial's makespan
// is the same either way.
const makespanJobs = (plan: ReturnType<typeof planBoot>): AcceptJob[] => plan.jobs.map((j) => ({ ...j.job, samples: 0 }));

/** Trial 0 with its accepted-memory curve, and the trials' makespans (`outs`, when trials > 1). */
function bootRun(plan: ReturnType<typeof planBoot>, trials: number, outs: Float64Array[] | null): BootRun {
  const boot = assembleBoot(plan, acceptTrialsHere(plan.jobs.map((j) => j.job), 0, 1));
  if (!outs) return { boot, plan, perTrial: [boot] };
  const perTrial: BootResult[] = [];
  for (let t = 0; t < trials; t++) perTrial.push(assembleBoot(plan, outs.map((o) => o.subarray(t, t + 1))));
  return { boot, plan, perTrial };
}

export async function runGuest(req: GuestRequest): Promise<GuestReport> {
  const { td, defaulted, costs, source } = loadTd(req.input, req.sets);
  const values = guestCostValues(costs);
  // The quote trials run on the threads the acceptance trials started (guestWorker.ts); whatever
  // the quote pool did not take is ended here.
  let ran: [BootRun, GuestAttestation];
  try {
    const booted = await runBoot(td, values, { ...req, keepWorkers: true });
    ran = [booted, await attestTd(td, values, req)];
  } finally {
    await dropSpareWorkers(GUEST_WORKER);
  }
  const [{ boot, plan, perTrial }, attestation] = ran;
  const fully = perTrial.map((b) => b.fullyAcceptedSeconds);
  const notes = [...plan.notes];
  const assumed = costs.filter((c) => c.label === 'assumed').map((c) => c.name);
  notes.push(`assumed parameters (no public number; --set costs.NAME=V to change): ${assumed.join(', ')}`);
  return {
    schema: 'tdxmodel-guest',
    version: GUEST_SCHEMA_VERSION,
    source,
    td,
    defaulted: defaulted.map((f) => ({ field: f, value: valueAt(td, f), why: defaultReason(f) })),
    boot: {
      firmwareSeconds: boot.firmwareSeconds,
      toInitSeconds: boot.toInitSeconds,
      acceptedAtInitGiB: boot.acceptedAtInitBytes / GiB,
      unacceptedAtInitGiB: boot.unacceptedAtInitBytes / GiB,
      stormSeconds: boot.stormSeconds,
      stormGiB: boot.stormBytes / GiB,
      phases: boot.phases,
    },
    memory: { fullyAcceptedSeconds: boot.fullyAcceptedSeconds, ...plan.memory, acceptedCurve: boot.acceptedCurve },
    host: plan.host,
    attestation,
    trials: req.trials > 0 ? {
      count: req.trials,
      seed: req.seed,
      toInitSeconds: stats(perTrial.map((b) => b.toInitSeconds)),
      fullyAcceptedSeconds: fully.every((x): x is number => x !== null) ? stats(fully) : null,
    } : null,
    parameters: costs,
    assumed,
    notes: [...notes, ...attestation.notes],
  };
}

function valueAt(td: TdDocument, path: string): unknown {
  let o: unknown = td;
  for (const k of path.split('.')) o = (o as Record<string, unknown>)[k];
  return o;
}
