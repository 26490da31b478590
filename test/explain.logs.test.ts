import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSource } from '../src/platform/importers/merge.js';
import { explainSources, type ExplainRun } from '../src/model/explain.js';
import { explainText } from '../src/report/explainText.js';
import { runCli } from './helpers/cli.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LOGS = path.resolve(HERE, 'data/real-logs');
const FIX = path.join(HERE, 'fixtures/explain');
const realLogs = readdirSync(LOGS).filter((f) => /^case-.*\.txt$/.test(f)).sort();

async function explainFile(file: string, opts: { policy?: string; sets?: string[] } = {}): Promise<ExplainRun> {
  return explainSources([parseSource({ file: path.basename(file), text: readFileSync(file, 'utf8') })], opts);
}

const FACT_KEYS = ['pamtKb', 'initialized', 'failure', 'windowSeconds'];
// The log side also says which boot it read and what the log printed about itself (issue 11.3).
const LOG_KEYS = [...FACT_KEYS, 'boot', 'kernel', 'module', 'cpu'];

describe('explain on every real log', () => {
  it('finds the real logs', () => expect(realLogs.length).toBeGreaterThanOrEqual(3));
  for (const f of realLogs) {
    it(f, async () => {
      const text = readFileSync(path.join(LOGS, f), 'utf8');
      const { result } = await explainFile(path.join(LOGS, f));
      expect(Object.keys(result)).toEqual(['verdict', 'platform', 'log', 'model', 'agree', 'diagnosis']);
      expect(result.verdict).toBe('agree');
      expect(Object.keys(result.log)).toEqual(LOG_KEYS);
      expect(Object.keys(result.model!)).toEqual([...FACT_KEYS, 'windowIntervalSeconds']);
      expect(Object.keys(result.agree)).toEqual(['pamtKb', 'outcome', 'window']);
      // The printed figure, read off the file's own PAMT line.
      const printed = Number(/(\d+) KBs? allocated for PAMT/.exec(text)![1]);
      expect(result.log.pamtKb).toBe(printed);
      expect(result.model!.pamtKb).toBe(printed);
      expect(result.agree).toEqual({ pamtKb: true, outcome: true, window: true });
      expect(result.log.windowSeconds).toBeGreaterThan(0);
      expect(result.model!.windowSeconds).toBeGreaterThan(0);
      expect(result.diagnosis).toEqual([]);
      expect((result.platform!.source as { memory: string }).memory).toMatch(/CMR lines/);
    });
  }
});

/** Each signature fixture: the cause it must name and the failure line it must cite. */
const SIGNATURES: [string, RegExp, RegExp][] = [
  ['fail-reserved-areas.txt', /^reserved areas exhausted/, /reserved areas exhausted\.$/],
  ['fail-tdmrs-exhausted.txt', /^TDMRs exhausted/, /TDMRs exhausted\.$/],
  ['fail-tdx10.txt', /TDX 1\.0 module under a 6\.8\+ kernel/, /SEAMCALL \(0x0+22\) failed: 0xc000050500000000$/],
  ['fail-not-loaded.txt', /module is not loaded/, /module not loaded$/],
  ['fail-hibernation.txt', /hibernation/, /Hibernation support is enabled$/],
  ['fail-keyids.txt', /too few private KeyIDs/, /too few private KeyIDs available \(1\)\.$/],
  ['fail-lpinit-msr.txt', /TDX_INCONSISTENT_MSR/, /SEAMCALL \(0x0+23\) failed: 0xc000092000000000$/],
  ['fail-nosmt.txt', /some CPUs were offline \(the command line has nosmt\)/, /SEAMCALL \(0x0+2d\) failed: 0xc000050c00000000$/],
];

describe('failure signatures', () => {
  for (const [file, cause, line] of SIGNATURES) {
    it(file, async () => {
      const { result } = await explainFile(path.join(FIX, file));
      expect(result.log.initialized).toBe(false);
      expect(result.log.failure).not.toBeNull();
      const d = result.diagnosis.find((x) => cause.test(x.cause));
      expect(d, JSON.stringify(result.diagnosis, null, 1)).toBeDefined();
      expect(d!.evidence.text).toMatch(line);
      const lines = readFileSync(path.join(FIX, file), 'utf8').split('\n');
      expect(lines[d!.evidence.line! - 1].trim()).toBe(d!.evidence.text);
      expect(d!.remedies.length).toBeGreaterThan(0);
    });
  }

  it('the model reproduces the failures the log lets it see', async () => {
    for (const f of ['fail-reserved-areas.txt', 'fail-tdmrs-exhausted.txt', 'fail-tdx10.txt', 'fail-hibernation.txt', 'fail-keyids.txt', 'fail-nosmt.txt']) {
      const { result } = await explainFile(path.join(FIX, f));
      expect(result.model!.initialized, f).toBe(false);
      expect(result.agree.outcome, f).toBe(true);
    }
  });

  it('reserved areas: the remedy reports what kernel.holes=cmr does, and --set applies it', async () => {
    const { result } = await explainFile(path.join(FIX, 'fail-reserved-areas.txt'));
    expect(result.log.failure).toBe('TDMR [0x0, 0x80000000): reserved areas exhausted.');
    expect(result.model!.failure).toBe(result.log.failure);
    expect(result.diagnosis[0].remedies[0]).toMatch(/kernel\.holes=cmr.*the model then initializes/);
    const cmr = await explainFile(path.join(FIX, 'fail-reserved-areas.txt'), { sets: ['kernel.holes=cmr'] });
    expect(cmr.result.model!.initialized).toBe(true);
    expect(cmr.result.agree.outcome).toBe(false);
  });

  it('a 1.0 module is inferred from the refused TDH.SYS.RD', async () => {
    const { result } = await explainFile(path.join(FIX, 'fail-tdx10.txt'));
    expect((result.platform!.module as { version: string }).version).toBe('1.0');
    expect(result.model!.failure).toBe('SEAMCALL (0x0000000000000022) failed: 0xc000050500000000');
  });

  it('a log that cannot be modeled still gets its diagnosis', async () => {
    const { result } = await explainFile(path.join(FIX, 'fail-not-loaded.txt'));
    expect(result.platform).toBeNull();
    expect(result.model).toBeNull();
    expect(result.agree).toEqual({ pamtKb: null, outcome: null, window: null });
    expect(result.diagnosis[0].cause).toMatch(/cannot be rebuilt.*no memory map and no CMR lines/);
    expect(result.diagnosis.map((d) => d.id)).toEqual(['cannot-rebuild', 'module-not-loaded']);
    expect(result.verdict).toBe('incomplete');
    expect(result.log).toEqual({
      pamtKb: null, initialized: false, failure: 'module not loaded', windowSeconds: null,
      boot: { used: 1, count: 1 }, kernel: null, module: null, cpu: null,
    });
  });

  it('an MSR failure the platform cannot express shows as an outcome disagreement', async () => {
    const { result } = await explainFile(path.join(FIX, 'fail-lpinit-msr.txt'));
    expect(result.agree.outcome).toBe(false);
    expect(result.diagnosis.some((d) => /log failed but the model initializes/.test(d.cause))).toBe(true);
  });
});

describe('agreement and windows', () => {
  it('a PAMT figure the CMRs cannot reproduce is diagnosed', async () => {
    const { result } = await explainFile(path.join(FIX, 'cut-map.txt'));
    expect(result.agree.pamtKb).toBe(false);
    const d = result.diagnosis.find((x) => /disagree on PAMT/.test(x.cause))!;
    expect(d.evidence.line).toBe(5);
    expect(d.remedies[0]).toMatch(/no memory map/);
  });
  it('without CMR lines the log window starts at the module identity line', async () => {
    const { result } = await explainFile(path.join(FIX, 'ok-no-cmr-lines.txt'));
    expect(result.log.windowSeconds).toBeCloseTo(0.3, 6);
    // This made-up window is far slower than the model's 80% interval.
    expect(result.agree).toEqual({ pamtKb: true, outcome: true, window: false });
  });
  it('the model window is TDMR construction to the end of TDMR.INIT', async () => {
    const { result } = await explainFile(path.join(LOGS, 'case-15.txt'), { sets: ['costs.tdmrInitCallUs=20'] });
    const base = await explainFile(path.join(LOGS, 'case-15.txt'));
    expect(result.model!.windowSeconds!).toBeGreaterThan(base.result.model!.windowSeconds!);
  });
  it('text output puts log and model in aligned columns', async () => {
    const run = await explainFile(path.join(LOGS, 'case-14.txt'));
    const text = explainText(run.result, run.context);
    const rows = text.split('\n').filter((l) => /^ {2}(PAMT|outcome|window) /.test(l));
    expect(rows).toHaveLength(3);
    // Start of the third field (the model column): fields are separated by two or more spaces.
    const col = (l: string) => [...l.matchAll(/\S+(?: \S+)*/g)][2].index;
    expect(new Set(rows.map(col)).size).toBe(1);
  });
});

describe('tdxmodel explain (command line)', () => {
  it('--format json prints exactly the contract keys', () => {
    const r = runCli(['explain', path.join(LOGS, 'case-05.txt'), '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['verdict', 'platform', 'log', 'model', 'agree', 'diagnosis']);
    expect(j.log.pamtKb).toBe(j.model.pamtKb);
  });
  it('text by default, with a diagnosis section', () => {
    const r = runCli(['explain', path.join(FIX, 'fail-hibernation.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/diagnosis:\n {2}1\. .*hibernation/);
    expect(r.stdout).toMatch(/nohibernate/);
  });
  it('a bad --set is a usage error', () => {
    const r = runCli(['explain', path.join(LOGS, 'case-05.txt'), '--set', 'kernel.holes=sideways']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/kernel\.holes/);
  });
  it('a file that is not a kernel log is refused', () => {
    const r = runCli(['explain', path.join(HERE, 'fixtures/import/lscpu.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/explain needs a kernel log/);
  });
});
