// The simulate job as a library call: load, override, simulate (model/run.ts), run trials (on
// worker threads when there are several). The command line and the library API share it, so
// both produce the same bytes.

import { loadPlatform } from '../platform/load.js';
import type { Platform } from '../platform/types.js';
import type { PreparedPlatform } from '../model/prepared.js';
import { simulateOnce, splitSets, type SimulateRequest, type SimulationReport } from '../model/run.js';
import { prewarmTrialWorkers, runTrials, trialWorkers } from './pool.js';

export type { SimulateRequest, SimulationReport };

/**
 * Simulate a validated platform, or one prepared before (prepare(), model/prepared.ts): a
 * prepared platform keeps what it derived (constructions per set of module limits, cost
 * values) from one call to the next.
 */
export async function simulatePlatform(platform: Platform | PreparedPlatform, req: Omit<SimulateRequest, 'input' | 'sets'> & { costOverrides?: Record<string, number> }): Promise<SimulationReport> {
  prewarmFor(req);
  const { report, program, loadMs, simulateMs } = await simulateOnce(platform, req);
  const t2 = performance.now();
  let workers = req.workers ?? 1;
  if (req.trials && req.trials > 0) {
    workers = req.workers ?? trialWorkers(program, req.trials);
    report.trials = await runTrials(program, { trials: req.trials, seed: req.seed ?? 1, workers });
  }
  const t3 = performance.now();
  if (req.timing) {
    report.timing = { loadMs: round(loadMs), simulateMs: round(simulateMs), trialsMs: round(t3 - t2), workers };
  }
  return report;
}

// Trial workers take 100-200 ms to start: when the caller asked for several, start them at
// once, behind loading and the deterministic run (a no-op when they are already starting).
// Without a count, the pool chooses one from the work, which needs the trial program, known
// only after the run.
function prewarmFor(req: { trials?: number; workers?: number }): void {
  if (req.trials && req.trials > 0 && (req.workers ?? 1) > 1) prewarmTrialWorkers(req.workers!);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Load, override and simulate; the validated platform comes back too (reports draw it). */
export async function loadAndSimulate(req: SimulateRequest): Promise<{ platform: Platform; report: SimulationReport }> {
  prewarmFor(req);
  const { platformSets, costOverrides } = splitSets(req.sets ?? []);
  const platform = await loadPlatform(req.input, platformSets);
  return { platform, report: await simulatePlatform(platform, { ...req, costOverrides }) };
}

export async function runSimulation(req: SimulateRequest): Promise<SimulationReport> {
  return (await loadAndSimulate(req)).report;
}
