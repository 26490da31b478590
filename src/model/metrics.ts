// The few numbers a comparison or a regression gate looks at, taken from one simulation.

import type { SimulationReport } from './run.js';

export interface Metrics {
  initialized: boolean;
  /** Modeled time from the first step to the end of initialization, µs. */
  timeUs: number;
  tdmrInitUs: number;
  pamtKb: number;
  tdmrs: number;
  /** Reserved areas used by the fullest TDMR. */
  reservedAreas: number;
  readyP100Us: number | null;
}

export function metricsOf(r: SimulationReport): Metrics {
  return {
    initialized: r.outcome.initialized,
    timeUs: r.totals.initUs,
    tdmrInitUs: r.totals.tdmrInitUs,
    pamtKb: r.construct.pamtKb,
    tdmrs: r.construct.tdmrsUsed,
    reservedAreas: r.construct.reservedAreasUsed,
    readyP100Us: r.readiness?.p100Us ?? null,
  };
}
