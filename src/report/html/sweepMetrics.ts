// The metrics a sweep page can plot (--metric), kept apart from the page builder so the command
// line can check the flag without loading the HTML code.

export const SWEEP_METRICS = ['time', 'pamt', 'tdmrs', 'ready'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** Which row column each metric reads, its stored unit, and how a person calls it. */
export const SWEEP_METRIC_COLUMNS: Record<SweepMetric, { column: string; unit: 'µs' | 'KB' | ''; label: string }> = {
  time: { column: 'totalUs', unit: 'µs', label: 'modeled initialization time' },
  pamt: { column: 'pamtKb', unit: 'KB', label: 'PAMT memory' },
  tdmrs: { column: 'tdmrs', unit: '', label: 'TDMRs used' },
  ready: { column: 'readyP100Us', unit: 'µs', label: 'time until all TDX memory is usable' },
};
