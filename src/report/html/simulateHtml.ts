// The HTML report of `tdxmodel simulate --format html`, and the comparison of two simulations.
// The section builders are exported separately so other commands (explain) can assemble their
// own pages from the same pictures and tables.

import type { SimulationReport } from '../../model/run.js';
import type { Platform } from '../../platform/types.js';
import { formatBytes, formatUs } from '../units.js';
import { compareRows } from '../compareRows.js';
import { html, join, type Html } from './escape.js';
import { page, sideBySide, type Section } from './page.js';
import { memoryMap, memoryMapLegend } from './memoryMap.js';
import { timelineChart, durationDecades, type TimeAxisOptions } from './timeline.js';
import { pamtPerNodeChart } from './pamtPerNode.js';
import { readinessChart } from './readiness.js';
import {
  outcomeSummary, tdmrTable, stepsTable, parametersTable, seamcallTable, trialsTable, callersTable, hotplugTable, logBlock, dataTable, type Cell,
} from './tables.js';

export { sideBySide, section, page, type Section } from './page.js';

const nodesOf = (p: Platform): number[] => [...new Set(p.memory.map((m) => m.node))].sort((a, b) => a - b);

const MAP_INTRO = 'Top: the whole machine to scale. Bottom: the low 4 GiB, where the firmware and legacy holes are, with the first MiB widened. '
  + 'Ranges too small to see are drawn at a minimum width; hover any shape for its exact range. Holes are outlined in red.';
const TIMELINE_INTRO = 'Left: each step at its modeled start and end. Right: the same durations on a log scale, so microsecond steps stay visible next to second-long ones.';
const READY_INTRO = 'TDH.SYS.TDMR.INIT initializes TDX memory 1 GiB at a time; the curve is the module\'s progress. No modeled kernel lets KVM create a TD before tdx_enable() returns, so guests can use none of it earlier.';

export function memoryMapSection(r: SimulationReport, p: Platform, prefix = ''): Section {
  return {
    id: `${prefix}memory-map`, heading: 'Physical memory map', intro: MAP_INTRO,
    body: join([memoryMapLegend(nodesOf(p)), memoryMap(r, p, { idPrefix: `${prefix}mm` })]),
  };
}

export function timelineSection(r: SimulationReport, prefix = '', axis: TimeAxisOptions = {}): Section {
  return { id: `${prefix}timeline`, heading: 'Timeline', intro: TIMELINE_INTRO, body: join([timelineChart(r, axis), stepsTable(r)]) };
}

export function simulateSections(r: SimulationReport, p: Platform, prefix = ''): Section[] {
  const s: Section[] = [
    { id: `${prefix}outcome`, heading: 'Outcome', body: outcomeSummary(r) },
    memoryMapSection(r, p, prefix),
    { id: `${prefix}tdmrs`, heading: 'TDMRs and PAMTs', body: tdmrTable(r) },
    timelineSection(r, prefix),
    { id: `${prefix}pamt`, heading: 'PAMT per node', body: pamtPerNodeChart(r, p) },
    { id: `${prefix}readiness`, heading: 'TDX memory readiness', intro: READY_INTRO, body: readinessChart(r) },
  ];
  const trials = trialsTable(r);
  if (trials) s.push({ id: `${prefix}trials`, heading: 'Trials', body: trials });
  const callers = callersTable(r);
  if (callers) s.push({ id: `${prefix}callers`, heading: 'tdx_enable() callers', body: callers });
  const hot = hotplugTable(r);
  if (hot) s.push({ id: `${prefix}hotplug`, heading: 'Memory hotplug', body: hot });
  s.push(
    { id: `${prefix}seamcalls`, heading: 'SEAMCALLs', body: seamcallTable(r) },
    { id: `${prefix}parameters`, heading: 'Parameters', intro: 'Every cost the timings rest on, and where its value comes from.', body: parametersTable(r) },
    { id: `${prefix}log`, heading: 'Kernel log', intro: 'As the kernel would print it, with modeled timestamps.', body: logBlock(r) },
  );
  return s;
}

export function simulateHtml(report: SimulationReport, platform: Platform): string {
  const verdict = report.outcome.initialized ? `initialized in ${formatUs(report.totals.initUs)}` : `FAILED at ${report.outcome.error?.step ?? '?'}`;
  return page({
    title: `tdxmodel: ${report.platform.name}`,
    subtitle: `${report.policy.name} policy · ${formatBytes(report.platform.memoryBytes)} on ${report.platform.nodes} node(s) · ${verdict}`,
    sections: simulateSections(report, platform),
    footer: `tdxmodel simulate report, schema ${report.schemaVersion}. Times are modeled, not measured; see Parameters for what each rests on.`,
  });
}

/**
 * Wide pictures one above the other: side by side they would shrink to unreadable text. Two
 * identical pictures (the same memory map under two policies, say) are drawn once. `same`
 * maps B's markup to what A's would be (B's element ids carry their own prefix).
 */
function stacked(aHeading: string, a: Html, bHeading: string, b: Html, same: (bHtml: string) => string = (x) => x): Html {
  if (same(b.__html) === a.__html) return html`<h3>A and B (identical)</h3>${a}`;
  return html`<h3>${aHeading}</h3>${a}<h3>${bHeading}</h3>${b}`;
}

/** Two inputs, or one input under two policies: what the page's headings name the sides by. */
export interface CompareLabels {
  /** 'policy' when both sides are one platform under two policies. */
  by: 'policy' | 'platform';
  a: string;
  b: string;
}

function defaultLabels(a: SimulationReport, b: SimulationReport): CompareLabels {
  return a.platform.name === b.platform.name && a.policy.name !== b.policy.name
    ? { by: 'policy', a: a.policy.name, b: b.policy.name }
    : { by: 'platform', a: a.platform.name, b: b.platform.name };
}

export function comparisonTable(a: SimulationReport, b: SimulationReport): Html {
  const rows: Cell[][] = compareRows(a, b).map((r) => [r.metric, r.a, r.b, r.delta, r.differs ? 'differs' : 'same']);
  return dataTable(['', 'A', 'B', 'B − A', ''], rows, [1, 2, 3]);
}

/** Parameters whose value or provenance differs between the two runs. */
function parameterDiff(a: SimulationReport, b: SimulationReport): Html {
  const names = [...new Set([...a.parameters.map((p) => p.name), ...b.parameters.map((p) => p.name)])].sort();
  const rows: Cell[][] = [];
  for (const name of names) {
    const pa = a.parameters.find((p) => p.name === name);
    const pb = b.parameters.find((p) => p.name === name);
    if (pa && pb && pa.value === pb.value && pa.label === pb.label) continue;
    rows.push([html`<code>${name}</code>`, pa ? `${pa.value} ${pa.unit} (${pa.label})` : '—', pb ? `${pb.value} ${pb.unit} (${pb.label})` : '—']);
  }
  return rows.length ? dataTable(['parameter', 'A', 'B'], rows) : html`<p class="note">Both runs use the same parameters.</p>`;
}

export function compareHtml(a: SimulationReport, b: SimulationReport, platformA: Platform, platformB: Platform, labels: CompareLabels = defaultLabels(a, b)): string {
  const byPolicy = labels.by === 'policy';
  const ha = byPolicy ? `A: ${labels.a} policy` : `A: ${labels.a} (${a.policy.name})`;
  const hb = byPolicy ? `B: ${labels.b} policy` : `B: ${labels.b} (${b.policy.name})`;
  // One time axis for both, linear and log, so equal lengths mean equal times.
  const axis: TimeAxisOptions = { endUs: Math.max(a.totals.initUs, b.totals.initUs), logDecades: durationDecades(a, b) };
  const mapIds = (x: string): string => x.replaceAll('b-mm', 'a-mm');
  const sections: Section[] = [
    { id: 'summary', heading: 'Summary', body: comparisonTable(a, b) },
    { id: 'outcome', heading: 'Outcome', body: sideBySide(ha, outcomeSummary(a), hb, outcomeSummary(b)) },
    {
      id: 'memory-map', heading: 'Physical memory map', intro: MAP_INTRO,
      body: join([memoryMapLegend([...new Set([...nodesOf(platformA), ...nodesOf(platformB)])].sort((x, y) => x - y)),
        stacked(ha, memoryMap(a, platformA, { idPrefix: 'a-mm' }), hb, memoryMap(b, platformB, { idPrefix: 'b-mm' }), mapIds)]),
    },
    { id: 'tdmrs', heading: 'TDMRs and PAMTs', body: stacked(ha, tdmrTable(a), hb, tdmrTable(b)) },
    { id: 'timeline', heading: 'Timeline', intro: `${TIMELINE_INTRO} Both use the same axes, linear and log.`, body: stacked(ha, timelineChart(a, axis), hb, timelineChart(b, axis)) },
    { id: 'pamt', heading: 'PAMT per node', body: stacked(ha, pamtPerNodeChart(a, platformA), hb, pamtPerNodeChart(b, platformB)) },
    { id: 'readiness', heading: 'TDX memory readiness', intro: `${READY_INTRO} Both use the same time axis.`, body: stacked(ha, readinessChart(a, axis), hb, readinessChart(b, axis)) },
    { id: 'parameters', heading: 'Parameters that differ', body: parameterDiff(a, b) },
    { id: 'log', heading: 'Kernel log', body: sideBySide(ha, logBlock(a), hb, logBlock(b)) },
  ];
  return page({
    title: byPolicy ? `tdxmodel: ${labels.a} vs ${labels.b} policy on ${a.platform.name}` : `tdxmodel: ${labels.a} vs ${labels.b}`,
    subtitle: `A ${a.outcome.initialized ? `initialized in ${formatUs(a.totals.initUs)}` : 'failed'} · B ${b.outcome.initialized ? `initialized in ${formatUs(b.totals.initUs)}` : 'failed'}`,
    sections,
    footer: 'tdxmodel comparison report. Times are modeled, not measured.',
  });
}
