// The readable explain report: the log's facts and the model's in aligned columns, a verdict
// per row, then each diagnosis with its evidence line and remedies.

import type { ExplainResult, ExplainContext, Facts } from '../model/explain.js';

const dash = '-';

function cell(f: Facts | null, key: keyof Facts): string {
  if (!f) return dash;
  const v = f[key];
  if (v === null) return dash;
  if (key === 'pamtKb') return `${v} KB`;
  if (key === 'initialized') return v ? 'initialized' : 'failed';
  if (key === 'windowSeconds') {
    const iv = f.windowIntervalSeconds;
    return `${(v as number).toFixed(3)} s${iv ? ` (80%: ${iv[0].toFixed(3)}–${iv[1].toFixed(3)} s)` : ''}`;
  }
  return String(v);
}

function verdict(v: boolean | null): string {
  return v === null ? '' : v ? 'agree' : 'DIFFER';
}

export function explainText(r: ExplainResult, c: ExplainContext): string {
  const out: string[] = [];
  const from = c.memoryFrom ? `memory from ${c.memoryFrom === 'cmrs' ? 'the CMR lines' : c.memoryFrom}` : 'no platform';
  out.push(`tdxmodel explain: ${c.file} (${from}${c.policy ? `, modeled under the ${c.policy} policy` : ''})`);
  out.push('');
  const rows: [string, string, string, string][] = [
    ['', 'log', 'model', ''],
    ['PAMT', cell(r.log, 'pamtKb'), cell(r.model, 'pamtKb'), verdict(r.agree.pamtKb)],
    ['outcome', cell(r.log, 'initialized'), cell(r.model, 'initialized'), verdict(r.agree.outcome)],
    ['failure', cell(r.log, 'failure'), cell(r.model, 'failure'), ''],
    ['window', cell(r.log, 'windowSeconds'), cell(r.model, 'windowSeconds'), verdict(r.agree.window)],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) out.push(`  ${row[0].padEnd(w[0])}  ${row[1].padEnd(w[1])}  ${row[2].padEnd(w[2])}  ${row[3]}`.trimEnd());
  if (r.log.windowSeconds !== null || (r.model && r.model.windowSeconds !== null)) {
    out.push(`  (window: log = PAMT line − last CMR or module line; model = TDMR construction to the end of TDH.SYS.TDMR.INIT)`);
  }
  if (c.modelError && r.model && !r.model.initialized) out.push(`  model: ${c.modelError}`);
  if (c.warnings.length) {
    out.push('');
    out.push('import notes:');
    for (const w2 of c.warnings) out.push(`  - ${w2}`);
  }
  out.push('');
  if (r.diagnosis.length === 0) {
    out.push('diagnosis: nothing to explain (no failure signature; log and model agree where both speak)');
  } else {
    out.push('diagnosis:');
    r.diagnosis.forEach((d, i) => {
      out.push(`  ${i + 1}. ${d.cause}`);
      out.push(`     evidence: ${d.evidence.line === null ? '' : `line ${d.evidence.line}: `}${d.evidence.text}`);
      for (const rem of d.remedies) out.push(`     remedy:   ${rem}`);
    });
  }
  return out.join('\n');
}
