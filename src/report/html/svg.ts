// Small helpers for hand-written SVG. Attribute names are fixed by the code and checked here,
// so no input can ever become an attribute name (in particular an on* event handler); values
// and text go through esc().

import { esc, raw, join, type Html } from './escape.js';

export type Attrs = Record<string, string | number | null | undefined | false>;

const ATTR_NAME = /^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)?$/i;

function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === null || v === undefined || v === false) continue;
    if (!ATTR_NAME.test(k) || /^on/i.test(k)) throw new Error(`svg: refusing attribute name ${k}`);
    out += ` ${k}="${esc(typeof v === 'number' ? num(v) : v)}"`;
  }
  return out;
}

/** Coordinates to two decimals: shorter documents, and no NaN/Infinity reaching the DOM. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const r = Math.round(x * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

export function tag(name: string, a: Attrs, ...children: (Html | null | undefined | false)[]): Html {
  if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) throw new Error(`svg: bad element name ${name}`);
  const inner = join(children).__html;
  // Always an explicit end tag: "<span/>" is not self-closing in HTML, only inside SVG.
  return raw(`<${name}${attrs(a)}>${inner}</${name}>`);
}

/** Hover text: browsers show <title> as a tooltip, screen readers read it. */
export const title = (s: string): Html => raw(`<title>${esc(s)}</title>`);

export function text(x: number, y: number, s: string, a: Attrs = {}): Html {
  return raw(`<text${attrs({ x, y, ...a })}>${esc(s)}</text>`);
}

export function rect(x: number, y: number, w: number, h: number, a: Attrs = {}, tip?: string): Html {
  return tag('rect', { x, y, width: Math.max(0, w), height: Math.max(0, h), ...a }, tip ? title(tip) : null);
}

export function line(x1: number, y1: number, x2: number, y2: number, a: Attrs = {}): Html {
  return tag('line', { x1, y1, x2, y2, ...a });
}

export function svg(width: number, height: number, label: string, cls: string, ...children: (Html | null | undefined | false)[]): Html {
  return tag('svg', {
    xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${num(width)} ${num(height)}`, width: '100%',
    role: 'img', 'aria-label': label, class: cls, preserveAspectRatio: 'xMinYMin meet',
  }, title(label), ...children);
}

/**
 * Rough advance width of a label in the report's sans-serif at `size` px. Only used to decide
 * whether a label fits or would collide; erring wide keeps labels apart.
 */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[il.,:;|!' ]/.test(ch) ? 0.32 : /[A-Z0-9mwMW%#]/.test(ch) ? 0.68 : 0.56;
  return w * size;
}

export interface LabelRequest {
  /** Preferred left edge of the text. */
  x: number;
  text: string;
  /** Lower values win when two labels collide. */
  priority?: number;
}

/**
 * Greedy lane assignment: each label goes into the first lane where it does not overlap the
 * previous label there; labels that fit nowhere are dropped (their data is in the tables and
 * the hover titles). Returns lane indices, -1 for dropped.
 */
export function placeLabels(items: LabelRequest[], lanes: number, size: number, gap = 4, maxX = Infinity): number[] {
  const order = items.map((_, i) => i).sort((a, b) => (items[a].priority ?? 0) - (items[b].priority ?? 0) || items[a].x - items[b].x);
  const taken: [number, number][][] = Array.from({ length: lanes }, () => []);
  const lane = new Array<number>(items.length).fill(-1);
  for (const i of order) {
    const lo = items[i].x;
    const hi = lo + textWidth(items[i].text, size);
    if (hi > maxX) continue;
    for (let l = 0; l < lanes; l++) {
      if (taken[l].every(([a, b]) => hi + gap <= a || lo >= b + gap)) {
        taken[l].push([lo, hi]);
        lane[i] = l;
        break;
      }
    }
  }
  return lane;
}

/** Node colours: Tableau 10, distinguishable for most colour-vision deficiencies, then cycled. */
const NODE_FILL = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const NODE_DARK = ['#2b4c6f', '#a85a10', '#336b2c', '#9e2a2c', '#3f7d78', '#9c7f12', '#6f4665', '#b65d69', '#5e4535', '#6f6763'];

export function nodeFill(node: number): string {
  return node < 0 ? '#999999' : NODE_FILL[node % NODE_FILL.length];
}

export function nodeDark(node: number): string {
  return node < 0 ? '#555555' : NODE_DARK[node % NODE_DARK.length];
}

/** "nice" step for an axis: 1, 2 or 5 times a power of ten, giving about `count` ticks. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw0 = span / Math.max(1, count);
  const p = Math.pow(10, Math.floor(Math.log10(raw0)));
  const m = raw0 / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** The same for byte axes: powers of two, so ticks fall on GiB/TiB boundaries. */
export function niceStepBytes(span: number, count: number): number {
  if (!(span > 0)) return 1;
  return Math.pow(2, Math.ceil(Math.log2(span / Math.max(1, count))));
}

/** Patterns shared by the pictures; ids are prefixed so two maps on one page stay distinct. */
export function hatchDefs(prefix: string): Html {
  return tag('defs', {},
    tag('pattern', { id: `${prefix}hatch`, patternUnits: 'userSpaceOnUse', width: 5, height: 5, patternTransform: 'rotate(45)' },
      rect(0, 0, 5, 5, { fill: '#ffffff', 'fill-opacity': 0.55 }),
      line(0, 0, 0, 5, { stroke: '#222222', 'stroke-width': 1.6 })),
    tag('pattern', { id: `${prefix}hole`, patternUnits: 'userSpaceOnUse', width: 4, height: 4, patternTransform: 'rotate(-45)' },
      rect(0, 0, 4, 4, { fill: '#f4f4f4' }),
      line(0, 0, 0, 4, { stroke: '#c9c9c9', 'stroke-width': 1 })));
}
