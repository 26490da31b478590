// simulate --format csv: the timeline, one step a row, for spreadsheets and plotting. Every text
// cell goes through csvCell (quoting and formula neutralization).

import type { SimulationReport } from '../model/run.js';
import { csvRecord } from '../util/csv.js';

export function simulateCsv(r: SimulationReport): string {
  const head = ['platform', 'policy', 'step', 'startUs', 'endUs', 'durationUs', 'cpus', 'detail'];
  const rows = r.timeline.map((s) => csvRecord([r.platform.name, r.policy.name, s.step, s.startUs, s.endUs, s.durationUs, s.cpus, s.detail]));
  return [csvRecord(head), ...rows].join('\n') + '\n';
}
