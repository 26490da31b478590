// The self-contained HTML report of one TD: a boot Gantt chart, accepted memory over time, the
// quote-latency distribution, and the tables behind them (parameters with their labels).

import type { GuestReport } from '../../workers/guestRun.js';
import { formatBytes, formatUs } from '../units.js';
import { html, type Html } from './escape.js';
import { page } from './page.js';
import { line, niceStep, num, rect, svg, tag, text } from './svg.js';
import { dataTable } from './tables.js';

const W = 980;
const LEFT = 270;
const sec = (s: number | null): string => (s === null ? 'never' : formatUs(s * 1e6));
const COLORS: Record<string, string> = {
  'firmware.fixed': '#8aa1c1', 'firmware.accept': '#4f79b0', 'kernel.early': '#9bc29b', 'kernel.swiotlb': '#d9a441',
  'kernel.smp': '#6aa86a', 'kernel.storm': '#c0504d', 'kernel.eagerAccept': '#4f79b0', 'kernel.initcalls': '#7f9f7f', 'memory.lazyAccept': '#9a6fb0',
};

function axis(x0: number, x1: number, y: number, max: number, fmt: (v: number) => string): Html[] {
  const step = niceStep(max, 6);
  const out: Html[] = [line(x0, y, x1, y, { stroke: '#999' })];
  for (let v = 0; v <= max * 1.0001 && step > 0; v += step) {
    const x = x0 + ((x1 - x0) * v) / max;
    out.push(line(x, y, x, y + 4, { stroke: '#999' }), text(x, y + 15, fmt(v), { class: 'tick', 'text-anchor': 'middle' }));
  }
  return out;
}

function gantt(r: GuestReport): Html {
  const phases = r.boot.phases.filter((p) => p.seconds > 0);
  const end = Math.max(1e-9, ...phases.map((p) => p.startSeconds + p.seconds));
  const rowH = 22;
  const h = phases.length * rowH + 40;
  const x = (s: number): number => LEFT + ((W - LEFT - 20) * s) / end;
  const rows = phases.map((p, i) => {
    const y = 10 + i * rowH;
    return [
      text(LEFT - 8, y + 14, p.label, { class: 'rowlabel', 'text-anchor': 'end' }),
      rect(x(p.startSeconds), y + 3, Math.max(1, x(p.startSeconds + p.seconds) - x(p.startSeconds)), rowH - 6,
        { fill: COLORS[p.id] ?? '#888' }, `${p.label}: ${sec(p.startSeconds)} + ${sec(p.seconds)}`),
    ];
  }).flat();
  const initX = x(r.boot.toInitSeconds);
  return svg(W, h, 'Boot timeline', 'chart', ...rows,
    line(initX, 4, initX, h - 28, { stroke: '#9e2a2c', 'stroke-dasharray': '4 3' }),
    text(initX + 4, 12, `init ${sec(r.boot.toInitSeconds)}`, { class: 'mark' }),
    ...axis(LEFT, W - 20, h - 26, end, (v) => `${num(v)} s`));
}

function acceptedChart(r: GuestReport): Html {
  const c = r.memory.acceptedCurve;
  const tEnd = Math.max(1e-9, ...c.seconds);
  const total = r.td.memoryGiB * 2 ** 30;
  const H = 220;
  const x = (s: number): number => 60 + ((W - 80) * s) / tEnd;
  const y = (b: number): number => H - 30 - ((H - 50) * b) / total;
  const pts = c.seconds.map((s, i) => `${num(x(s))},${num(y(c.bytes[i]))}`).join(' ');
  return svg(W, H, 'Accepted memory over time', 'chart',
    tag('polyline', { points: pts, fill: 'none', stroke: '#4f79b0', 'stroke-width': 2 }),
    line(60, y(total), W - 20, y(total), { stroke: '#bbb', 'stroke-dasharray': '3 3' }),
    text(64, y(total) - 4, `all memory: ${formatBytes(total)}`, { class: 'small' }),
    line(x(r.boot.toInitSeconds), 10, x(r.boot.toInitSeconds), H - 30, { stroke: '#9e2a2c', 'stroke-dasharray': '4 3' }),
    text(x(r.boot.toInitSeconds) + 4, 20, 'init', { class: 'mark' }),
    ...axis(60, W - 20, H - 30, tEnd, (v) => `${num(v)} s`));
}

function latencyChart(r: GuestReport): Html {
  const hist = r.attestation.latencyHistogram;
  const n = hist.counts.length;
  if (n === 0) return html`<p class="note">No quote requests were modeled.</p>`;
  const H = 200;
  const maxC = Math.max(1, ...hist.counts);
  const bw = (W - 80) / n;
  const bars = hist.counts.map((cnt, i) => {
    const bh = ((H - 50) * cnt) / maxC;
    const lo = hist.edgesSeconds[i];
    const hi = hist.edgesSeconds[i + 1];
    return rect(60 + i * bw, H - 30 - bh, Math.max(1, bw - 1), bh, { fill: '#9a6fb0' }, `${sec(lo)} – ${sec(hi)}: ${cnt}`);
  });
  const lo = hist.edgesSeconds[0];
  const hi = hist.edgesSeconds[n];
  return svg(W, H, 'Quote latency distribution', 'chart', ...bars, line(60, H - 30, W - 20, H - 30, { stroke: '#999' }),
    text(60, H - 12, sec(lo), { class: 'tick' }), text(W - 20, H - 12, sec(hi), { class: 'tick', 'text-anchor': 'end' }),
    text(60, 14, `most in one bin: ${maxC}`, { class: 'small' }));
}

const labelCell = (l: string): Html => html`<span class="${`label lbl-${['measured', 'derived', 'assumed', 'source', 'set', 'override'].includes(l) ? l : 'other'}`}">${l}</span>`;

export function guestHtml(r: GuestReport): string {
  const td = r.td;
  const a = r.attestation;
  const l = a.latencySeconds;
  const facts = html`<dl class="facts">
<dt>firmware done</dt><dd>${sec(r.boot.firmwareSeconds)}</dd>
<dt>init</dt><dd>${sec(r.boot.toInitSeconds)} (${r.boot.acceptedAtInitGiB.toFixed(2)} GiB accepted)</dd>
<dt>accept storm</dt><dd>${r.boot.stormGiB.toFixed(2)} GiB, ${sec(r.boot.stormSeconds)}</dd>
<dt>all memory accepted</dt><dd>${sec(r.memory.fullyAcceptedSeconds)}</dd>
<dt>shared memory</dt><dd>${formatBytes(r.memory.sharedBytes)}</dd>
${a.modeled ? html`<dt>quote latency</dt><dd>mean ${sec(l.mean)}, p50 ${sec(l.p50)}, p95 ${sec(l.p95)}, p99 ${sec(l.p99)}, max ${sec(l.max)}</dd>
<dt>quote throughput</dt><dd>${(a.throughputPerSecond ?? 0).toFixed(3)} /s; ok ${a.outcomes.ok}, EBUSY ${a.outcomes.ebusy}, EIO ${a.outcomes.eio}, timeout ${a.outcomes.timeout}</dd>` : html`<dt>quotes</dt><dd>${a.reason ?? 'not modeled'}</dd>`}
</dl>`;
  const m = r.memory;
  return page({
    title: `tdxmodel guest: ${td.name}`,
    subtitle: `${td.vcpus} vCPUs, ${td.memoryGiB} GiB, kernel ${td.kernel.version}, firmware ${td.firmware.accept} accept, host ${td.host.privatePageSize} private mappings (${td.host.platform})`,
    sections: [
      { id: 'summary', heading: 'Summary', body: facts },
      { id: 'boot', heading: 'Boot timeline', intro: 'Firmware to init and after; the accept storm runs inside serial AP bring-up.', body: html`${gantt(r)}${dataTable(['phase', 'start', 'duration'], r.boot.phases.map((p) => [p.label, sec(p.startSeconds), sec(p.seconds)]), [1, 2])}` },
      { id: 'accepted', heading: 'Accepted memory over time', body: acceptedChart(r) },
      { id: 'memory', heading: 'Memory costs', body: dataTable(['item', 'size'], [
        ['shared in all', formatBytes(m.sharedBytes)], ['SWIOTLB pool', formatBytes(m.swiotlbBytes)],
        [`SWIOTLB slot metadata (${m.swiotlbAreas} areas)`, formatBytes(m.swiotlbSlotMetadataBytes)], ['quote buffer', formatBytes(m.quoteBufferBytes)],
        ['unaccepted bitmap', formatBytes(m.unacceptedBitmapBytes)], ['direct-map splits (at most)', String(m.directMapSplitsMax)],
      ], [1]) },
      { id: 'quotes', heading: 'Quote latency', body: latencyChart(r) },
      { id: 'defaults', heading: 'Defaulted fields', body: dataTable(['field', 'value', 'why'], r.defaulted.map((d) => [d.field, JSON.stringify(d.value), d.why])) },
      { id: 'parameters', heading: 'Parameters', body: dataTable(['name', 'value', 'unit', 'label', 'source'], r.parameters.map((p) => [p.name, String(p.value), p.unit, labelCell(p.label), p.source]), [1]) },
      { id: 'notes', heading: 'Notes', body: html`<ul>${r.notes.map((n) => html`<li>${n}</li>`)}</ul>` },
    ],
    footer: `tdxmodel guest report, schema ${r.schema} v${r.version}`,
  });
}
