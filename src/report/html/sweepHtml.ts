// The sweep as one self-contained page (--format html): for the chosen metric, one plot per
// axis (the metric against that axis's values, one series per policy: the median over the
// other axes, with a bar from the smallest to the largest value), then the rows as a table.

import type { SweepPlan } from '../../model/sweep/spec.js';
import { formatBytes, formatUs } from '../units.js';
import { html, join, type Html } from './escape.js';
import { page, type Section } from './page.js';
import { line, niceStep, niceStepBytes, nodeDark, rect, svg, tag, text, textWidth, title } from './svg.js';
import { dataTable, type Cell } from './tables.js';
import { shortUs } from './timeline.js';
import { SWEEP_METRIC_COLUMNS, type SweepMetric } from './sweepMetrics.js';

type Row = Record<string, unknown>;

const W = 1000;
const X0 = 90;
const X1 = 960;
const Y0 = 16;
const Y1 = 236;
/** Rows shown in the table at most: the page stays openable; the CSV holds them all. */
export const TABLE_ROWS_MAX = 2000;

const valueText = (v: number, unit: string): string => (unit === 'µs' ? formatUs(v) : unit === 'KB' ? formatBytes(v * 1024) : String(v));
const cellText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
/** An axis value as a plot's x label: a list entry that leaves the axis unset keeps the base's value. */
const xLabel = (v: unknown): string => (v === null || v === undefined ? '(base)' : cellText(v));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The distinct values of an axis in the rows, in the spec's order (grid) or first appearance (list). */
function axisValues(plan: SweepPlan, name: string, rows: Row[]): string[] {
  const axis = plan.axes.find((a) => a.name === name)!;
  const seen = new Set<string>(plan.mode === 'grid' ? axis.values.map(xLabel) : []);
  for (const r of rows) seen.add(xLabel(r[name]));
  return [...seen];
}

interface Point { x: number; min: number; med: number; max: number; n: number }

function axisChart(plan: SweepPlan, axis: string, rows: Row[], metric: SweepMetric, policies: string[], policyOf: (r: Row) => string): Html {
  const { column, unit, label } = SWEEP_METRIC_COLUMNS[metric];
  const xs = axisValues(plan, axis, rows);
  const slot = (X1 - X0) / xs.length;
  const xOf = (i: number): number => X0 + slot * (i + 0.5);
  const series = policies.map((p) => {
    const pts: Point[] = [];
    xs.forEach((xv, i) => {
      const vals = rows.filter((r) => r.initialized === true && policyOf(r) === p && xLabel(r[axis]) === xv)
        .map((r) => r[column]).filter((v): v is number => typeof v === 'number');
      if (vals.length) pts.push({ x: i, min: Math.min(...vals), med: median(vals), max: Math.max(...vals), n: vals.length });
    });
    return { policy: p, pts };
  });
  const failed = xs.map((xv) => rows.filter((r) => r.initialized !== true && xLabel(r[axis]) === xv).length);
  const top0 = Math.max(0, ...series.flatMap((s) => s.pts.map((p) => p.max)));
  const step = unit === 'KB' ? niceStepBytes(top0 * 1024, 5) / 1024 : niceStep(top0, 5);
  const top = Math.max(step, Math.ceil(top0 / step) * step);
  const y = (v: number): number => Y1 - (v / top) * (Y1 - Y0);
  const out: Html[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(line(X0, y(v), X1, y(v), { stroke: '#e3e3e3' }));
    out.push(text(X0 - 6, y(v) + 4, v === 0 ? '0' : unit === 'µs' ? shortUs(v) : valueText(v, unit), { 'text-anchor': 'end', class: 'tick' }));
  }
  // Tick labels: every k-th one when they would not fit their slot.
  const widest = Math.max(...xs.map((v) => textWidth(v, 10)));
  const every = Math.max(1, Math.ceil((widest + 6) / slot));
  xs.forEach((v, i) => {
    if (i % every) return;
    out.push(text(xOf(i), Y1 + 16, v, { 'text-anchor': 'middle', class: 'tick' }));
    if (failed[i] && textWidth(`${failed[i]} failed`, 10) + 6 <= slot * every) out.push(text(xOf(i), Y1 + 30, `${failed[i]} failed`, { 'text-anchor': 'middle', class: 'small fail' }));
  });
  out.push(line(X0, Y0, X0, Y1, { stroke: '#333333' }), line(X0, Y1, X1, Y1, { stroke: '#333333' }));
  out.push(text(X1, Y1 + 36, axis, { 'text-anchor': 'end', class: 'small' }));
  // Series side by side within a slot, so equal values do not hide each other.
  const spread = Math.min(slot * 0.5, 14 * (policies.length - 1));
  series.forEach((s, k) => {
    const dx = policies.length > 1 ? -spread / 2 + (spread * k) / (policies.length - 1) : 0;
    const colour = nodeDark(k);
    const d = s.pts.map((p, i) => `${i ? 'L' : 'M'}${(xOf(p.x) + dx).toFixed(2)},${y(p.med).toFixed(2)}`).join(' ');
    if (s.pts.length > 1) out.push(tag('path', { d, fill: 'none', stroke: colour, 'stroke-width': 2 }));
    for (const p of s.pts) {
      const cx = xOf(p.x) + dx;
      const tip = `${s.policy || 'platform policy'}, ${axis} = ${xs[p.x]}: median ${valueText(p.med, unit)}, from ${valueText(p.min, unit)} to ${valueText(p.max, unit)} over ${p.n} row(s)`;
      if (p.max > p.min) out.push(rect(cx - 1, y(p.max), 2, y(p.min) - y(p.max), { fill: colour, 'fill-opacity': 0.5 }, tip));
      out.push(tag('circle', { cx, cy: y(p.med), r: 3.5, fill: colour }, title(tip)));
    }
  });
  return svg(W, Y1 + 40, `${label} against ${axis}, one series per policy`, 'chart sweep', join(out));
}

function legend(policies: string[]): Html {
  return html`<div class="legend">${policies.map((p, k) => html`<span class="key"><span class="swatch" style="${`background:${nodeDark(k)}`}"></span>${p || 'each platform\'s own policy'}</span>`)}</div>`;
}

function rowsTable(plan: SweepPlan, rows: Row[]): Html {
  const cols = Object.keys(rows[0] ?? {});
  const units: Record<string, string> = { totalUs: 'µs', tdmrInitUs: 'µs', readyP50Us: 'µs', readyP100Us: 'µs', floorUs: 'µs', pamtKb: 'KB' };
  const shown = rows.slice(0, TABLE_ROWS_MAX);
  const numeric = cols.map((c, i) => (shown.every((r) => r[c] === null || typeof r[c] === 'number') ? i : -1)).filter((i) => i >= 0);
  const body: Cell[][] = shown.map((r) => cols.map((c) => {
    const v = r[c];
    return typeof v === 'number' && units[c] ? valueText(v, units[c]) : cellText(v);
  }));
  const note = rows.length > shown.length ? html`<p class="note">The first ${shown.length} of ${rows.length} rows; the CSV or JSON Lines output has them all.</p>` : null;
  return html`${note}${dataTable(cols, body, numeric, 'rows')}`;
}

export function sweepHtml(plan: SweepPlan, rows: Row[], metric: SweepMetric): string {
  const { label } = SWEEP_METRIC_COLUMNS[metric];
  const policyAxis = plan.axes.some((a) => a.name === 'policy');
  const policies = policyAxis ? axisValues(plan, 'policy', rows) : [''];
  const policyOf = (r: Row): string => (policyAxis ? xLabel(r.policy) : '');
  const plotted = plan.axes.filter((a) => a.kind !== 'policy' && a.kind !== 'label');
  const failed = rows.filter((r) => r.initialized !== true).length;
  const sections: Section[] = plotted.map((a) => ({
    id: `axis-${plan.axes.indexOf(a)}`,
    heading: `${label} against ${a.name}`,
    intro: `Median over the other axes (dot), smallest to largest (bar), rows that initialized only; one series per policy.`,
    body: join([legend(policies), axisChart(plan, a.name, rows, metric, policies, policyOf)]),
  }));
  if (plotted.length === 0) sections.push({ id: 'axes', heading: 'Plots', body: html`<p class="note">No axis to plot against: the sweep varies only the policy or names its variants.</p>` });
  sections.push({ id: 'rows', heading: 'Rows', body: rowsTable(plan, rows) });
  return page({
    title: `tdxmodel sweep: ${plan.source}`,
    subtitle: `${rows.length} rows over ${plan.axes.map((a) => a.name).join(', ')} · ${failed} failed to initialize · plots show ${label}`,
    sections,
    footer: 'tdxmodel sweep report. Times are modeled, not measured.',
  });
}
