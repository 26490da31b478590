// The guest HTML report: self-contained, and input text (the TD's name) never becomes markup.
import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGuest } from '../src/workers/guestRun.js';
import { guestHtml } from '../src/report/html/guestHtml.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

describe('guest HTML', () => {
  it('escapes the TD name and carries the CSP; no script, no external reference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guest-html-'));
    const f = join(dir, 'td.json');
    writeFileSync(f, JSON.stringify({ name: HOSTILE, vcpus: 8, memoryGiB: 16, workload: { allocators: 2 }, attestation: { requests: 4, concurrency: 2 } }));
    const html = guestHtml(await runGuest({ input: f, sets: [], trials: 0, seed: 1, workers: 1 }));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('http-equiv="Content-Security-Policy" content="default-src');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('draws one bar per non-empty phase and one latency bin per histogram bin', async () => {
    const r = await runGuest({ input: 'preset:td-small', sets: ['attestation.requests=4', 'attestation.concurrency=2'], trials: 0, seed: 1, workers: 1 });
    const html = guestHtml(r);
    const gantt = html.slice(html.indexOf('aria-label="Boot timeline"'), html.indexOf('</svg>', html.indexOf('aria-label="Boot timeline"')));
    expect((gantt.match(/<rect /g) ?? []).length).toBe(r.boot.phases.filter((p) => p.seconds > 0).length);
    const lat = html.slice(html.indexOf('aria-label="Quote latency distribution"'));
    const bars = (lat.slice(0, lat.indexOf('</svg>')).match(/<rect /g) ?? []).length;
    expect(bars).toBe(r.attestation.latencyHistogram.counts.length);
  });
});
