// The HTML report of `tdxmodel explain --format html`: the verdict, the log's TDX facts beside
// the model's, the diagnosis, then the model's own pictures when the platform could be rebuilt.
// Text from the log goes through oneLine (control characters shown as \uXXXX) and esc.

import type { ExplainRun } from '../../model/explain.js';
import type { Facts } from '../../model/explain.js';
import { oneLine } from '../../platform/errors.js';
import { VERDICT_WORDS } from '../explainText.js';
import { html, join } from './escape.js';
import { page, sideBySide, type Section } from './page.js';
import { dataTable } from './tables.js';
import { simulateSections } from './simulateHtml.js';

const factRows = (f: Facts | null): [string, string][] => [
  ['initialized', f === null || f.initialized === null ? '–' : f.initialized ? 'yes' : 'no'],
  ['PAMT', f === null || f.pamtKb === null ? '–' : `${f.pamtKb} KB`],
  ['failure', f?.failure ? oneLine(f.failure) : '–'],
  ['window (CMR lines → PAMT line)', f === null || f.windowSeconds === null ? '–' : `${f.windowSeconds.toFixed(3)} s${f.windowIntervalSeconds ? ` (80%: ${f.windowIntervalSeconds[0].toFixed(3)}–${f.windowIntervalSeconds[1].toFixed(3)} s)` : ''}`],
];

export function explainHtml(run: ExplainRun): string {
  const { result, context, report, platform } = run;
  const agree = (v: boolean | null): string => (v === null ? 'unknown' : v ? 'agree' : 'DISAGREE');
  const log = result.log;
  const identity: [string, string][] = [
    ['boot', `${log.boot.used} of ${log.boot.count}${log.boot.count > 1 ? ` (from ${oneLine(context.bootReason)})` : ''}`],
    ['kernel', log.kernel === null ? '–' : oneLine(log.kernel)],
    ['module', log.module === null ? '–' : oneLine(log.module)],
    ['CPU', log.cpu === null ? '–' : oneLine(log.cpu)],
    ...context.inputs.map((i): [string, string] => [`modeled ${i.what}`, `${i.value}${i.guessed ? ' (guessed)' : ''}`]),
  ];
  const sections: Section[] = [
    {
      id: 'verdict',
      heading: `Verdict: ${result.verdict}`,
      intro: VERDICT_WORDS[result.verdict],
      body: dataTable(['', 'value'], identity),
    },
    {
      id: 'side-by-side',
      heading: 'Log and model',
      intro: `What the log says and what the model predicts for the platform rebuilt from it (memory from ${context.memoryFrom ?? 'nothing'}; policy ${context.policy ?? '–'}). PAMT: ${agree(result.agree.pamtKb)}; outcome: ${agree(result.agree.outcome)}; timing: ${agree(result.agree.window)}.`,
      body: sideBySide(`log: ${oneLine(context.file)}`, dataTable(['fact', 'value'], factRows(result.log)), 'model', dataTable(['fact', 'value'], factRows(result.model))),
    },
    {
      id: 'diagnosis',
      heading: 'Diagnosis',
      body: result.diagnosis.length
        ? join(result.diagnosis.map((d) => html`<div class="diag" data-id="${d.id}"><h3>[${d.id}${d.failureClass ? ` · ${d.failureClass}` : ''}] ${oneLine(d.cause)}</h3><p>${d.evidence.line === null ? 'evidence' : `line ${d.evidence.line}`}: <code>${oneLine(d.evidence.text)}</code></p>${d.remedies.length ? html`<ul>${d.remedies.map((r) => html`<li>${oneLine(r)}</li>`)}</ul>` : null}</div>`))
        : html`<p>${result.verdict === 'agree' ? 'No known failure signature, and log and model agree.' : 'No known failure signature.'}</p>`,
    },
  ];
  if (context.warnings.length) {
    sections.push({ id: 'import-warnings', heading: 'Rebuilding the platform', body: html`<ul>${context.warnings.map((w) => html`<li>${oneLine(w)}</li>`)}</ul>` });
  }
  if (report && platform) sections.push(...simulateSections(report, platform, 'model-'));
  return page({
    title: `tdxmodel explain: ${oneLine(context.file)}`,
    subtitle: result.model === null ? `verdict ${result.verdict}: no model of this log` : `verdict ${result.verdict}; model: ${report?.platform.name ?? ''} under ${context.policy ?? ''}`,
    sections,
  });
}
