// The report's tables: the outcome at a glance, the TDMRs, the steps, the parameters with their
// provenance, SEAMCALL counts, trials, callers, hotplug, and the modeled kernel log. The
// pictures summarise; these hold the exact numbers.

import type { SimulationReport } from '../../model/run.js';
import type { SimulationResult } from '../../model/simulate.js';
import { formatBytes, formatUs } from '../units.js';
import { html, join, type Html } from './escape.js';
import { parseHex } from './memoryMap.js';
import { failedStepIndex } from './timeline.js';
import { hex } from '../../construct/hex.js';

export type Cell = string | number | Html;

/** A cell that is one word (a hex address, a SEAMCALL name): it must not be split over lines. */
const oneToken = (v: Cell): boolean => typeof v === 'string' && v.length > 0 && v.length <= 40 && !/\s/.test(v);

/**
 * A plain table; `numeric` columns are right-aligned with tabular figures and never wrap, and
 * a one-word text cell never breaks inside its word. The table sits in a box that scrolls
 * sideways when a narrow window cannot hold it, rather than breaking numbers or addresses.
 */
export function dataTable(headers: string[], rows: Cell[][], numeric: number[] = [], cls = ''): Html {
  const c = (i: number, v?: Cell): string => (numeric.includes(i) ? 'num' : v !== undefined && oneToken(v) ? 'tok' : '');
  return html`<div class="scroll"><table class="${`data ${cls}`.trim()}"><thead><tr>${headers.map((h, i) => html`<th class="${c(i)}">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr>${r.map((v, i) => html`<td class="${c(i, v)}">${v}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

const pct = (a: number, b: number, digits = 3): string => (b > 0 ? `${((a / b) * 100).toFixed(digits)}%` : '—');

/** The verdict banner and the headline numbers. */
export function outcomeSummary(r: SimulationReport): Html {
  const p = r.platform;
  const e = r.outcome.error;
  const banner = r.outcome.initialized
    ? html`<div class="banner ok"><strong>Initialized</strong> (${r.outcome.status}) in ${formatUs(r.totals.initUs)} modeled; tdx_enable() took ${formatUs(r.totals.tdxEnableUs)}.</div>`
    : html`<div class="banner fail"><strong>Failed</strong> (${r.outcome.status}) at ${e?.step ?? '?'}: ${e?.code ?? ''}${e?.statusName ? ` ${e.statusName} ${e.status ?? ''}` : ''}${e ? html`<br>${e.message}` : ''}</div>`;
  const facts: [string, Cell][] = [
    ['platform', p.name],
    ['memory', `${formatBytes(p.memoryBytes)} on ${p.nodes} node(s); TDX memory ${formatBytes(p.tdxMemoryBytes)}`],
    ['CPUs', `${p.packages} package(s), ${p.onlineLps}/${p.lps} LPs online, ${p.cpuModel}`],
    ['TDX module', p.moduleVersion],
    ['kernel policy', `${r.policy.name}; holes from ${r.policy.holes}${r.policy.bootTimeInit ? '; initialized at boot' : ''}${r.policy.dynamicPamt ? '; Dynamic PAMT' : ''}`],
    ['TDMRs', `${r.construct.tdmrsUsed} of ${r.construct.maxTdmrs} used; at most ${r.construct.reservedAreasUsed} of ${r.construct.maxReservedPerTdmr} reserved areas in one TDMR${r.construct.error ? `; construction error ${r.construct.error}` : ''}`],
    ['PAMT', r.pamt.totalKb > 0 ? `${formatBytes(r.pamt.totalKb * 1024)} (${r.pamt.totalKb} KB), ${pct(r.pamt.totalKb * 1024, p.tdxMemoryBytes)} of TDX memory` : 'none held'],
    ['time', `init ${formatUs(r.totals.initUs)}; LP.INIT ${formatUs(r.totals.lpInitUs)}; TDMR.INIT ${formatUs(r.totals.tdmrInitUs)}`],
  ];
  if (r.readiness) facts.push(['TDMR.INIT progress', `50% at ${formatUs(r.readiness.p50Us)}, 90% at ${formatUs(r.readiness.p90Us)}, 100% at ${formatUs(r.readiness.p100Us)}`]);
  const f = r.physicalFloor;
  if (f.floorUs > 0 && f.modeledTdmrInitUs > 0) {
    facts.push(['physical floor', `writing ${formatBytes(f.pamtBytes)} of PAMT at ${f.bandwidthGBps} GB/s × ${f.packages} package(s) takes ${formatUs(f.floorUs)}; modeled TDMR.INIT is ${f.ratio ?? '—'}× that`]);
  }
  facts.push(['SEAMCALLs', `${r.seamcalls.total}`]);
  if (r.trials) facts.push(['trials', `${r.trials.trials} (seed ${r.trials.seed}): total p50 ${formatUs(r.trials.total.p50)}, p95 ${formatUs(r.trials.total.p95)}, p99 ${formatUs(r.trials.total.p99)}`]);
  return html`${banner}<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

const hx = (n: number): string => (Number.isFinite(n) ? hex(n) : '?');

export function tdmrTable(r: SimulationResult): Html {
  if (r.tdmrs.length === 0) return html`<p class="note">No TDMRs: ${r.construct.error ? `construction failed (${r.construct.error}).` : 'none were built.'}</p>`;
  const rows = r.tdmrs.map((t, i) => {
    const base = parseHex(t.base);
    const size = parseHex(t.size);
    const p4 = parseHex(t.pamt4k.size);
    const p2 = parseHex(t.pamt2m.size);
    const p1 = parseHex(t.pamt1g.size);
    const areas = t.reserved.map((a) => {
      const o = parseHex(a.offset);
      const s = parseHex(a.size);
      return `[${hx(base + o)}, ${hx(base + o + s)}) ${formatBytes(s)}`;
    });
    const full = t.reserved.length >= r.construct.maxReservedPerTdmr;
    const rsv = html`<details><summary class="${full ? 'fail' : ''}">${t.reserved.length} / ${r.construct.maxReservedPerTdmr}</summary><ul class="areas">${areas.map((a) => html`<li>${a}</li>`)}</ul></details>`;
    return [String(i), t.base, hx(base + size), formatBytes(size), String(t.nid), t.pamt4k.base, formatBytes(p4 + p2 + p1), `${formatBytes(p4)} / ${formatBytes(p2)} / ${formatBytes(p1)}`, rsv] as Cell[];
  });
  return dataTable(['#', 'base', 'end', 'size', 'PAMT node', 'PAMT at', 'PAMT', '4K / 2M / 1G', 'reserved areas'], rows, [0, 3, 4, 6]);
}

export function stepsTable(r: SimulationResult): Html {
  const failed = failedStepIndex(r);
  const rows = r.timeline.map((s, i) => [
    i === failed ? html`<span class="fail tok">${s.step}</span>` : s.step,
    formatUs(s.startUs), formatUs(s.endUs), formatUs(s.durationUs), pct(s.durationUs, r.totals.initUs, 1), s.cpus, s.detail,
  ] as Cell[]);
  return dataTable(['step', 'start', 'end', 'duration', 'share', 'CPUs', 'detail'], rows, [1, 2, 3, 4]);
}

const LABELS = ['measured', 'derived', 'source', 'assumed', 'set', 'override'];

export function parametersTable(r: SimulationResult): Html {
  const counts = LABELS.map((l) => [l, r.parameters.filter((x) => x.label === l).length] as const).filter(([, n]) => n > 0);
  const rows = r.parameters.map((x) => [
    html`<code>${x.name}</code>`, String(x.value), x.unit,
    html`<span class="${`label lbl-${LABELS.includes(x.label) ? x.label : 'other'}`}">${x.label}</span>`, x.source,
  ] as Cell[]);
  return html`<p>${counts.map(([l, n], i) => html`${i ? ', ' : ''}<span class="${`label lbl-${l}`}">${l}</span> ${n}`)}.
    <em>measured</em>: a published measurement; <em>derived</em>: computed from published figures; <em>source</em>: fixed by the
    kernel or module source; <em>assumed</em>: no public number, a placeholder to calibrate; <em>set</em>/<em>override</em>: given by you.</p>
    ${dataTable(['parameter', 'value', 'unit', 'label', 'source'], rows, [1])}`;
}

export function seamcallTable(r: SimulationResult): Html {
  const rows = Object.entries(r.seamcalls.perLeaf).map(([k, v]) => [k, String(v)] as Cell[]);
  rows.push([html`<strong>total</strong>`, String(r.seamcalls.total)]);
  return dataTable(['leaf', 'calls'], rows, [1], 'narrow');
}

export function trialsTable(r: SimulationReport): Html | null {
  if (!r.trials) return null;
  const t = r.trials;
  const row = (name: Cell, s: { p50: number; p95: number; p99: number; mean: number; min: number; max: number }): Cell[] =>
    [name, formatUs(s.min), formatUs(s.p50), formatUs(s.mean), formatUs(s.p95), formatUs(s.p99), formatUs(s.max)];
  const rows = t.steps.map((s) => row(s.name, s.stats));
  rows.push(row(html`<strong>total</strong>`, t.total));
  return html`<p>${t.trials} Monte Carlo trials, seed ${t.seed}.</p>${dataTable(['step', 'min', 'p50', 'mean', 'p95', 'p99', 'max'], rows, [1, 2, 3, 4, 5, 6])}`;
}

export function callersTable(r: SimulationResult): Html | null {
  if (r.callers.length <= 1) return null;
  return dataTable(['caller', 'at', 'waited', 'returned', 'result', 'ran the init'],
    r.callers.map((c) => [String(c.caller), formatUs(c.atUs), formatUs(c.waitUs), formatUs(c.returnedUs), String(c.result), c.ran ? 'yes' : 'no']), [0, 1, 2, 3, 4]);
}

export function hotplugTable(r: SimulationResult): Html | null {
  if (r.hotplug.length === 0) return null;
  return dataTable(['kind', 'range', 'node', 'result', 'message'], r.hotplug.map((h) => [
    h.kind, `[${h.start}, ${h.end})`, String(h.node), h.accepted ? html`<span class="ok">accepted</span>` : html`<span class="fail">refused</span>`, h.message,
  ]), [2]);
}

export function logBlock(r: SimulationResult): Html {
  const warn = r.warnings.length
    ? html`<p>Construction warnings:</p><ul class="warnings">${r.warnings.map((w) => html`<li>${w}</li>`)}</ul>`
    : null;
  return join([html`<pre class="log">${r.log.join('\n')}</pre>`, warn]);
}
