// The readable calibration report: the fit, each log's residual, warnings, the --set line.

import type { CalibrationResult } from '../model/calibrate.js';
import { formatUs, table } from './units.js';

/** The `--set` line that applies a fit to explain or simulate. */
export function calibrationSets(p: { tdmrInitCallUs: number; fixedOverheadUs: number }): string {
  return `--set costs.tdmrInitCallUs=${p.tdmrInitCallUs} --set costs.fixedOverheadUs=${p.fixedOverheadUs}`;
}

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;

export function calibrateText(r: CalibrationResult): string {
  const p = r.params!;
  const lines: string[] = [];
  lines.push(`fit (${r.method}): tdmrInitCallUs = ${p.tdmrInitCallUs} µs per call, fixedOverheadUs = ${formatUs(p.fixedOverheadUs)}`);
  lines.push('');
  lines.push(table(['log', 'TDMR.INIT calls', 'modeled rest', 'observed', 'fitted', 'residual', 'PAMT KB model/log'], r.logs.map((l) => [
    l.source, String(l.calls), formatUs(l.restUs), formatUs(l.observedWindowUs), formatUs(l.fittedWindowUs), signed(l.residualPct),
    `${l.modelPamtKb ?? '-'}/${l.printedPamtKb}`,
  ])));
  if (r.bootSigmaEstimate !== null) lines.push(`spread about the fit: σ ≈ ${r.bootSigmaEstimate.toFixed(3)} (ln of each log's TDMR.INIT boot factor)`);
  for (const s of r.skipped) lines.push(`skipped ${s.source}: ${s.reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push('', `use: ${calibrationSets(p)}`);
  return lines.join('\n');
}
