// The HTML report as a string: well-formed, self-contained, and every input-derived string
// escaped. The browser test (report.browser.test.ts) checks what a real browser makes of it.

import { describe, it, expect, beforeAll } from 'vitest';
import { simulateHtml, compareHtml } from '../src/report/html/simulateHtml.js';
import { esc, html, raw } from '../src/report/html/escape.js';
import { tag, text, num, placeLabels, textWidth } from '../src/report/html/svg.js';
import { fmtAddr, memoryHoles } from '../src/report/html/memoryMap.js';
import { CSP } from '../src/report/html/page.js';
import { presetCase, hostileCase, HOSTILE_NAME, type Case } from './helpers/htmlReports.js';

const VOID = new Set(['meta', 'br', 'link', 'input', 'img', 'hr', 'wbr', 'col', 'area', 'base', 'source']);
/** Elements whose content is raw text to the HTML parser. */
const RAWTEXT = new Set(['style', 'script', 'textarea']);

interface Tag {
  name: string;
  close: boolean;
  selfClosing: boolean;
  attrs: [string, string | null][];
}

/**
 * A small tokenizer, enough to see every start tag with its attributes the way a browser
 * would split them (quoted values may contain anything but their quote).
 */
function tags(doc: string): Tag[] {
  const out: Tag[] = [];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(doc))) {
    const gap = doc.slice(i, m.index);
    if (gap.includes('<')) throw new Error(`stray "<" near ${JSON.stringify(doc.slice(i + gap.indexOf('<'), i + gap.indexOf('<') + 60))}`);
    i = re.lastIndex;
    if (!m[2]) continue;
    const attrs: [string, string | null][] = [];
    const ar = /\s+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;
    let a: RegExpExecArray | null;
    while ((a = ar.exec(m[3]))) attrs.push([a[1].toLowerCase(), a[2] === undefined ? null : a[2].replace(/^["']|["']$/g, '')]);
    const t = { name: m[2].toLowerCase(), close: m[1] === '/', selfClosing: m[4] === '/', attrs };
    out.push(t);
    if (!t.close && RAWTEXT.has(t.name)) {
      const end = doc.indexOf(`</${t.name}>`, i);
      if (end < 0) throw new Error(`unterminated <${t.name}>`);
      re.lastIndex = i = end;
    }
  }
  if (doc.slice(i).includes('<')) throw new Error('stray "<" at the end');
  return out;
}

function checkBalanced(doc: string): void {
  const stack: string[] = [];
  let inSvg = 0;
  for (const t of tags(doc)) {
    if (t.close) {
      const top = stack.pop();
      if (top !== t.name) throw new Error(`</${t.name}> closes <${top}>`);
      if (t.name === 'svg') inSvg--;
    } else if (t.selfClosing) {
      // Only foreign (SVG) content may self-close; in HTML "<span/>" opens a span.
      if (!inSvg) throw new Error(`<${t.name}/> outside SVG`);
    } else if (!VOID.has(t.name)) {
      stack.push(t.name);
      if (t.name === 'svg') inSvg++;
    }
  }
  expect(stack).toEqual([]);
}

/** The structural safety properties every generated document must have. */
function checkSafe(doc: string): void {
  checkBalanced(doc);
  const all = tags(doc).filter((t) => !t.close);
  expect(all.filter((t) => t.name === 'script' || t.name === 'img' || t.name === 'iframe' || t.name === 'object' || t.name === 'embed' || t.name === 'link')).toEqual([]);
  for (const t of all) {
    for (const [name, value] of t.attrs) {
      expect(name, `<${t.name} ${name}=...>`).not.toMatch(/^on/);
      expect(name).not.toMatch(/^(src|srcset|action|formaction|background|poster)$/);
      if (name === 'href') expect(value).toMatch(/^#[a-z0-9-]+$/);
      if (name === 'style') expect(value ?? '').not.toMatch(/url\(|@import|expression/i);
    }
  }
  // Nothing fetched: the only URL in the document is the SVG namespace name, which is never loaded.
  const urls = doc.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
  expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
  expect(doc).not.toMatch(/url\((?!#)/);
  expect(doc).not.toMatch(/@import|@font-face/);
  expect(doc).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP.replace(/'/g, '&#39;')}">`);
  expect(doc.startsWith('<!DOCTYPE html>')).toBe(true);
}

let def: Case;
let fail: Case;
let hostile: Case & { strings: number };

beforeAll(async () => {
  def = await presetCase('default');
  fail = await presetCase('2s-emr-17holes');
  hostile = await hostileCase();
});

describe('escaping helpers', () => {
  it('escapes every character that can end text or an attribute value', () => {
    expect(esc(`<a href="x" title='y'>&\``)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;');
    expect(esc('a\u0000b\u001fc\ud800d')).toBe('a\ufffdb\ufffdc\ufffdd');
    expect(esc('tab\tnl\n')).toBe('tab\tnl\n');
    expect(esc(12)).toBe('12');
  });

  it('the html tag escapes interpolations but not nested fragments', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['<', raw('<br>')]}</p>`.__html).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;<br></p>');
  });

  it('svg helpers refuse event-handler and malformed attribute names, and escape text', () => {
    expect(() => tag('rect', { onclick: 'x' })).toThrow(/refusing/);
    expect(() => tag('rect', { OnLoad: 'x' })).toThrow(/refusing/);
    expect(() => tag('rect', { 'x" y': 1 })).toThrow(/refusing/);
    expect(() => tag('a b', {})).toThrow(/element/);
    expect(text(1, 2, '</text><script>').__html).toBe('<text x="1" y="2">&lt;/text&gt;&lt;script&gt;</text>');
    expect(num(NaN)).toBe('0');
    expect(num(Infinity)).toBe('0');
    expect(num(-0.001)).toBe('0');
    expect(num(1.23456)).toBe('1.23');
  });

  it('placed labels never overlap within a lane', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ x: (i * 37) % 300, text: `label ${i}` }));
    const lanes = placeLabels(items, 2, 10);
    for (let l = 0; l < 2; l++) {
      const spans = items.filter((_, i) => lanes[i] === l).map((it) => [it.x, it.x + textWidth(it.text, 10)]).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    }
    expect(lanes.some((l) => l === -1)).toBe(true);
  });

  it('address labels and holes', () => {
    expect(fmtAddr(0)).toBe('0');
    expect(fmtAddr(512 * 1024)).toBe('512 KiB');
    expect(fmtAddr(3 * 2 ** 29)).toBe('1.5 GiB');
    expect(fmtAddr(2 ** 40)).toBe('1 TiB');
    expect(memoryHoles([{ start: 0x1000, end: 0x9f000 }, { start: 0x100000, end: 0x200000 }, { start: 0x200000, end: 0x300000 }]))
      .toEqual([{ start: 0, end: 0x1000 }, { start: 0x9f000, end: 0x100000 }]);
  });
});

describe('the checks themselves', () => {
  const wrap = (body: string): string => `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${esc(CSP)}"></head><body>${body}</body></html>`;
  it('catch handlers, scripts, resources and bad nesting', () => {
    expect(() => checkSafe(wrap('<p>ok</p>'))).not.toThrow();
    expect(() => checkSafe(wrap('<svg><rect onclick="x"/></svg>'))).toThrow();
    expect(() => checkSafe(wrap('<svg aria-label="a" ONLOAD=x></svg>'))).toThrow();
    expect(() => checkSafe(wrap('<script>1</script>'))).toThrow();
    expect(() => checkSafe(wrap('<span/>'))).toThrow();
    expect(() => checkSafe(wrap('<b><i></b></i>'))).toThrow();
    expect(() => checkSafe(wrap('<p style="background:url(https://x.example/a.png)">x</p>'))).toThrow();
    expect(() => checkSafe(wrap('<a href="https://x.example/">x</a>'))).toThrow();
    expect(() => checkSafe(wrap('<p>a < b</p>'))).toThrow();
    // An escaped handler inside an attribute value is text, not an attribute.
    expect(() => checkSafe(wrap(`<svg aria-label="${esc(HOSTILE_NAME)}"></svg>`))).not.toThrow();
  });
});

describe('simulateHtml', () => {
  it('a successful run: well-formed, self-contained, all four pictures', () => {
    const doc = simulateHtml(def.report, def.platform);
    checkSafe(doc);
    for (const cls of ['memmap', 'timeline', 'pamt', 'readiness']) expect(doc).toContain(`class="chart ${cls}"`);
    expect(doc).toContain('Initialized');
    // Every TDMR is drawn, and every reserved area of every TDMR.
    for (let i = 0; i < def.report.tdmrs.length; i++) expect(doc).toContain(`<title>TDMR ${i} [`);
    const areas = def.report.tdmrs.reduce((a, t) => a + t.reserved.length, 0);
    expect((doc.match(/reserved area \[/g) ?? []).length).toBeGreaterThanOrEqual(areas);
    // The legacy hole under 1 MiB is drawn (it is 388 KiB of a 514 GiB machine).
    expect(doc).toContain('<title>hole [0x9f000, 0x100000)');
    for (const s of def.report.timeline) expect(doc).toContain(esc(s.step));
    for (const l of def.report.log) expect(doc).toContain(esc(l));
    for (const p of def.report.parameters) expect(doc).toContain(`lbl-${p.label}`);
  });

  it('a failed run: the failure is shown and the empty pictures say why', () => {
    const doc = simulateHtml(fail.report, fail.platform);
    checkSafe(doc);
    expect(doc).toContain('banner fail');
    expect(doc).toContain(esc(fail.report.outcome.error!.message));
    expect(doc).toContain('failed in TDMR [0x0, 0x80000000)');
    expect(doc).toContain('No TDX memory became usable');
    expect(doc).toContain('No PAMT is held');
  });

  it('is deterministic', () => {
    expect(simulateHtml(def.report, def.platform)).toBe(simulateHtml(def.report, def.platform));
  });

  it('escapes every string of a hostile report and platform', () => {
    expect(hostile.strings).toBeGreaterThan(50);
    const doc = simulateHtml(hostile.report, hostile.platform);
    checkSafe(doc);
    expect(doc).not.toMatch(/<script|<img|<svg onload/i);
    expect(doc).toContain(esc(HOSTILE_NAME));
    // The name is shown in the title, the heading and the SVG labels.
    expect(doc.split(esc(HOSTILE_NAME)).length - 1).toBeGreaterThanOrEqual(4);
    // Payloads from many different fields made it to the page, escaped.
    const markers = new Set(doc.match(/\[m\d+\]/g) ?? []);
    expect(markers.size).toBeGreaterThan(30);
  });

  it('more presets render safely', async () => {
    for (const name of ['1s-emr-64g', '2s-spr-cxl', '2s-emr-17holes-cmr', '8s-gnr-64t']) {
      const c = await presetCase(name);
      checkSafe(simulateHtml(c.report, c.platform));
    }
  });
});

describe('compareHtml', () => {
  it('puts two runs side by side, well-formed and escaped', () => {
    const doc = compareHtml(def.report, hostile.report, def.platform, hostile.platform);
    checkSafe(doc);
    expect(doc).not.toMatch(/<script|<img/i);
    expect(doc).toContain('class="pair"');
    expect((doc.match(/class="chart memmap"/g) ?? []).length).toBe(2);
    // Pattern ids stay distinct when two maps share the page.
    const ids = [...doc.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('compares a success with a failure', () => {
    const doc = compareHtml(def.report, fail.report, def.platform, fail.platform);
    checkSafe(doc);
    expect(doc).toContain('differs');
  });
});
