// The HTML report in a real browser (Debian's chromium via playwright-core): it renders, the
// pictures have size and content, nothing errs, nothing is fetched, and a hostile platform
// name shows as text and runs nothing. Every report (simulate, explain, compare, sweep) is laid
// out at 800 and 1400 px and measured (test/helpers/layout.ts): no text outside its picture or
// box, no overlapping labels, no wrapped number or split address; screenshots of each go to
// $TDXMODEL_SCREENSHOTS (a temporary directory by default) for a person to look at. CI installs chromium and sets TDXMODEL_REQUIRE_BROWSER=1
// (.ci/run), so there a missing browser fails; elsewhere the suite skips with one line saying
// why (test/helpers/browser.ts).

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { simulateHtml, compareHtml } from '../src/report/html/simulateHtml.js';
import { presetCase, hostileCase, HOSTILE_NAME, type Case } from './helpers/htmlReports.js';
import { browserOrSkip } from './helpers/browser.js';
import { LAYOUT_PROBLEMS, type LayoutProblem } from './helpers/layout.js';
import { explainHtml } from '../src/report/html/explainHtml.js';
import { sweepHtml } from '../src/report/html/sweepHtml.js';
import { parseSource } from '../src/platform/importers/merge.js';
import { explainSources } from '../src/model/explain.js';
import { parseSpecText, parseSweepSpec } from '../src/model/sweep/spec.js';
import { sweepText } from '../src/workers/sweepRun.js';

const CHROMIUM = browserOrSkip('report.browser.test');

/** Decode an 8-bit RGB/RGBA PNG (what Chromium's screenshots are) to count its colours. */
function pngColours(png: Buffer): { width: number; height: number; distinct: number; nonWhite: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.subarray(off + 4, off + 8).toString('latin1');
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('pngColours: only 8-bit non-interlaced PNGs');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (!channels) throw new Error(`pngColours: colour type ${data[9]}`);
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const cur = Buffer.alloc(stride);
  const prev = Buffer.alloc(stride);
  const colours = new Set<number>();
  let nonWhite = 0;
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let p: number;
      if (f === 0) p = 0;
      else if (f === 1) p = a;
      else if (f === 2) p = b;
      else if (f === 3) p = (a + b) >> 1;
      else {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = (line[i] + p) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = x * channels;
      const rgb = (cur[o] << 16) | (cur[o + 1] << 8) | cur[o + 2];
      colours.add(rgb);
      if (rgb !== 0xffffff) nonWhite++;
    }
    cur.copy(prev);
  }
  return { width, height, distinct: colours.size, nonWhite };
}

let browser: Browser;
let context: BrowserContext;
let workDir: string;
const cases: Record<string, Case> = {};

beforeAll(async () => {
  if (!CHROMIUM) return;
  // launch() gives the browser a fresh profile of its own; this directory holds the file:// test page.
  workDir = mkdtempSync(join(tmpdir(), 'tdxmodel-report-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }).catch((e: Error) => {
    throw new Error(`report.browser.test: could not launch ${CHROMIUM}: ${e.message}`);
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
  cases.default = await presetCase('default');
  cases.failed = await presetCase('2s-emr-17holes');
  cases.hostile = await hostileCase();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface Loaded {
  page: Page;
  problems: string[];
}

/** Load a document and record anything that goes wrong: errors, dialogs, any request at all. */
async function load(doc: string): Promise<Loaded> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => { problems.push(`dialog: ${d.type()} ${d.message()}`); await d.dismiss(); });
  page.on('request', (r) => { if (!/^(about|data):/.test(r.url())) problems.push(`request: ${r.url()}`); });
  await page.setContent(doc, { waitUntil: 'load' });
  return { page, problems };
}

async function checkCharts(page: Page, expected: string[]): Promise<void> {
  for (const cls of expected) {
    const chart = page.locator(`svg.chart.${cls}`).first();
    const box = await chart.boundingBox();
    expect(box, cls).not.toBeNull();
    expect(box!.width, cls).toBeGreaterThan(600);
    expect(box!.height, cls).toBeGreaterThan(20);
    const shapes = await chart.evaluate((el) => el.querySelectorAll('rect, path, line, circle, text').length);
    expect(shapes, cls).toBeGreaterThan(cls === 'pamt' || cls === 'readiness' ? 3 : 20);
    // Rendered, not just present: the picture has many colours and is mostly not blank.
    const shot = pngColours(await chart.screenshot());
    expect(shot.distinct, cls).toBeGreaterThan(8);
    expect(shot.nonWhite / (shot.width * shot.height), cls).toBeGreaterThan(0.02);
  }
}

describe.skipIf(!CHROMIUM)('the HTML report in chromium', () => {
  it('a successful run renders all pictures without errors', async () => {
    const { page, problems } = await load(simulateHtml(cases.default.report, cases.default.platform));
    await checkCharts(page, ['memmap', 'timeline', 'pamt', 'readiness']);
    // Every timeline bar is at least a few pixels wide, however short the step.
    const widths = await page.locator('svg.timeline rect[height="12"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(widths.length).toBeGreaterThanOrEqual(cases.default.report.timeline.length);
    expect(Math.min(...widths)).toBeGreaterThan(1.5);
    const whole = pngColours(await page.screenshot({ fullPage: true }));
    expect(whole.height).toBeGreaterThan(2000);
    expect(whole.distinct).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a failed run renders and says so', async () => {
    const { page, problems } = await load(simulateHtml(cases.failed.report, cases.failed.platform));
    await checkCharts(page, ['memmap', 'timeline']);
    expect(await page.locator('.banner.fail').textContent()).toContain(cases.failed.report.outcome.error!.message);
    expect(await page.locator('svg.memmap').textContent()).toContain('failed in TDMR [0x0, 0x80000000)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a hostile platform name is shown literally and runs nothing', async () => {
    const { page, problems } = await load(simulateHtml(cases.hostile.report, cases.hostile.platform));
    expect(await page.locator('h1').textContent()).toBe(`tdxmodel: ${HOSTILE_NAME}`);
    expect(await page.title()).toBe(`tdxmodel: ${HOSTILE_NAME}`);
    expect(await page.locator('body').textContent()).toContain(HOSTILE_NAME);
    expect(await page.locator('svg.memmap > title').textContent()).toContain(HOSTILE_NAME);
    const found = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      imgX: document.querySelectorAll('img[src="x"]').length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => /^on/i.test(n)).length,
      svgs: document.querySelectorAll('svg').length,
    }));
    expect(found).toEqual({ scripts: 0, imgs: 0, imgX: 0, handlers: 0, svgs: 4 });
    await checkCharts(page, ['memmap', 'timeline', 'pamt', 'readiness']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the comparison page renders both runs', async () => {
    const { page, problems } = await load(compareHtml(cases.default.report, cases.failed.report, cases.default.platform, cases.failed.platform));
    expect(await page.locator('svg.chart.memmap').count()).toBe(2);
    expect(await page.locator('svg.chart.timeline').count()).toBe(2);
    await checkCharts(page, ['memmap', 'timeline', 'readiness']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('loads from a file:// URL under the page CSP', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = join(workDir, 'report.html');
    writeFileSync(file, simulateHtml(cases.default.report, cases.default.platform));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`file://${file}`);
    // The CSP took effect: an inline script added now is refused.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.append(s);
      return (window as unknown as { __ran?: boolean }).__ran === true;
    });
    expect(ran).toBe(false);
    expect(await page.locator('svg.chart').count()).toBe(4);
    expect(problems.filter((p) => !/Content Security Policy/.test(p))).toEqual([]);
    await page.close();
  });
});

/** Every kind of report, as a user gets it. */
async function allReports(): Promise<Record<string, string>> {
  const log = 'test/data/real-logs/case-15.txt';
  const explain = await explainSources([parseSource({ file: log, text: readFileSync(new URL(`../${log}`, import.meta.url), 'utf8') })]);
  const { simulatePlatform } = await import('../src/workers/simulateRun.js');
  const parallel = await simulatePlatform(cases.default.platform, { engine: 'ts', policy: 'parallel-tdmr' });
  const big = await presetCase('2s-gnr-1536g');
  const spec = { base: 'preset:default', grid: { sockets: [1, 2, 4], memoryPerSocket: ['128G', '512G', '2T'], snc: [1, 2], policy: ['mainline', 'parallel-tdmr'], 'module.maxTdmrs': [4, 64] } };
  const plan = parseSweepSpec(parseSpecText(JSON.stringify(spec), 'capacity.json'), 'capacity.json', { readFile: () => '' });
  const rows = (await sweepText(plan, { format: 'jsonl', workers: 1 })).trim().split('\n').map((l) => JSON.parse(l));
  return {
    'simulate-default': simulateHtml(cases.default.report, cases.default.platform),
    'simulate-failed': simulateHtml(cases.failed.report, cases.failed.platform),
    'simulate-gnr-snc3': simulateHtml(big.report, big.platform),
    explain: explainHtml(explain),
    'compare-platforms': compareHtml(cases.default.report, cases.failed.report, cases.default.platform, cases.failed.platform),
    'compare-policies': compareHtml(cases.default.report, parallel, cases.default.platform, cases.default.platform, { by: 'policy', a: 'mainline', b: 'parallel-tdmr' }),
    sweep: sweepHtml(plan, rows, 'time'),
  };
}

describe.skipIf(!CHROMIUM)('every report at 800 and 1400 px: measured, nothing overflows or collides', () => {
  it('the layout checker finds planted problems (it can fail)', async () => {
    const planted = `<!DOCTYPE html><html><body style="margin:0">
      <svg viewBox="0 0 100 40" width="400"><text x="10" y="20">first label</text><text x="14" y="21">second label</text><text x="90" y="30">cut off at the edge</text></svg>
      <svg viewBox="0 0 200 40" width="400"><text x="5" y="20">crosses the gap</text><rect class="axis-break" x="30" y="0" width="6" height="40" fill="#fff"/></svg>
      <table><tr><td class="num" style="width:20px;max-width:20px;overflow-wrap:anywhere">1234567890123</td></tr></table>
      <p style="width:60px;overflow-wrap:anywhere">0x4080000000abcdef</p>
      <div style="width:50px;white-space:nowrap">a long unbreakable line of text</div></body></html>`;
    const { page } = await load(planted);
    const kinds = new Set(((await page.evaluate(LAYOUT_PROBLEMS)) as LayoutProblem[]).map((p) => p.kind));
    expect([...kinds].sort()).toEqual(['html-overflow', 'number-wraps', 'svg-text-cut', 'svg-text-outside', 'svg-text-overlap', 'token-split']);
    await page.close();
  });

  it('simulate, explain, compare and sweep reports', async () => {
    const shots = process.env.TDXMODEL_SCREENSHOTS ?? join(workDir, 'screenshots');
    mkdirSync(shots, { recursive: true });
    const reports = await allReports();
    const found: string[] = [];
    for (const width of [800, 1400]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 } });
      for (const [name, doc] of Object.entries(reports)) {
        const page = await ctx.newPage();
        await page.setContent(doc, { waitUntil: 'load' });
        const problems = (await page.evaluate(LAYOUT_PROBLEMS)) as LayoutProblem[];
        found.push(...problems.map((p) => `${name} @${width}px: ${p.kind}: ${p.what}`));
        const shot = await page.screenshot({ fullPage: true, path: join(shots, `${name}-${width}.png`) });
        // The PNG's IHDR width: the page was laid out at this width and did not grow sideways.
        expect(shot.readUInt32BE(16), name).toBe(width);
        await page.close();
      }
      await ctx.close();
    }
    expect(found).toEqual([]);
  }, 180_000);
});
