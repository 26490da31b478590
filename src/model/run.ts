// The simulate job's model half: request types, --set splitting, and one deterministic
// simulation (simulateOnce). workers/simulateRun.ts adds loading and the trials, which may run
// on worker threads; the command line and the library API share both, so both produce the same
// bytes.

import { loadEngine, type EngineName } from '../kernels/engine.js';
import { resolveCosts, costValues, type ResolvedCosts } from './costs.js';
import { simulate, type SimulationResult, type ParameterRecord } from './simulate.js';
import type { Platform } from '../platform/types.js';
import { prepare, PreparedPlatform } from './prepared.js';
import type { TrialProgram, TrialsResult } from '../kernels/trialProgram.js';
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
    // By code unit: the same order in every locale (and without localeCompare's ICU start-up,
    // ~10 ms in a fresh process). Parameter names are ASCII letters and digits.
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The deterministic part of the simulate job: costs, engine and one simulation of a validated
 * platform (or of one prepared before, model/prepared.ts), with the trial program the run produced. Trials, which may run on worker threads,
 * are added a layer up (workers/simulateRun.ts); the model never starts threads.
 */
export async function simulateOnce(
  platform: Platform | PreparedPlatform,
  req: Omit<SimulateRequest, 'input' | 'sets'> & { costOverrides?: Record<string, number> },
): Promise<{ report: SimulationReport; program: TrialProgram; loadMs: number; simulateMs: number }> {
  const t0 = performance.now();
  // A platform prepared by the caller is reused: its constructions and cost values carry over.
  const prepared = platform instanceof PreparedPlatform ? platform : prepare(platform);
  const costs = resolveCosts(prepared.platform, req.costOverrides ?? {});
  const engine = await loadEngine(req.engine ?? 'wasm');
  const t1 = performance.now();
  const { result, program } = simulate(prepared, {
    policy: req.policy, engine, costs: costValues(costs), parameters: parameterRecords(costs), trace: req.trace,
  });
  return { report: result, program, loadMs: t1 - t0, simulateMs: performance.now() - t1 };
}
