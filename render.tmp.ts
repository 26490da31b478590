import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { simulatePlatform } from '/work/main/src/model/run.js';
import { validatePlatform } from '/work/main/src/platform/validate.js';
import { getPreset } from '/work/main/src/platform/presets.js';
import { simulateHtml, compareHtml } from '/work/main/src/report/html/simulateHtml.js';
const names = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const reps: any[] = [];
for (const n of names) {
  const p = validatePlatform(getPreset(n));
  const r = await simulatePlatform(p, { engine: 'ts' });
  reps.push([r, p]);
  const h = simulateHtml(r, p);
  writeFileSync(`/tmp/rep/${n}.html`, h);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  await page.setContent(h);
  await page.screenshot({ path: `/tmp/rep/${n}.png`, fullPage: true });
  for (const sel of ['svg.memmap', 'svg.timeline', 'svg.pamt', 'svg.readiness']) {
    const el = await page.$(sel);
    if (el) await el.screenshot({ path: `/tmp/rep/${n}-${sel.slice(4)}.png` });
  }
  await page.close();
}
if (reps.length >= 2) {
  const h = compareHtml(reps[0][0], reps[1][0], reps[0][1], reps[1][1]);
  writeFileSync('/tmp/rep/compare.html', h);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.setContent(h);
  await page.screenshot({ path: `/tmp/rep/compare.png`, fullPage: true });
}
await browser.close();
