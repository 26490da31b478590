// The simulate job as a library call: load, override, simulate, run trials. The command line
// and the library API share it, so both produce the same bytes.

import { loadPlatform } from '../platform/load.js';
import { loadEngine, type EngineName } from '../kernels/engine.js';
import { resolveCosts, costValues, type ResolvedCosts } from './costs.js';
import { simulate, type SimulationResult, type ParameterRecord } from './simulate.js';
import type { Platform } from '../platform/types.js';
import type { TrialsResult } from '../kernels/trialProgram.js';
import { usageError } from '../platform/errors.js';

export interface SimulateRequest {
  input: string;
  policy?: string;
  sets?: string[];
  trials?: number;
  seed?: number;
  /** Worker threads for the trials; absent: chosen from the amount of work (workers/pool.ts). */
  workers?: number;
  trace?: boolean;
  engine?: EngineName;
  timing?: boolean;
}

export type SimulationReport = SimulationResult & { trials?: TrialsResult; timing?: Record<string, number> };

/** Split --set values into cost overrides (labelled "override") and platform fields. */
export function splitSets(sets: string[]): { platformSets: string[]; costOverrides: Record<string, number> } {
  const platformSets: string[] = [];
  const costOverrides: Record<string, number> = {};
  for (const s of sets) {
    const m = /^costs\.([^=]+)=(.*)$/.exec(s);
    if (!m) {
      platformSets.push(s);
      continue;
    }
    // "__proto__" would be swallowed by the assignment below (and a dotted name is no
    // parameter): refuse it rather than run without the override the user asked for.
    if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(m[1])) throw usageError(`--set costs.${m[1]}: not a cost parameter name`);
    const v = Number(m[2]);
    if (m[2].trim() === '' || !Number.isFinite(v)) throw usageError(`--set costs.${m[1]}: expected a number, got "${m[2]}"`);
    costOverrides[m[1]] = v;
  }
  return { platformSets, costOverrides };
}

export function parameterRecords(costs: ResolvedCosts): ParameterRecord[] {
  return Object.values(costs)
    .map((c) => ({ name: c.name, value: c.value, unit: c.unit, label: c.label, source: c.source }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function simulatePlatform(platform: Platform, req: Omit<SimulateRequest, 'input' | 'sets'> & { costOverrides?: Record<string, number> }): Promise<SimulationReport> {
  const t0 = performance.now();
  const costs = resolveCosts(platform, req.costOverrides ?? {});
  const engine = await loadEngine(req.engine ?? 'wasm');
  // Trial workers take ~100 ms to start: when the caller asked for several, start them now,
  // behind the deterministic run. Without a count, the pool chooses one from the work (which
  // needs the trial program, known only after the run).
  const threaded = !!req.trials && req.trials > 0 && (req.workers ?? 1) > 1;
  if (threaded) (await import('../workers/pool.js')).prewarmTrialWorkers(req.workers!);
  const t1 = performance.now();
  const { result, program } = simulate(platform, {
    policy: req.policy, engine, costs: costValues(costs), parameters: parameterRecords(costs), trace: req.trace,
  });
  const t2 = performance.now();
  const report: SimulationReport = result;
  let workers = req.workers ?? 1;
  if (req.trials && req.trials > 0) {
    const { runTrials, trialWorkers } = await import('../workers/pool.js');
    workers = req.workers ?? trialWorkers(program, req.trials);
    report.trials = await runTrials(program, { trials: req.trials, seed: req.seed ?? 1, workers });
  }
  const t3 = performance.now();
  if (req.timing) {
    report.timing = { loadMs: round(t1 - t0), simulateMs: round(t2 - t1), trialsMs: round(t3 - t2), workers };
  }
  return report;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Load, override and simulate; the validated platform comes back too (reports draw it). */
export async function loadAndSimulate(req: SimulateRequest): Promise<{ platform: Platform; report: SimulationReport }> {
  const { platformSets, costOverrides } = splitSets(req.sets ?? []);
  const platform = await loadPlatform(req.input, platformSets);
  return { platform, report: await simulatePlatform(platform, { ...req, costOverrides }) };
}

export async function runSimulation(req: SimulateRequest): Promise<SimulationReport> {
  return (await loadAndSimulate(req)).report;
}
