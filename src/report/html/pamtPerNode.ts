// PAMT memory per NUMA node, as a bar chart: where the module's metadata physically lives (the
// node whose memory holds each allocation), and what share of that node's memory it takes.

import type { SimulationResult } from '../../model/simulate.js';
import type { Platform } from '../../platform/types.js';
import { formatBytes } from '../units.js';
import { type Html } from './escape.js';
import { rect, line, text, svg, textWidth, nodeDark, niceStepBytes } from './svg.js';

const W = 1000;
const X0 = 110;
const X1 = 760;
const ROW = 26;
const BAR = 16;

export function pamtPerNodeChart(r: SimulationResult, platform: Platform): Html {
  const rows = r.pamt.perNode;
  if (rows.length === 0) {
    const why = r.outcome.initialized ? 'No PAMT was allocated.' : 'No PAMT is held: initialization did not complete, so any PAMT allocated was freed.';
    return svg(W, 34, 'PAMT per node: none', 'chart pamt', text(8, 22, why, { class: 'note' }));
  }
  const nodeMem = new Map<number, number>();
  for (const m of platform.memory) nodeMem.set(m.node, (nodeMem.get(m.node) ?? 0) + m.end - m.start);
  const maxKb = Math.max(...rows.map((n) => n.kb), 1);
  const step = niceStepBytes(maxKb * 1024, 5);
  const top = Math.ceil((maxKb * 1024) / step) * step;
  const x = (bytes: number): number => X0 + (bytes / top) * (X1 - X0);
  const height = 16 + rows.length * ROW + 30;
  const bottom = 12 + rows.length * ROW;
  const out: Html[] = [];
  for (let b = 0; b <= top + 1e-6; b += step) {
    out.push(line(x(b), 8, x(b), bottom, { stroke: '#e3e3e3' }));
    out.push(text(x(b), bottom + 14, b === 0 ? '0' : formatBytes(b), { 'text-anchor': 'middle', class: 'tick' }));
  }
  rows.forEach((n, i) => {
    const y = 12 + i * ROW;
    const bytes = n.kb * 1024;
    const mem = nodeMem.get(n.node) ?? 0;
    const share = mem > 0 ? `${((bytes / mem) * 100).toFixed(3)}% of the node's ${formatBytes(mem)}` : 'outside any memory range';
    const name = n.node < 0 ? 'no node' : `node ${n.node}`;
    out.push(text(X0 - 8, y + 13, name, { 'text-anchor': 'end', class: 'rowname' }));
    out.push(rect(X0, y, Math.max(2, x(bytes) - X0), BAR, { fill: nodeDark(n.node) }, `${name}: ${n.kb} KB of PAMT (${formatBytes(bytes)}), ${share}`));
    const label = `${formatBytes(bytes)} (${n.kb} KB) · ${share}`;
    const lx = x(bytes) + 6;
    out.push(text(lx + textWidth(label, 11) > W ? X0 + 4 : lx, y + 13, label, { class: lx + textWidth(label, 11) > W ? 'inside' : 'dur' }));
  });
  out.push(line(X0, 8, X0, bottom, { stroke: '#333333' }));
  out.push(text(X1, bottom + 28, `total ${formatBytes(r.pamt.totalKb * 1024)} (${r.pamt.totalKb} KB)`, { 'text-anchor': 'end', class: 'small' }));
  return svg(W, height, `PAMT per NUMA node of ${r.platform.name}`, 'chart pamt', ...out);
}
