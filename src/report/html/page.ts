// The self-contained document: one file, inline CSS, no script, nothing fetched. The CSP meta
// makes that a property the browser enforces rather than a promise: even if some input slipped
// past escaping, it could not load or run anything.

import { html, raw, type Html } from './escape.js';

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { color-scheme: light; --fg: #1d1f23; --muted: #5d6470; --line: #d9dce1; --ok: #2f7f2f; --fail: #b00020; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #ffffff; }
header { padding: 18px 28px 12px; border-bottom: 1px solid var(--line); background: #f6f7f9; }
header h1 { margin: 0 0 4px; font-size: 20px; overflow-wrap: anywhere; }
header p { margin: 0; color: var(--muted); }
main { padding: 8px 28px 40px; max-width: 1320px; }
nav { margin: 10px 0 0; font-size: 13px; }
nav a { color: #2b4c6f; margin-right: 14px; }
section { margin: 26px 0; }
section > h2 { font-size: 16px; margin: 0 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
section > p.intro { margin: 0 0 8px; color: var(--muted); max-width: 80em; }
.banner { padding: 10px 14px; border-radius: 6px; margin: 8px 0 12px; overflow-wrap: anywhere; }
.banner.ok { background: #e8f4e8; border: 1px solid #9ccf9c; }
.banner.fail { background: #fbe9ec; border: 1px solid #e3a1ad; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table.data { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
table.data th { color: var(--muted); font-weight: 600; }
table.data td { overflow-wrap: anywhere; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
table.data .tok { white-space: nowrap; overflow-wrap: normal; }
.scroll { overflow-x: auto; max-width: 100%; }
table.rows td { overflow-wrap: normal; }
table.rows td:last-child { min-width: 24em; }
details summary { cursor: pointer; }
ul.areas { margin: 2px 0; padding-left: 16px; font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre.log { background: #f6f7f9; border: 1px solid var(--line); padding: 8px 10px; font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
code { white-space: nowrap; font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.label { white-space: nowrap; display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; border: 1px solid transparent; }
.lbl-measured { background: #e3f1e3; border-color: #8cc48c; }
.lbl-derived { background: #e4edf7; border-color: #93b3d6; }
.lbl-source { background: #eeeeee; border-color: #bbbbbb; }
.lbl-assumed { background: #fff1d6; border-color: #e0b45a; }
.lbl-set, .lbl-override { background: #f3e4f1; border-color: #c58cbc; }
.lbl-other { background: #ffffff; border-color: #bbbbbb; }
.ok { color: var(--ok); }
.fail { color: var(--fail); font-weight: 600; }
.note { color: var(--muted); font-style: italic; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; margin: 6px 0 2px; }
.legend .key { display: inline-flex; align-items: center; gap: 5px; }
.legend .swatch { display: inline-block; width: 16px; height: 11px; border: 1px solid rgba(0,0,0,0.25); }
svg.chart { display: block; max-width: 1100px; height: auto; margin: 4px 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg.chart text { font-size: 11px; fill: #1d1f23; }
svg.chart text.heading { font-size: 12px; font-weight: 600; }
svg.chart text.rowlabel, svg.chart text.rowname { font-size: 11px; fill: #3a3f47; }
svg.chart text.small, svg.chart text.tick { font-size: 10px; fill: #4a505a; }
svg.chart text.inside { font-size: 10px; fill: #ffffff; font-weight: 600; }
svg.chart text.boxlabel { font-size: 10px; fill: #111111; font-weight: 600; }
svg.chart text.dur { font-size: 10px; fill: #1d1f23; }
svg.chart text.mark { font-size: 11px; fill: #9e2a2c; font-weight: 600; }
svg.chart text.fail { fill: #b00020; font-weight: 700; }
svg.chart text.ok { fill: #2f7f2f; font-weight: 600; }
svg.chart text.note { fill: #5d6470; font-style: italic; font-size: 12px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
.pair > div { min-width: 0; }
.pair h3 { font-size: 14px; margin: 0 0 6px; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 12px; padding: 0 28px 24px; }
@media print { nav { display: none; } section { break-inside: avoid; } }
`;

export interface Section {
  id: string;
  heading: string;
  intro?: string;
  body: Html;
}

export function section(s: Section): Html {
  return html`<section id="${s.id}"><h2>${s.heading}</h2>${s.intro ? html`<p class="intro">${s.intro}</p>` : null}${s.body}</section>`;
}

/** Two reports' versions of one thing next to each other (compare, and later explain). */
export function sideBySide(leftHeading: string, left: Html, rightHeading: string, right: Html): Html {
  return html`<div class="pair"><div><h3>${leftHeading}</h3>${left}</div><div><h3>${rightHeading}</h3>${right}</div></div>`;
}

export interface PageOptions {
  title: string;
  subtitle: string;
  sections: Section[];
  footer?: string;
}

export function page(o: PageOptions): string {
  const nav = html`<nav>${o.sections.map((s) => html`<a href="#${s.id}">${s.heading}</a>`)}</nav>`;
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header><h1>${o.title}</h1><p>${o.subtitle}</p>${nav}</header>
<main>
${o.sections.map(section)}
</main>
${o.footer ? html`<footer>${o.footer}</footer>` : null}
</body>
</html>
`;
  return doc.__html;
}
