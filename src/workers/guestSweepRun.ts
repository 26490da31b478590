// The rows of a guest sweep (a spec with `kind: guest`, read by src/guest/sweep.ts): one boot
// model and one attestation run per TD, in this thread, in index order, so the text is the same
// for any --workers. Here, a layer above the model, because the runs may use the worker pool.

import { csvRecord } from '../util/csv.js';
import { GUEST_SWEEP_COLUMNS, rowTd, type GuestSweepPlan } from '../guest/sweep.js';
import { attestTd, runBoot } from './guestRun.js';

function rowValues(plan: GuestSweepPlan, index: number): unknown[] {
  const out = new Array(plan.axes.length);
  let rest = index;
  for (let a = plan.axes.length - 1; a >= 0; a--) {
    const n = plan.axes[a].values.length;
    out[a] = plan.axes[a].values[rest % n];
    rest = Math.floor(rest / n);
  }
  return out;
}

export async function guestSweepRow(plan: GuestSweepPlan, index: number): Promise<Record<string, unknown>> {
  const vals = rowValues(plan, index);
  const { td, values } = rowTd(plan.base, plan.axes.map((a) => a.name), vals);
  const opts = { trials: plan.trials, seed: plan.seed, workers: 1 };
  const { boot, plan: bp } = await runBoot(td, values, opts);
  const att = await attestTd(td, values, opts);
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

/** Header (CSV only), then one line per row, in index order, through `write`. */
export async function runGuestSweep(plan: GuestSweepPlan, format: 'csv' | 'jsonl', write: (t: string) => void,
  first = 0, step = 1, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<{ rows: number; total: number; aborted: boolean; failed: number; invalid: number }> {
  // A TD row has no failed initialization (quote failures are counted in its outcome columns).
  const done = (aborted: boolean) => ({ rows, total, aborted, failed: 0, invalid: 0 });
  const names = ['index', ...plan.axes.map((a) => a.name), ...GUEST_SWEEP_COLUMNS];
  if (format === 'csv') write(csvRecord(names) + '\n');
  const total = first >= plan.total ? 0 : Math.floor((plan.total - 1 - first) / step) + 1;
  let rows = 0;
  for (let i = first; i < plan.total; i += step) {
    if (signal?.aborted) return done(true);
    const row = await guestSweepRow(plan, i);
    write(format === 'csv' ? csvRecord(names.map((n) => row[n] as never)) + '\n' : JSON.stringify(row) + '\n');
    onProgress?.(++rows, total);
  }
  return done(false);
}
