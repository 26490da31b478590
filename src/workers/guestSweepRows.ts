// The rows of a guest sweep, on whichever thread runs them (guestSweepRun.ts hands out the
// chunks; guestSweepWorker.ts runs them on a worker thread): a row is the TD of its axis values,
// its boot model and its quote runs, all on the calling thread.

import { csvRecord } from '../util/csv.js';
import { GUEST_SWEEP_COLUMNS, rowTd, type GuestSweepPlan } from '../guest/sweep.js';
import { attestTdHere, runBootHere } from './guestRun.js';

/** Rows first, first + step, ... (count of them). */
export interface GuestRowRange { start: number; count: number; step: number }

/** The axis values of row `index`, the last axis varying fastest. */
export function rowValues(plan: GuestSweepPlan, index: number): unknown[] {
  const out = new Array(plan.axes.length);
  let rest = index;
  for (let a = plan.axes.length - 1; a >= 0; a--) {
    const n = plan.axes[a].values.length;
    out[a] = plan.axes[a].values[rest % n];
    rest = Math.floor(rest / n);
  }
  return out;
}

export const axisNames = (plan: GuestSweepPlan): string[] => plan.axes.map((a) => a.name);

/** One row on this thread: the TD of the row's axis values, its boot and its quotes. */
export function guestSweepRow(plan: GuestSweepPlan, index: number): Record<string, unknown> {
  const vals = rowValues(plan, index);
  const { td, values } = rowTd(plan.base, axisNames(plan), vals);
  const opts = { trials: plan.trials, seed: plan.seed };
  const { boot, plan: bp } = runBootHere(td, values, opts);
  const att = attestTdHere(td, values, opts);
  const row: Record<string, unknown> = { index };
  plan.axes.forEach((a, i) => { row[a.name] = vals[i]; });
  Object.assign(row, {
    firmwareSeconds: boot.firmwareSeconds, toInitSeconds: boot.toInitSeconds, acceptedAtInitGiB: boot.acceptedAtInitBytes / 2 ** 30,
    stormSeconds: boot.stormSeconds, fullyAcceptedSeconds: boot.fullyAcceptedSeconds, sharedBytes: bp.memory.sharedBytes,
    quoteP50Seconds: att.latencySeconds.p50, quoteP95Seconds: att.latencySeconds.p95, quoteP99Seconds: att.latencySeconds.p99,
    quoteMaxSeconds: att.latencySeconds.max, quotesPerSecond: att.throughputPerSecond, ...att.outcomes,
  });
  return row;
}

/** The output columns, in order. */
export const columns = (plan: GuestSweepPlan): string[] => ['index', ...axisNames(plan), ...GUEST_SWEEP_COLUMNS];

/** The text of a range of rows, each line in index order (what a chunk hands back). */
export function guestRowsText(plan: GuestSweepPlan, format: 'csv' | 'jsonl', range: GuestRowRange): string {
  const names = columns(plan);
  let text = '';
  for (let k = 0; k < range.count; k++) {
    const row = guestSweepRow(plan, range.start + k * range.step);
    text += format === 'csv' ? csvRecord(names.map((n) => row[n] as never)) + '\n' : JSON.stringify(row) + '\n';
  }
  return text;
}

