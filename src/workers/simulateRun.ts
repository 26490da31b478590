// The simulate job as a library call: load, override, simulate (model/run.ts), run trials (on
// worker threads when there are several). The command line and the library API share it, so
// both produce the same bytes.

import { loadPlatform } from '../platform/load.js';
import type { Platform } from '../platform/types.js';
import { simulateOnce, splitSets, type SimulateRequest, type SimulationReport } from '../model/run.js';
import { dropTrialSpares, prewarmTrialWorkers, runTrials, trialThreads, trialWorkers, trialWorkersAtLeast } from './pool.js';
import { resolveCosts } from '../model/costs.js';
import { PreparedPlatform } from '../model/prepared.js';

export type { SimulateRequest, SimulationReport };

/**
 * Simulate a validated platform, or one prepared before (prepare(), model/prepared.ts): a
 * prepared platform keeps what it derived (constructions per set of module limits, cost
 * values) from one call to the next.
 */
export async function simulatePlatform(platform: Platform | PreparedPlatform, req: Omit<SimulateRequest, 'input' | 'sets'> & { costOverrides?: Record<string, number> }): Promise<SimulationReport> {
  prewarmFor(req, platform);
  try {
    const { report, program, loadMs, simulateMs } = await simulateOnce(platform, req);
    const t2 = performance.now();
    const trials = req.trials ?? 0;
    const workers = trials > 0 ? req.workers ?? trialWorkers(program, trials) : 1;
    if (trials > 0) report.trials = await runTrials(program, { trials, seed: req.seed ?? 1, workers });
    const t3 = performance.now();
    if (req.timing) {
      // The threads the trials ran on: those asked for or chosen, as runTrials cuts them.
      const threads = trials > 0 ? trialThreads(program, trials, workers) : 1;
      report.timing = { loadMs: round(loadMs), simulateMs: round(simulateMs), trialsMs: round(t3 - t2), workers: threads };
    }
    return report;
  } finally {
    // Threads started ahead that the trials did not claim (no-op when there are none).
    await dropTrialSpares();
  }
}

// Trial workers take 60-200 ms to start: start them at once, behind loading and the
// deterministic run (a no-op when they are already starting). With a count from the caller,
// that many; without one, the pool chooses from the trial program, known only after the run,
// so as many as the platform alone already calls for (trialWorkersAtLeast).
function prewarmFor(req: { trials?: number; workers?: number; costOverrides?: Record<string, number> }, platform?: Platform | PreparedPlatform): void {
  if (!req.trials || req.trials <= 0) return;
  if (req.workers !== undefined) {
    prewarmTrialWorkers(req.workers);
    return;
  }
  if (!platform) return;
  const p = platform instanceof PreparedPlatform ? platform.platform : platform;
  let lpInitSigma: number;
  try {
    lpInitSigma = resolveCosts(p, req.costOverrides ?? {}).lpInitSigma?.value ?? 0;
  } catch {
    return; // a bad override: the run itself reports it, and starts nothing
  }
  const onlineLps = p.cpus.lps.reduce((n, lp) => n + (lp.online ? 1 : 0), 0);
  prewarmTrialWorkers(trialWorkersAtLeast(onlineLps, lpInitSigma, req.trials));
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
