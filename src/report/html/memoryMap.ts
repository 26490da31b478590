// The physical memory map: memory by node, the holes between, the allocator's reserved ranges,
// the CMRs, the TDMRs with their reserved areas hatched, and where each PAMT landed. Two panels
// of one picture: the whole machine on a linear scale, then the low 4 GiB on a broken axis
// (the first MiB widened), because the legacy holes under 1 MiB and the firmware hole below
// 4 GiB are a few KiB to a few hundred MiB on a machine of hundreds of GiB and would be
// invisible otherwise. Anything narrower than a pixel or two is drawn at a minimum width so it
// is never silently lost; exact values are in the hover titles and the TDMR table.

import type { SimulationResult } from '../../model/simulate.js';
import type { Platform } from '../../platform/types.js';
import { formatBytes } from '../units.js';
import { html, join, type Html } from './escape.js';
import { tag, rect, line, text, svg, placeLabels, textWidth, nodeFill, nodeDark, niceStepBytes, hatchDefs } from './svg.js';
import { hex } from '../../construct/hex.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

const W = 1000;
const L = 96; // row labels live left of this
const R = W - 16;

interface Range {
  start: number;
  end: number;
}

interface MapTdmr extends Range {
  index: number;
  nid: number;
  reserved: Range[];
  pamt: Range & { node: number; parts: string };
}

interface Seg {
  lo: number;
  hi: number;
  x0: number;
  x1: number;
}

/** A piecewise-linear address scale; one segment is a plain linear axis. */
class Scale {
  constructor(readonly segs: Seg[]) {}

  get lo(): number {
    return this.segs[0].lo;
  }

  get hi(): number {
    return this.segs[this.segs.length - 1].hi;
  }

  /**
   * x of address `a`. At a break the two segments share an address (1 MiB ends one and
   * starts the next): a range starting there belongs right of the gap, one ending there left.
   */
  x(a: number, side: 'start' | 'end' = 'end'): number {
    const s = this.segs;
    if (a <= s[0].lo) return s[0].x0;
    for (const g of s) {
      if (a < g.lo) return g.x0;
      if (a < g.hi || (a === g.hi && side === 'end')) return g.x0 + ((a - g.lo) / (g.hi - g.lo)) * (g.x1 - g.x0);
    }
    return s[s.length - 1].x1;
  }

  /** Pixel extent of [start, end) clipped to the scale, widened to `minW` so it stays visible. */
  span(r: Range, minW: number): { x: number; w: number } | null {
    if (r.end <= this.lo || r.start >= this.hi || r.end <= r.start) return null;
    let x = this.x(Math.max(r.start, this.lo), 'start');
    const x1 = this.x(Math.min(r.end, this.hi));
    let w = x1 - x;
    if (w < minW) {
      x = Math.max(this.segs[0].x0, Math.min(x - (minW - w) / 2, this.segs[this.segs.length - 1].x1 - minW));
      w = minW;
    }
    return { x, w };
  }

  /** A left edge for a label of width w at x that keeps it out of the white gap of every break. */
  clearOfBreaks(x: number, w: number): number {
    for (let i = 1; i < this.segs.length; i++) {
      const a = this.segs[i - 1].x1;
      const b = this.segs[i].x0;
      if (x < b && x + w > a) x = b + 4;
    }
    return x;
  }
}

export function parseHex(s: string): number {
  try {
    return Number(BigInt(s));
  } catch {
    return NaN;
  }
}

/** An address for axis ticks and titles: short binary units, no trailing zeros. */
export function fmtAddr(b: number): string {
  if (b === 0) return '0';
  const units: [number, string][] = [[1024 * GiB, 'TiB'], [GiB, 'GiB'], [MiB, 'MiB'], [KiB, 'KiB']];
  for (const [u, name] of units) {
    if (b >= u) {
      const v = b / u;
      return `${Number.isInteger(v) ? v : Number(v.toFixed(v >= 100 ? 0 : 2))} ${name}`;
    }
  }
  return `${b} B`;
}

const rangeText = (r: Range): string => `[${hex(r.start)}, ${hex(r.end)}) ${formatBytes(r.end - r.start)}`;

function nodeAt(p: Platform, addr: number): number {
  for (const m of p.memory) if (addr >= m.start && addr < m.end) return m.node;
  return -1;
}

export function mapTdmrs(result: SimulationResult, platform: Platform): MapTdmr[] {
  return result.tdmrs.map((t, index) => {
    const base = parseHex(t.base);
    const size = parseHex(t.size);
    const p4 = parseHex(t.pamt4k.base);
    const total = parseHex(t.pamt4k.size) + parseHex(t.pamt2m.size) + parseHex(t.pamt1g.size);
    return {
      index, start: base, end: base + size, nid: t.nid,
      reserved: t.reserved.map((a) => ({ start: base + parseHex(a.offset), end: base + parseHex(a.offset) + parseHex(a.size) })),
      pamt: {
        start: p4, end: p4 + total, node: nodeAt(platform, p4),
        parts: `4K ${formatBytes(parseHex(t.pamt4k.size))}, 2M ${formatBytes(parseHex(t.pamt2m.size))}, 1G ${formatBytes(parseHex(t.pamt1g.size))}`,
      },
    };
  }).filter((t) => Number.isFinite(t.start) && Number.isFinite(t.end));
}

/** Address gaps below the last memory byte: the holes the TDMRs must reserve. */
export function memoryHoles(memory: Range[]): Range[] {
  const sorted = [...memory].sort((a, b) => a.start - b.start);
  const holes: Range[] = [];
  let prev = 0;
  for (const m of sorted) {
    if (m.start > prev) holes.push({ start: prev, end: m.start });
    prev = Math.max(prev, m.end);
  }
  return holes;
}

/** The TDMR a failed construction ran out of reserved areas in, if any. */
function failedTdmr(result: SimulationResult): Range | null {
  const t = result.construct.failedTdmr;
  if (!t) return null;
  const start = parseHex(t.base);
  return { start, end: start + parseHex(t.size) };
}

interface Ctx {
  result: SimulationResult;
  platform: Platform;
  tdmrs: MapTdmr[];
  holes: Range[];
  failed: Range | null;
  id: string;
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
const within = <T extends Range>(rs: T[], s: Scale): T[] => rs.filter((r) => r.end > s.lo && r.start < s.hi);

function rowLabel(y: number, h: number, s: string): Html {
  return text(L - 8, y + h / 2 + 4, s, { 'text-anchor': 'end', class: 'rowlabel' });
}

/** One panel: rows for memory, allocator-reserved ranges, CMRs, TDMRs, PAMTs, then the axis. */
function panel(c: Ctx, y0: number, s: Scale, heading: string, zoom: boolean): { svg: Html; height: number; rowsTop: number; rowsBottom: number } {
  const out: Html[] = [];
  const p = c.platform;
  const minW = 2;
  let y = y0;
  const mem = within(p.memory, s);
  const holes = within(c.holes, s);
  const tdmrs = c.tdmrs.filter((t) => t.end > s.lo && t.start < s.hi);
  const pamts = c.tdmrs.filter((t) => t.pamt.end > s.lo && t.pamt.start < s.hi);
  const cmrs = within(p.cmrs, s);
  out.push(text(L, y + 12, `${heading} · ${count(mem.length, 'memory range')}, ${count(holes.length, 'hole')}, ${count(cmrs.length, 'CMR')}, ${count(tdmrs.length, 'TDMR')}, ${count(pamts.length, 'PAMT')}`, { class: 'heading' }));
  y += 20;
  const rowsTop = y;

  // Hole labels sit in a lane above the memory row, so they never cover the memory itself.
  const holeSpans = holes.map((h) => s.span(h, minW));
  const holeLabelReq = holes.map((h, i) => ({ x: holeSpans[i]!.x, text: `hole ${formatBytes(h.end - h.start)}`, priority: -(h.end - h.start) }));
  const holeLanes = placeLabels(holeLabelReq, 1, 10, 6, R + 10);
  holeLabelReq.forEach((q, i) => { if (holeLanes[i] === 0) out.push(text(q.x, y + 9, q.text, { class: 'small' })); });
  y += 13;

  const memH = 22;
  out.push(rowLabel(y, memH, 'memory'));
  out.push(rect(L, y, R - L, memH, { fill: `url(#${c.id}hole)`, stroke: '#cccccc' }, 'no memory (hole)'));
  // Wide holes under the memory, narrow ones over it: a one-page memory range between two
  // big holes and a one-page hole between two big ranges must both stay visible.
  const holeRect = (h: Range, narrowOnly: boolean): void => {
    const sp = s.span(h, minW)!;
    const narrow = s.x(h.end) - s.x(h.start, 'start') < 6;
    if (narrow !== narrowOnly) return;
    out.push(rect(sp.x, y - 2, sp.w, memH + 4, narrow ? { fill: '#ffffff', stroke: '#b03030', 'stroke-width': 0.8 } : { fill: `url(#${c.id}hole)`, stroke: '#b03030', 'stroke-width': 0.8 }, `hole ${rangeText(h)}`));
  };
  for (const h of holes) holeRect(h, false);
  for (const m of mem) {
    const sp = s.span(m, minW)!;
    out.push(rect(sp.x, y, sp.w, memH, { fill: nodeFill(m.node) }, `memory node ${m.node} ${rangeText(m)}`));
    const label = `node ${m.node} · ${formatBytes(m.end - m.start)}`;
    if (textWidth(label, 10) + 8 < sp.w) out.push(text(sp.x + 4, y + 15, label, { class: 'inside' }));
    else if (textWidth(`${m.node}`, 10) + 4 < sp.w) out.push(text(sp.x + 2, y + 15, `${m.node}`, { class: 'inside' }));
  }
  for (const h of holes) holeRect(h, true);
  y += memH + 6;

  const rsvH = 9;
  out.push(rowLabel(y - 1, rsvH, 'allocator rsvd'));
  const rsv = within(p.reserved, s);
  const rsvReq: { x: number; text: string }[] = [];
  for (const r of rsv) {
    const sp = s.span(r, minW)!;
    out.push(rect(sp.x, y, sp.w, rsvH, { fill: '#5a5a5a' }, `reserved for the kernel allocator: ${r.label ?? ''} ${rangeText(r)}`));
    rsvReq.push({ x: sp.x, text: r.label ?? '' });
  }
  const rsvLanes = placeLabels(rsvReq, 1, 10, 6, R + 10);
  rsvReq.forEach((q, i) => { if (rsvLanes[i] === 0 && q.text) out.push(text(q.x, y + rsvH + 10, q.text, { class: 'small' })); });
  y += rsvH + 14;

  const cmrH = 10;
  out.push(rowLabel(y, cmrH, 'CMRs'));
  p.cmrs.forEach((m, i) => {
    const sp = s.span(m, minW);
    if (sp) out.push(rect(sp.x, y, sp.w, cmrH, { fill: '#8fbf8f', stroke: '#2f6f2f', 'stroke-width': 0.8 }, `CMR ${i} ${rangeText(m)}`));
  });
  y += cmrH + 8;

  const tdH = 28;
  out.push(rowLabel(y, tdH, 'TDMRs'));
  // Where the failure marker ends, so the "no TDMRs" note can start after it.
  let noteX = L + 4;
  if (c.failed && c.failed.end > s.lo && c.failed.start < s.hi) {
    const sp = s.span(c.failed, 3)!;
    out.push(rect(sp.x, y - 2, sp.w, tdH + 4, { fill: '#e15759', 'fill-opacity': 0.18, stroke: '#c00000', 'stroke-width': 2, 'stroke-dasharray': '5 3' },
      `construction failed in TDMR ${rangeText(c.failed)}`));
    const msg = `failed in TDMR [${hex(c.failed.start)}, ${hex(c.failed.end)})`;
    const inside = textWidth(msg, 11) + 10 < sp.w;
    const tx = s.clearOfBreaks(inside ? sp.x + 6 : Math.min(sp.x + sp.w + 6, R - textWidth(msg, 11)), textWidth(msg, 11));
    out.push(text(tx, y + 12, msg, { class: 'fail' }));
    noteX = tx;
  }
  if (c.tdmrs.length === 0) {
    const note = c.result.outcome.initialized ? 'no TDMRs' : 'no TDMRs: construction did not complete';
    out.push(text(s.clearOfBreaks(noteX, textWidth(note, 12)), y + 25, note, { class: 'note' }));
  }
  const tdReq: { x: number; text: string }[] = [];
  for (const t of tdmrs) {
    const sp = s.span(t, minW)!;
    const parts: Html[] = [rect(sp.x, y, sp.w, tdH, { fill: nodeFill(t.nid), 'fill-opacity': 0.3, stroke: nodeDark(t.nid), 'stroke-width': 1.2 },
      `TDMR ${t.index} ${rangeText(t)}, PAMT on node ${t.nid}, ${count(t.reserved.length, 'reserved area')}`)];
    for (const a of t.reserved) {
      const asp = s.span(a, 1.5);
      if (asp) parts.push(rect(asp.x, y + 1, asp.w, tdH - 2, { fill: `url(#${c.id}hatch)`, stroke: '#222222', 'stroke-width': 0.4 }, `TDMR ${t.index} reserved area ${rangeText(a)}`));
    }
    out.push(tag('g', { class: 'tdmr' }, ...parts));
    tdReq.push({ x: sp.x + 3, text: `TDMR ${t.index}` });
  }
  // Names go inside the box when the box is wide enough, otherwise nowhere (the table has them).
  tdmrs.forEach((t, i) => {
    const sp = s.span(t, minW)!;
    const q = tdReq[i];
    if (textWidth(q.text, 10) + 8 < sp.w) out.push(text(q.x, y + tdH - 5, q.text, { class: 'boxlabel' }));
    else if (textWidth(`${t.index}`, 10) + 4 < sp.w) out.push(text(sp.x + 2, y + tdH - 5, `${t.index}`, { class: 'boxlabel' }));
  });
  y += tdH + 6;

  const pH = 12;
  out.push(rowLabel(y, pH, 'PAMTs'));
  const pReq: { x: number; text: string; priority: number }[] = [];
  for (const t of pamts) {
    const sp = s.span(t.pamt, 3)!;
    out.push(rect(sp.x, y, sp.w, pH, { fill: nodeDark(t.pamt.node), stroke: '#000000', 'stroke-width': 0.4 },
      `PAMT of TDMR ${t.index} ${rangeText(t.pamt)} on node ${t.pamt.node} (${t.pamt.parts})`));
    pReq.push({ x: sp.x, text: `PAMT ${t.index}`, priority: t.index });
  }
  const pLanes = placeLabels(pReq, 2, 10, 6, R + 10);
  pReq.forEach((q, i) => { if (pLanes[i] >= 0) out.push(text(q.x, y + pH + 11 + pLanes[i] * 11, q.text, { class: 'small' })); });
  y += pH + (pLanes.some((l) => l === 1) ? 25 : 14);
  if (p.hotplug.some((h) => h.end > s.lo && h.start < s.hi)) {
    out.push(rowLabel(y - 2, 6, 'hotplug'));
    out.push(hotplugMarks(c.result, p, s, y - 2));
    y += 14;
  }
  const rowsBottom = y;

  out.push(axis(s, y, zoom));
  y += 26;
  return { svg: join(out), height: y - y0, rowsTop, rowsBottom };
}

function axis(s: Scale, y: number, zoom: boolean): Html {
  const out: Html[] = [line(L, y, R, y, { stroke: '#333333' })];
  const ticks: number[] = [];
  for (const g of s.segs) {
    const step = niceStepBytes(g.hi - g.lo, Math.max(2, Math.floor((g.x1 - g.x0) / 90)));
    for (let a = Math.ceil(g.lo / step) * step; a <= g.hi; a += step) if (!ticks.includes(a)) ticks.push(a);
    if (!ticks.includes(g.hi)) ticks.push(g.hi);
  }
  ticks.sort((a, b) => a - b);
  const req = ticks.map((a) => ({ x: s.x(a) - textWidth(fmtAddr(a), 10) / 2, text: fmtAddr(a), priority: s.segs.some((g) => g.lo === a || g.hi === a) ? 0 : 1 }));
  const lanes = placeLabels(req, 1, 10, 8, W);
  ticks.forEach((a, i) => {
    const x = s.x(a);
    out.push(line(x, y, x, y + 4, { stroke: '#333333' }));
    if (lanes[i] === 0) out.push(text(x, y + 15, fmtAddr(a), { 'text-anchor': 'middle', class: 'tick' }));
  });
  if (zoom) out.push(text(R, y + 25, 'physical address (broken axis: the first MiB is widened)', { 'text-anchor': 'end', class: 'small' }));
  else out.push(text(R, y + 25, 'physical address', { 'text-anchor': 'end', class: 'small' }));
  return join(out);
}

/** The white gap and slanted marks where the zoomed panel's axis is broken. */
function breakMarks(s: Scale, top: number, bottom: number): Html {
  const out: Html[] = [];
  for (let i = 1; i < s.segs.length; i++) {
    const a = s.segs[i - 1].x1;
    const b = s.segs[i].x0;
    // Down to the axis line (which it cuts) and no further: the tick labels below stay whole.
    out.push(rect(a, top - 2, b - a, bottom - top + 3.5, { fill: '#ffffff', class: 'axis-break' }));
    for (const x of [a, b]) out.push(line(x - 3, bottom + 6, x + 3, bottom - 6, { stroke: '#333333', 'stroke-width': 1.2 }));
  }
  return join(out);
}

export interface MemoryMapOptions {
  /** Prefix for pattern ids, distinct per picture when several share a page. */
  idPrefix?: string;
}

export function memoryMap(result: SimulationResult, platform: Platform, opts: MemoryMapOptions = {}): Html {
  const id = `${(opts.idPrefix ?? 'mm').replace(/[^a-zA-Z0-9-]/g, '')}-`;
  const tdmrs = mapTdmrs(result, platform);
  const c: Ctx = { result, platform, tdmrs, holes: memoryHoles(platform.memory), failed: failedTdmr(result), id };
  const ends = [
    ...platform.memory.map((m) => m.end), ...platform.cmrs.map((m) => m.end),
    ...tdmrs.map((t) => t.end), ...tdmrs.map((t) => t.pamt.end), ...platform.hotplug.map((h) => h.end), c.failed?.end ?? 0,
  ].filter((x) => Number.isFinite(x));
  const top = Math.max(GiB, Math.ceil(Math.max(0, ...ends) / GiB) * GiB);
  const full = new Scale([{ lo: 0, hi: top, x0: L, x1: R }]);
  const lowTop = Math.min(top, 4 * GiB);
  // The first MiB gets a fifth of the width: the legacy holes are a few hundred KiB.
  const split = L + (R - L) * 0.2;
  const low = new Scale([{ lo: 0, hi: MiB, x0: L, x1: split }, { lo: MiB, hi: lowTop, x0: split + 12, x1: R }]);

  const a = panel(c, 4, full, `Whole machine, 0 – ${fmtAddr(top)}`, false);
  const gapTop = 4 + a.height;
  const zoomGap = 34;
  const b = panel(c, gapTop + zoomGap, low, `Low ${fmtAddr(lowTop)} (zoomed)`, true);
  const height = gapTop + zoomGap + b.height + 4;

  // Show which slice of the whole-machine panel the zoomed panel enlarges.
  const zx0 = full.x(0);
  const zx1 = Math.max(full.x(lowTop), zx0 + 2);
  const zoomMark = join([
    rect(zx0, a.rowsTop - 4, zx1 - zx0, a.rowsBottom - a.rowsTop + 4, { fill: '#000000', 'fill-opacity': 0.06, stroke: '#555555', 'stroke-dasharray': '3 2' }),
    tag('path', { d: `M${zx0},${a.rowsBottom + 22} L${L},${gapTop + zoomGap + 14} M${zx1},${a.rowsBottom + 22} L${R},${gapTop + zoomGap + 14}`, stroke: '#888888', 'stroke-dasharray': '3 3', fill: 'none' }),
  ]);

  return svg(W, height, `Physical memory map of ${platform.name}`, 'chart memmap',
    hatchDefs(id), a.svg, zoomMark, b.svg, breakMarks(low, b.rowsTop, b.rowsBottom));
}

/** Hot-added ranges: green if the module took them, red if refused. */
function hotplugMarks(result: SimulationResult, platform: Platform, s: Scale, y: number): Html {
  const out: Html[] = [];
  platform.hotplug.forEach((h, i) => {
    const sp = s.span(h, 3);
    if (!sp) return;
    const ok = result.hotplug[i]?.accepted ?? false;
    const label = `hotplug node ${h.node}: ${ok ? 'accepted' : 'refused'}`;
    out.push(rect(sp.x, y, sp.w, 6, { fill: ok ? '#2f8f2f' : '#c00000' }, `hotplug ${h.kind} node ${h.node} ${rangeText(h)}: ${ok ? 'accepted' : 'refused'}`));
    const lw = textWidth(label, 10);
    const right = sp.x + sp.w + 4 + lw <= R;
    out.push(text(right ? sp.x + sp.w + 4 : sp.x - 4, y + 6, label, { class: ok ? 'ok' : 'fail', 'text-anchor': right ? 'start' : 'end' }));
  });
  return join(out);
}

/** The colour key, as HTML so it wraps with the page. */
export function memoryMapLegend(nodes: number[]): Html {
  const sw = (style: string, label: string): Html => tag('span', { class: 'key' }, tag('span', { class: 'swatch', style }), html`<span>${label}</span>`);
  return tag('div', { class: 'legend' },
    ...nodes.map((n) => sw(`background:${nodeFill(n)}`, `memory, node ${n}`)),
    ...nodes.map((n) => sw(`background:${nodeDark(n)}`, `PAMT on node ${n}`)),
    sw('background:repeating-linear-gradient(-45deg,#f4f4f4 0 3px,#c9c9c9 3px 4px);border-color:#b03030', 'hole (no memory)'),
    sw('background:#5a5a5a', 'reserved for the kernel allocator'),
    sw('background:#8fbf8f;border-color:#2f6f2f', 'CMR'),
    sw('background:rgba(78,121,167,0.3);border-color:#2b4c6f', 'TDMR'),
    sw('background:repeating-linear-gradient(45deg,#222 0 1.5px,#fff 1.5px 4px)', 'TDMR reserved area'));
}
