// CSV of one TD: one record per metric (section, name, value, unit), so spreadsheets take it
// whatever the TD, then the parameters.

import type { GuestReport } from '../workers/guestRun.js';
import { csvRecord, type CsvValue } from '../util/csv.js';

export function guestCsv(r: GuestReport): string {
  const rows: CsvValue[][] = [['section', 'name', 'value', 'unit']];
  const b = r.boot;
  rows.push(['boot', 'firmwareSeconds', b.firmwareSeconds, 's'], ['boot', 'toInitSeconds', b.toInitSeconds, 's'],
    ['boot', 'acceptedAtInitGiB', b.acceptedAtInitGiB, 'GiB'], ['boot', 'stormSeconds', b.stormSeconds, 's'], ['boot', 'stormGiB', b.stormGiB, 'GiB']);
  for (const p of b.phases) rows.push(['phase', p.id, p.seconds, 's']);
  const m = r.memory;
  rows.push(['memory', 'fullyAcceptedSeconds', m.fullyAcceptedSeconds, 's'], ['memory', 'sharedBytes', m.sharedBytes, 'bytes'],
    ['memory', 'swiotlbBytes', m.swiotlbBytes, 'bytes'], ['memory', 'swiotlbAreas', m.swiotlbAreas, ''],
    ['memory', 'quoteBufferBytes', m.quoteBufferBytes, 'bytes'], ['memory', 'unacceptedBitmapBytes', m.unacceptedBitmapBytes, 'bytes'],
    ['memory', 'directMapSplitsMax', m.directMapSplitsMax, '']);
  for (const [k, v] of Object.entries(r.host)) rows.push(['host', k, v, '']);
  const a = r.attestation;
  for (const [k, v] of Object.entries(a.latencySeconds)) rows.push(['attestation', `latencySeconds.${k}`, v, 's']);
  rows.push(['attestation', 'throughputPerSecond', a.throughputPerSecond, '1/s']);
  for (const [k, v] of Object.entries(a.outcomes)) rows.push(['attestation', `outcomes.${k}`, v, '']);
  for (const p of r.parameters) rows.push(['parameter', p.name, p.value, `${p.unit} (${p.label})`]);
  return rows.map((x) => csvRecord(x)).join('\n') + '\n';
}
