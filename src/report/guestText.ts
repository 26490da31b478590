// The readable summary of one TD: boot timeline, memory, host work, attestation, the fields
// that were defaulted, and the parameters the numbers rest on (printed like the host's).

import type { GuestReport } from '../workers/guestRun.js';
import { formatBytes, formatUs, table } from './units.js';
import { bold } from './color.js';

const sec = (s: number | null): string => (s === null ? 'never' : formatUs(s * 1e6));
const opt = (s: number | null): string => (s === null ? '—' : formatUs(s * 1e6));

export function guestText(r: GuestReport): string {
  const td = r.td;
  const out: string[] = [];
  out.push(bold(`tdxmodel guest: ${td.name} (${td.vcpus} vCPUs, ${td.memoryGiB} GiB, kernel ${td.kernel.version}, host ${td.host.privatePageSize} private mappings, ${td.host.platform})`));
  out.push('');
  out.push(`BOOT     firmware done at ${sec(r.boot.firmwareSeconds)}; init at ${sec(r.boot.toInitSeconds)} with ${r.boot.acceptedAtInitGiB.toFixed(2)} GiB accepted (${r.boot.unacceptedAtInitGiB.toFixed(2)} GiB not yet)`);
  if (r.boot.stormSeconds > 0) out.push(`         accept storm: ${r.boot.stormGiB.toFixed(2)} GiB in 4 MiB blocks during serial AP bring-up, ${sec(r.boot.stormSeconds)}`);
  out.push(r.memory.fullyAcceptedSeconds === null
    // An idle TD (workload.allocators = 0) touches nothing after init: the rest stays unaccepted.
    ? `MEMORY   never all accepted: ${r.boot.unacceptedAtInitGiB.toFixed(2)} GiB stay unaccepted until something touches them (workload.allocators = ${td.workload.allocators}; accept_memory=${td.kernel.acceptMemory})`
    : `MEMORY   all accepted at ${sec(r.memory.fullyAcceptedSeconds)}`);
  out.push('');
  out.push(table(['phase', 'start', 'duration'], r.boot.phases.map((p) => [p.label, sec(p.startSeconds), sec(p.seconds)])));
  out.push('');
  const m = r.memory;
  out.push(table(['memory cost', 'size'], [
    ['shared in all', formatBytes(m.sharedBytes)],
    ['SWIOTLB pool', formatBytes(m.swiotlbBytes)],
    [`SWIOTLB areas (${m.swiotlbAreas}) slot metadata`, formatBytes(m.swiotlbSlotMetadataBytes)],
    ['quote buffer', formatBytes(m.quoteBufferBytes)],
    ['unaccepted bitmap', formatBytes(m.unacceptedBitmapBytes)],
    ['direct-map splits (at most)', String(m.directMapSplitsMax)],
  ]));
  out.push('');
  out.push(`HOST     ${r.host.acceptExits} accept exits + AUGs, ${r.host.pagesRemoved} private pages removed (${r.host.vcpuKicks} vCPU kicks), ${r.host.mapGpaCalls} MapGPA exits`);
  const a = r.attestation;
  const l = a.latencySeconds;
  out.push('');
  out.push(`QUOTES   ${a.config.path}, poll ${a.config.pollMs} ms, QGS ${a.config.qgs} (${a.config.qgsThreads} threads), ${a.config.requests} request(s) × ${a.config.concurrency} concurrent × ${a.config.tds} TD(s)`);
  if (a.modeled) {
    out.push(`         latency mean ${opt(l.mean)}, p50 ${opt(l.p50)}, p95 ${opt(l.p95)}, p99 ${opt(l.p99)}, max ${opt(l.max)}; ${(a.throughputPerSecond ?? 0).toFixed(3)} quotes/s`);
    out.push(`         outcomes: ok ${a.outcomes.ok}, EBUSY ${a.outcomes.ebusy}, EIO ${a.outcomes.eio}, timeout ${a.outcomes.timeout}`);
  } else {
    out.push(`         not modeled: ${a.reason}`);
  }
  if (r.trials) {
    const t = r.trials;
    out.push('');
    out.push(`TRIALS   ${t.count} (seed ${t.seed}): to init p50 ${sec(t.toInitSeconds.p50)}, p95 ${sec(t.toInitSeconds.p95)}, max ${sec(t.toInitSeconds.max)}` +
      (t.fullyAcceptedSeconds ? `; all accepted p50 ${sec(t.fullyAcceptedSeconds.p50)}, p95 ${sec(t.fullyAcceptedSeconds.p95)}` : ''));
  }
  if (r.defaulted.length) {
    out.push('');
    out.push('defaulted fields:');
    for (const d of r.defaulted) out.push(`  ${d.field} = ${JSON.stringify(d.value)} (${d.why})`);
  }
  out.push('');
  out.push(table(['parameter', 'value', 'unit', 'label', 'source'], r.parameters.map((p) => [p.name, String(p.value), p.unit, p.label, p.source])));
  const changed = r.parameters.filter((x) => x.label === 'set' || x.label === 'override').map((x) => `${x.name}=${x.value}`);
  if (changed.length) out.push(`set by you: ${changed.join(', ')}`);
  out.push('');
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
