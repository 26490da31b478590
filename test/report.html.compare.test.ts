// The comparison page: both timelines on one log axis (equal bar lengths mean equal times), a
// comparison of policies titled by policy, and a picture identical for A and B drawn once.
import { describe, it, expect, beforeAll } from 'vitest';
import { compareHtml } from '../src/report/html/simulateHtml.js';
import { simulatePlatform } from '../src/workers/simulateRun.js';
import { presetCase, type Case } from './helpers/htmlReports.js';
import type { SimulationReport } from '../src/model/run.js';

let base: Case;
let parallel: SimulationReport;

beforeAll(async () => {
  base = await presetCase('default');
  parallel = await simulatePlatform(base.platform, { engine: 'ts', policy: 'parallel-tdmr' });
}, 60_000);

/** Width of the TDMR.INIT bar on each timeline's log-scale (right-hand) panel, in drawing units. */
function logBarWidths(doc: string): number[] {
  const svgs = doc.match(/<svg[^>]*class="chart timeline"[\s\S]*?<\/svg>/g) ?? [];
  return svgs.map((s) => {
    const bars = [...s.matchAll(/<rect x="730" y="[0-9.]+" width="([0-9.]+)" height="12"[^>]*><title>TDH\.SYS\.TDMR\.INIT:/g)];
    expect(bars).toHaveLength(1);
    return Number(bars[0][1]);
  });
}

describe('compare --format html', () => {
  it('the log-scale panels share one axis: the shorter TDMR.INIT has the shorter bar', () => {
    const doc = compareHtml(base.report, parallel, base.platform, base.platform);
    expect(parallel.totals.byStep['TDH.SYS.TDMR.INIT']).toBeLessThan(base.report.totals.byStep['TDH.SYS.TDMR.INIT']);
    const [a, b] = logBarWidths(doc);
    expect(b).toBeLessThan(a);
    // And the decade labels are the same on both.
    const ticks = (doc.match(/<svg[^>]*class="chart timeline"[\s\S]*?<\/svg>/g) ?? []).map((s) => [...s.matchAll(/class="tick">([^<]+)</g)].map((m) => m[1]).join('|'));
    expect(ticks[0]).toBe(ticks[1]);
  });

  it('a policy comparison is titled by policy', () => {
    const doc = compareHtml(base.report, parallel, base.platform, base.platform, { by: 'policy', a: 'mainline', b: 'parallel-tdmr' });
    expect(doc).toContain('<title>tdxmodel: mainline vs parallel-tdmr policy on default</title>');
    expect(doc).toContain('<h3>A: mainline policy</h3>');
    expect(doc).toContain('<h3>B: parallel-tdmr policy</h3>');
  });

  it('identical panels are drawn once; differing ones twice', () => {
    const doc = compareHtml(base.report, parallel, base.platform, base.platform);
    // Same platform and TDMRs under both policies: one memory map, one PAMT chart; two timelines.
    expect(doc.match(/class="chart memmap"/g)).toHaveLength(1);
    expect(doc.match(/class="chart pamt"/g)).toHaveLength(1);
    expect(doc.match(/class="chart timeline"/g)).toHaveLength(2);
    expect(doc).toContain('<h3>A and B (identical)</h3>');
    const two = compareHtml(base.report, base.report, base.platform, base.platform);
    expect(two.match(/class="chart timeline"/g)).toHaveLength(1);
  });
});
