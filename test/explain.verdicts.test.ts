// The verdict never claims more than the log shows (issue 11.3): agree, differ, incomplete,
// no-tdx-init, in JSON and in words, on logs written for the purpose and on the real excerpts.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseSource } from '../src/platform/importers/merge.js';
import { explainSources, verdictOf, type ExplainRun } from '../src/model/explain.js';
import { explainText, VERDICT_WORDS } from '../src/report/explainText.js';
import { explainHtml } from '../src/report/html/explainHtml.js';

const FIX = new URL('fixtures/explain/', import.meta.url).pathname;
const LOGS = new URL('data/real-logs/', import.meta.url).pathname;

async function explain(file: string, sets: string[] = []): Promise<ExplainRun> {
  return explainSources([parseSource({ file: path.basename(file), text: readFileSync(file, 'utf8') })], { sets });
}

describe('verdict on the real excerpts', () => {
  for (const f of readdirSync(LOGS).filter((x) => /^case-.*\.txt$/.test(x)).sort()) {
    it(`${f}: agree, said in text and HTML`, async () => {
      const run = await explain(path.join(LOGS, f));
      expect(run.result.verdict).toBe('agree');
      expect(explainText(run.result, run.context)).toContain(`VERDICT  ${VERDICT_WORDS.agree}`);
      expect(explainHtml(run)).toContain('Verdict: agree');
    });
  }
});

describe('each verdict', () => {
  it('agree needs an outcome both sides share, the PAMT figure when the log initialized, and a window inside the interval', async () => {
    const { result } = await explain(path.join(LOGS, 'case-15.txt'));
    expect(result.verdict).toBe('agree');
    expect(result.agree).toEqual({ pamtKb: true, outcome: true, window: true });
  });

  it('differ: PAMT and outcome agree but the window lies outside the model\'s interval', async () => {
    const { result } = await explain(path.join(FIX, 'ok-no-cmr-lines.txt'));
    expect(result.agree).toEqual({ pamtKb: true, outcome: true, window: false });
    expect(result.diagnosis.map((d) => d.id)).toContain('timing-differs');
    expect(result.verdict).toBe('differ');
  });

  it('differ: the model does not reproduce the printed PAMT figure', async () => {
    const { result } = await explain(path.join(FIX, 'cut-map.txt'));
    expect(result.agree.pamtKb).toBe(false);
    expect(result.verdict).toBe('differ');
  });

  it('differ: a failure the model cannot see', async () => {
    const { result } = await explain(path.join(FIX, 'fail-lpinit-msr.txt'));
    expect(result.verdict).toBe('differ');
  });

  for (const f of ['truncated-cmrs.txt', 'truncated-no-pamt.txt', 'truncated-no-outcome.txt']) {
    it(`incomplete: ${f}`, async () => {
      const run = await explain(path.join(FIX, f));
      expect(run.result.verdict).toBe('incomplete');
      expect(run.result.diagnosis.map((d) => d.id)).toContain('truncated-log');
      expect(explainText(run.result, run.context)).toContain(VERDICT_WORDS.incomplete);
    });
  }

  it('incomplete: a cut CMR list is not "differ" either, even though the PAMT figures differ', async () => {
    const { result } = await explain(path.join(FIX, 'truncated-cmrs.txt'));
    expect(result.agree.pamtKb).toBe(false);
    expect(result.verdict).toBe('incomplete');
  });

  it('incomplete: no model could be built', async () => {
    const { result } = await explain(path.join(FIX, 'fail-not-loaded.txt'));
    expect(result.model).toBeNull();
    expect(result.verdict).toBe('incomplete');
  });

  for (const f of ['no-tdx-amd.txt', 'no-tdx-keyids-only.txt', 'fail-bios-old.txt', 'fail-bios-fwbug.txt']) {
    it(`no-tdx-init, never modeled as a success: ${f}`, async () => {
      const run = await explain(path.join(FIX, f));
      expect(run.result.verdict).toBe('no-tdx-init');
      expect(run.result.model).toBeNull();
      expect(run.report).toBeNull();
      expect(explainText(run.result, run.context)).toContain(VERDICT_WORDS['no-tdx-init']);
      expect(explainHtml(run)).toContain('Verdict: no-tdx-init');
    });
  }

  it('an empty excerpt of TDX lines is no-tdx-init, not agree', async () => {
    const run = await explainSources([parseSource({ file: 'x', text: '[ 0.1] smpboot: Allowing 8 CPUs, 0 hotplug CPUs\n[ 0.0] BIOS-e820: [mem 0x0-0x7fffffff] usable\n' })]);
    expect(run.result.verdict).toBe('no-tdx-init');
  });
});

describe('verdictOf, the rule itself', () => {
  const facts = { pamtKb: 10, initialized: true, failure: null, windowSeconds: 1 };
  const diag = (id: 'timing-differs' | 'truncated-log') => [{ id, cause: '', evidence: { line: null, text: '' }, remedies: [] }];
  it('agree only with both outcome and PAMT compared equal', () => {
    expect(verdictOf(facts, facts, { pamtKb: true, outcome: true }, [], true)).toBe('agree');
    expect(verdictOf(facts, facts, { pamtKb: null, outcome: true }, [], true)).toBe('incomplete');
    expect(verdictOf({ ...facts, initialized: null }, facts, { pamtKb: true, outcome: null }, [], true)).toBe('incomplete');
  });
  it('a timing difference is a difference', () => {
    expect(verdictOf(facts, facts, { pamtKb: true, outcome: true }, diag('timing-differs'), true)).toBe('differ');
  });
  it('a truncated log is incomplete before anything else but no-tdx-init', () => {
    expect(verdictOf(facts, facts, { pamtKb: false, outcome: false }, diag('truncated-log'), true)).toBe('incomplete');
    expect(verdictOf(facts, null, { pamtKb: null, outcome: null }, [], false)).toBe('no-tdx-init');
  });
});
