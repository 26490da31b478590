// The readiness curve: the fraction of TDX memory TDMR.INIT has initialized (module progress;
// no modeled kernel lets a guest use it before tdx_enable() returns). TDMR.INIT
// completes memory one 1 GiB chunk at a time, so the curve stays at zero until the first
// TDMR.INIT call returns and then climbs; p50/p90/p100 are marked because they are the numbers
// a capacity planner asks for ("when can I start half my guests?").

import type { SimulationResult } from '../../model/simulate.js';
import { formatUs, formatBytes } from '../units.js';
import { join, type Html } from './escape.js';
import { tag, rect, line, text, svg, title, textWidth, niceStep } from './svg.js';
import { shortUs, type TimeAxisOptions } from './timeline.js';

const W = 1000;
const X0 = 70;
const X1 = 960;
const Y0 = 24;
const Y1 = 224;

export function readinessChart(r: SimulationResult, opts: TimeAxisOptions = {}): Html {
  const rd = r.readiness;
  if (!rd || rd.curve.length === 0) {
    const why = r.outcome.initialized ? 'No TDX memory to make usable.' : 'No TDX memory became usable: initialization failed.';
    return svg(W, 34, 'Readiness: none', 'chart readiness', text(8, 22, why, { class: 'note' }));
  }
  const end = Math.max(opts.endUs ?? 0, r.totals.initUs, rd.p100Us, ...rd.curve.map((p) => p.tUs), 1e-3);
  const x = (t: number): number => X0 + (Math.max(0, t) / end) * (X1 - X0);
  const y = (f: number): number => Y1 - f * (Y1 - Y0);
  const out: Html[] = [];

  // The TDMR.INIT windows: where the curve can move at all.
  for (const s of r.timeline.filter((t) => t.step.startsWith('TDH.SYS.TDMR.INIT'))) {
    out.push(rect(x(s.startUs), Y0, Math.max(1, x(s.endUs) - x(s.startUs)), Y1 - Y0, { fill: '#4e79a7', 'fill-opacity': 0.08 }, `${s.step} ${formatUs(s.startUs)} → ${formatUs(s.endUs)}`));
  }
  const first = r.timeline.find((t) => t.step.startsWith('TDH.SYS.TDMR.INIT'));
  if (first) out.push(text(x(first.startUs) + 4, Y0 + 12, 'TDH.SYS.TDMR.INIT', { class: 'small' }));

  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(line(X0, y(f), X1, y(f), { stroke: '#e3e3e3' }));
    out.push(text(X0 - 6, y(f) + 4, `${f * 100}%`, { 'text-anchor': 'end', class: 'tick' }));
  }
  const step = niceStep(end, 8);
  for (let t = 0; t <= end + 1e-9; t += step) {
    out.push(line(x(t), Y1, x(t), Y1 + 4, { stroke: '#333333' }));
    out.push(text(x(t), Y1 + 16, shortUs(t), { 'text-anchor': 'middle', class: 'tick' }));
  }
  out.push(line(X0, Y0, X0, Y1, { stroke: '#333333' }), line(X0, Y1, X1, Y1, { stroke: '#333333' }));

  const pts: [number, number][] = [[0, 0]];
  for (const p of rd.curve) pts.push([p.tUs, p.fraction]);
  pts.push([end, rd.curve[rd.curve.length - 1].fraction]);
  const d = pts.map(([t, f], i) => `${i ? 'L' : 'M'}${x(t).toFixed(2)},${y(f).toFixed(2)}`).join(' ');
  out.push(tag('path', { d: `${d} L${x(end).toFixed(2)},${Y1} L${X0},${Y1} Z`, fill: '#59a14f', 'fill-opacity': 0.15, stroke: 'none' }));
  out.push(tag('path', { d, fill: 'none', stroke: '#336b2c', 'stroke-width': 2.2 }));
  for (const p of rd.curve) {
    out.push(tag('circle', { cx: x(p.tUs), cy: y(p.fraction), r: 2.2, fill: '#336b2c' }, title(`${Math.round(p.fraction * 100)}% usable at ${formatUs(p.tUs)}`)));
  }

  // Percentile labels go left of their point: the curve rises to the right, so the space to
  // the left at the same height is empty, and the 10% steps between p50/p90/p100 keep them apart.
  const marks: [string, number, number][] = [['p50', rd.p50Us, 0.5], ['p90', rd.p90Us, 0.9], ['p100', rd.p100Us, 1]];
  for (const [name, t, f] of marks) {
    const mx = x(t);
    out.push(line(mx, y(f), mx, Y1, { stroke: '#9e2a2c', 'stroke-dasharray': '4 3' }));
    out.push(tag('circle', { cx: mx, cy: y(f), r: 4, fill: '#ffffff', stroke: '#9e2a2c', 'stroke-width': 2 }, title(`${name}: ${formatUs(t)}`)));
    const label = `${name} ${formatUs(t)}`;
    const left = mx - 8 - textWidth(label, 11) > X0;
    out.push(text(left ? mx - 8 : mx + 8, y(f) + 4, label, { class: 'mark', 'text-anchor': left ? 'end' : 'start' }));
  }
  out.push(text(X1, Y1 + 32, `time since boot of the model; 100% = ${formatBytes(rd.tdxMemoryBytes)} of TDX memory`, { 'text-anchor': 'end', class: 'small' }));
  return svg(W, Y1 + 40, `Fraction of TDX memory initialized by TDMR.INIT over time, ${r.platform.name}`, 'chart readiness', join(out));
}
