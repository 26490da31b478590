// The trials' statistics computed by several threads at once: each thread takes some columns
// (steps, and the total) of the shared trial-major array. The statistics are those of
// kernels/trials.ts summarize, which works column by column: a column's statistics are the same
// whichever other columns come with it, so summarize runs on the chosen columns alone.

import { summarize } from '../kernels/trials.js';
import type { TrialProgram, TrialsResult, TrialStats } from '../kernels/trialProgram.js';

/** Statistics of `columns` of `values` (trials × width, trial-major), in the order given. */
export function columnStats(values: Float64Array, width: number, columns: number[]): TrialStats[] {
  const k = columns.length;
  const trials = values.length / width;
  const sub = new Float64Array(trials * k);
  for (let t = 0, from = 0, to = 0; t < trials; t++, from += width, to += k) {
    for (let j = 0; j < k; j++) sub[to + j] = values[from + columns[j]];
  }
  // summarize reads the last column as the total and the others as steps (their names unused).
  const program: TrialProgram = { steps: columns.slice(1).map(() => ({ name: 'column', ops: [] })) };
  const r = summarize(program, sub, trials, 0);
  return [...r.steps.map((s) => s.stats), r.total];
}

/** The columns 0..width-1 cut into `parts` groups of nearly equal size (some may be empty). */
export function columnGroups(width: number, parts: number): number[][] {
  return Array.from({ length: parts }, (_, g) => Array.from({ length: width }, (_, c) => c).filter((c) => c % parts === g));
}

/** The result summarize would give, from every column's statistics (column width-1: the total). */
export function trialsResult(program: TrialProgram, trials: number, seed: number, stats: TrialStats[]): TrialsResult {
  return {
    trials,
    seed,
    steps: program.steps.map((step, s) => ({ name: step.name, stats: stats[s] })),
    total: stats[program.steps.length],
  };
}
