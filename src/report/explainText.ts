// The readable explain report: the verdict first, then the log's facts and the model's in
// aligned columns, then each diagnosis (with its id) with its evidence line and remedies.
// Everything copied from the log goes through oneLine: a log can carry ESC or BEL bytes, and
// they must not reach the terminal.

import type { ExplainResult, ExplainContext, Facts, Verdict } from '../model/explain.js';
import { oneLine } from '../platform/errors.js';

const dash = '-';

function cell(f: Facts | null, key: 'pamtKb' | 'initialized' | 'failure' | 'windowSeconds'): string {
  if (!f) return dash;
  const v = f[key];
  if (v === null) return dash;
  if (key === 'pamtKb') return `${v} KB`;
  if (key === 'initialized') return v ? 'initialized' : 'failed';
  if (key === 'windowSeconds') {
    const iv = f.windowIntervalSeconds;
    return `${(v as number).toFixed(3)} s${iv ? ` (80%: ${iv[0].toFixed(3)}–${iv[1].toFixed(3)} s)` : ''}`;
  }
  return oneLine(String(v));
}

function rowVerdict(v: boolean | null): string {
  return v === null ? '' : v ? 'agree' : 'DIFFER';
}

/** The verdict in words: the same four answers as the JSON `verdict`. */
export const VERDICT_WORDS: Record<Verdict, string> = {
  'agree': 'agree: the model reproduces what the log shows (the outcome, and the PAMT figure when it initialized)',
  'differ': 'DIFFER: the model does not reproduce what the log shows (see the diagnosis)',
  'incomplete': 'INCOMPLETE: the log lacks a fact needed to compare (see the diagnosis); no agreement is claimed',
  'no-tdx-init': 'NO TDX INITIALIZATION: this boot shows no attempt to initialize TDX, so there is nothing to model',
};

function header(r: ExplainResult, c: ExplainContext): string[] {
  const out: string[] = [];
  const from = c.memoryFrom ? `memory from ${c.memoryFrom === 'cmrs' ? 'the CMR lines' : c.memoryFrom}` : 'no platform';
  out.push(`tdxmodel explain: ${oneLine(c.file)} (${from}${c.policy ? `, modeled under the ${c.policy} policy` : ''})`);
  const b = r.log.boot;
  if (b.count > 1) out.push(`  boot ${b.used} of ${b.count}${b.used === b.count ? ' (the last)' : ''}, from ${oneLine(c.bootReason)}; --boot N picks another`);
  const ids = [
    `kernel ${r.log.kernel === null ? '(no "Linux version" line)' : oneLine(r.log.kernel)}`,
    `module ${r.log.module === null ? '(not printed)' : oneLine(r.log.module)}`,
    `CPU ${r.log.cpu === null ? '(not printed)' : oneLine(r.log.cpu)}`,
  ];
  out.push(`  ${ids.join(' · ')}`);
  if (c.inputs.length) {
    out.push(`  modeled with: ${c.inputs.map((i) => `${i.what} ${i.value}${i.guessed ? ' (GUESSED)' : ''}`).join(', ')}`);
  }
  return out;
}

export function explainText(r: ExplainResult, c: ExplainContext): string {
  const out: string[] = header(r, c);
  out.push('');
  out.push(`VERDICT  ${VERDICT_WORDS[r.verdict]}`);
  out.push('');
  const rows: [string, string, string, string][] = [
    ['', 'log', 'model', ''],
    ['PAMT', cell(r.log, 'pamtKb'), cell(r.model, 'pamtKb'), rowVerdict(r.agree.pamtKb)],
    ['outcome', cell(r.log, 'initialized'), cell(r.model, 'initialized'), rowVerdict(r.agree.outcome)],
    ['failure', cell(r.log, 'failure'), cell(r.model, 'failure'), ''],
    ['window', cell(r.log, 'windowSeconds'), cell(r.model, 'windowSeconds'), rowVerdict(r.agree.window)],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) out.push(`  ${row[0].padEnd(w[0])}  ${row[1].padEnd(w[1])}  ${row[2].padEnd(w[2])}  ${row[3]}`.trimEnd());
  if (r.log.windowSeconds !== null || (r.model && r.model.windowSeconds !== null)) {
    out.push(`  (window: log = PAMT line − last CMR or module line; model = TDMR construction to the end of TDH.SYS.TDMR.INIT)`);
  }
  if (c.modelError && r.model && !r.model.initialized) out.push(`  model: ${oneLine(c.modelError)}`);
  if (c.warnings.length) {
    out.push('');
    out.push('import notes:');
    for (const w2 of c.warnings) out.push(`  - ${oneLine(w2)}`);
  }
  out.push('');
  if (r.diagnosis.length === 0) {
    out.push(r.verdict === 'agree'
      ? 'diagnosis: nothing to explain (no failure signature; log and model agree where both speak)'
      : 'diagnosis: no known signature');
  } else {
    out.push('diagnosis:');
    r.diagnosis.forEach((d, i) => {
      out.push(`  ${i + 1}. [${d.id}${d.failureClass ? ` · ${d.failureClass}` : ''}] ${oneLine(d.cause)}`);
      out.push(`     evidence: ${d.evidence.line === null ? '' : `line ${d.evidence.line}: `}${oneLine(d.evidence.text)}`);
      for (const rem of d.remedies) out.push(`     remedy:   ${oneLine(rem)}`);
    });
  }
  return out.join('\n');
}
