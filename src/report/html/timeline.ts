// The Gantt chart of the initialization: one row per timeline step, bars at their true start
// and end on a linear time axis, and beside it the same durations on a log scale. A linear
// axis alone would reduce a 6 µs TDH.SYS.RD next to a 1 s TDH.SYS.TDMR.INIT to nothing, a log
// time axis would distort where steps sit; the pair shows both when and how long. Bars narrower
// than a few pixels are drawn at a minimum width and every bar carries its duration as text.

import type { SimulationResult } from '../../model/simulate.js';
import { formatUs } from '../units.js';
import { type Html } from './escape.js';
import { tag, rect, line, text, svg, textWidth, niceStep } from './svg.js';
import { maxOf } from '../../util/extent.js';

type Step = SimulationResult['timeline'][number];

const W = 1000;
const NAME_X = 6;
const GX0 = 214;
const GX1 = 676;
const DX0 = 730;
const DX1 = 984;
const ROW = 22;
const BAR = 12;
const TOP = 40;

/** Short axis labels: "0", "250 ms", "1.2 s". */
export function shortUs(us: number): string {
  if (us === 0) return '0';
  const a = Math.abs(us);
  const trim = (v: number): string => String(Number(v.toPrecision(3)));
  if (a < 1000) return `${trim(us)} µs`;
  if (a < 1e6) return `${trim(us / 1000)} ms`;
  return `${trim(us / 1e6)} s`;
}

export function stepColor(step: string): string {
  if (/waits|blocked/i.test(step)) return '#bab0ac';
  if (/^TDH\./.test(step)) return '#4e79a7';
  if (/WBINVD/.test(step)) return '#9c755f';
  if (/construct|allocate|MOVDIR64B|overhead/i.test(step)) return '#f28e2b';
  return '#76b7b2';
}

/** Which timeline entry the failure happened in: a step whose detail says so, else the last one named by the error. */
export function failedStepIndex(r: SimulationResult): number {
  if (r.outcome.initialized) return -1;
  const byDetail = r.timeline.findIndex((s) => /^failed/.test(s.detail));
  if (byDetail >= 0) return byDetail;
  const step = r.outcome.error?.step;
  for (let i = r.timeline.length - 1; i >= 0; i--) if (r.timeline[i].step === step) return i;
  return -1;
}

function fitText(s: string, width: number, size: number): string {
  if (textWidth(s, size) <= width) return s;
  let t = s;
  while (t.length > 1 && textWidth(`${t}…`, size) > width) t = t.slice(0, -1);
  return `${t}…`;
}

export interface TimeAxisOptions {
  /** Draw to this time instead of the report's own end, so two reports share one axis. */
  endUs?: number;
  /** The log-scale duration axis as decades [lo, hi] (10^lo µs .. 10^hi µs), shared by two reports. */
  logDecades?: [number, number];
}

/** The decades the log-scale duration axis spans for these reports' steps (at least two). */
export function durationDecades(...reports: SimulationResult[]): [number, number] {
  const durs = reports.flatMap((r) => r.timeline.map((s) => s.durationUs)).filter((d) => d > 0);
  const maxD = maxOf(durs, 1);
  const minD = Math.min(...durs, maxD);
  const hiExp = Math.ceil(Math.log10(maxD));
  return [Math.min(Math.floor(Math.log10(Math.max(minD, 0.01))), hiExp - 2), hiExp];
}

/** A tick label centred on x, moved inward where it would run past the picture's edges. */
function tickText(x: number, y: number, s: string): Html {
  const half = textWidth(s, 10) / 2;
  return text(Math.min(Math.max(x, half + 1), W - half - 1), y, s, { 'text-anchor': 'middle', class: 'tick' });
}

export function timelineChart(r: SimulationResult, opts: TimeAxisOptions = {}): Html {
  const steps: Step[] = r.timeline;
  if (steps.length === 0) return svg(W, 40, 'Timeline: no steps ran', 'chart timeline', text(NAME_X, 24, 'No step ran.', { class: 'note' }));
  const end = Math.max(opts.endUs ?? 0, r.totals.initUs, ...steps.map((s) => s.endUs), 1e-3);
  const gx = (t: number): number => GX0 + (Math.max(0, Math.min(t, end)) / end) * (GX1 - GX0);

  const [loExp, hiExp] = opts.logDecades ?? durationDecades(r);
  const dx = (d: number): number => DX0 + ((Math.log10(d) - loExp) / (hiExp - loExp)) * (DX1 - DX0);

  const failed = failedStepIndex(r);
  const height = TOP + steps.length * ROW + 44;
  const bottom = TOP + steps.length * ROW;
  const out: Html[] = [];

  out.push(text(GX0, 14, 'when: linear time since boot of the model', { class: 'heading' }));
  out.push(text(DX0, 14, 'how long: log scale', { class: 'heading' }));
  out.push(text(NAME_X, 14, 'step', { class: 'heading' }));

  const tstep = niceStep(end, 6);
  const tticks: number[] = [];
  for (let t = 0; t <= end + 1e-9; t += tstep) tticks.push(t);
  for (const t of tticks) {
    out.push(line(gx(t), TOP - 6, gx(t), bottom, { stroke: '#e3e3e3' }));
    out.push(tickText(gx(t), TOP - 10, shortUs(t)));
  }
  // Label every decade only when "100 ms" fits between two of them.
  const every = (DX1 - DX0) / (hiExp - loExp) < 44 ? 2 : 1;
  for (let e = loExp; e <= hiExp; e++) {
    const x = dx(Math.pow(10, e));
    out.push(line(x, TOP - 6, x, bottom, { stroke: '#e3e3e3' }));
    if ((hiExp - e) % every === 0) out.push(tickText(x, TOP - 10, shortUs(Math.pow(10, e))));
  }

  steps.forEach((s, i) => {
    const y = TOP + i * ROW;
    const cy = y + (ROW - BAR) / 2;
    const isFail = i === failed;
    const fill = isFail ? '#e15759' : stepColor(s.step);
    if (i % 2 === 0) out.push(rect(0, y, W, ROW, { fill: '#f6f7f9' }));
    out.push(text(NAME_X, y + 15, fitText(s.step, GX0 - NAME_X - 8, 11), { class: isFail ? 'fail' : 'rowname' }));
    const tip = `${s.step}: ${formatUs(s.startUs)} → ${formatUs(s.endUs)} (${formatUs(s.durationUs)}) on ${s.cpus}; ${s.detail}`;

    let x = gx(s.startUs);
    let w = gx(s.endUs) - x;
    if (w < 3) {
      x = Math.min(x, GX1 - 3);
      w = 3;
    }
    out.push(rect(x, cy, w, BAR, { fill, stroke: isFail ? '#900000' : 'none', 'stroke-width': 1.2 }, tip));
    const label = formatUs(s.durationUs);
    const lw = textWidth(label, 10);
    if (x + w + 4 + lw <= GX1 + 40) out.push(text(x + w + 4, y + 15, label, { class: 'dur' }));
    else if (w >= lw + 8) out.push(text(x + w - 4, y + 15, label, { class: 'inside', 'text-anchor': 'end' }));
    else out.push(text(Math.max(x - 4, GX0 + lw), y + 15, label, { class: 'dur', 'text-anchor': 'end' }));

    if (s.durationUs > 0) {
      const x1 = Math.max(dx(Math.max(s.durationUs, Math.pow(10, loExp))), DX0 + 2);
      out.push(rect(DX0, cy, x1 - DX0, BAR, { fill, 'fill-opacity': 0.85 }, tip));
    } else {
      out.push(text(DX0 + 2, y + 15, '0 (instant)', { class: 'small' }));
    }
  });

  out.push(line(GX0, bottom, GX1, bottom, { stroke: '#333333' }));
  out.push(line(DX0, bottom, DX1, bottom, { stroke: '#333333' }));
  out.push(line(DX0, TOP - 6, DX0, bottom, { stroke: '#333333' }));
  const doneX = gx(r.totals.initUs);
  const verdict = r.outcome.initialized ? `initialized at ${formatUs(r.totals.initUs)}` : `failed at ${formatUs(r.totals.initUs)}`;
  out.push(line(doneX, TOP - 4, doneX, bottom + 6, { stroke: r.outcome.initialized ? '#2f7f2f' : '#c00000', 'stroke-width': 1.5, 'stroke-dasharray': '4 2' }));
  out.push(text(Math.max(GX0, Math.min(doneX, GX1 - textWidth(verdict, 11))), bottom + 20, verdict, { class: r.outcome.initialized ? 'ok' : 'fail' }));
  out.push(text(DX1, bottom + 20, 'bars narrower than 3 px are widened', { class: 'small', 'text-anchor': 'end' }));

  return svg(W, height, `Timeline of the initialization of ${r.platform.name}`, 'chart timeline', tag('g', {}, ...out));
}
