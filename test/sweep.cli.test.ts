// The sweep command as a user runs it: output to stdout or an atomically written file, quiet
// standard error off a terminal, shards merged back by `sweep --merge`, and Ctrl-C.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/cli.js';
import { parseSpecText, parseSweepSpec } from '../src/model/sweep/spec.js';
import { SweepEvaluator } from '../src/model/sweep/evaluate.js';
import { formatRows, headerText } from '../src/model/sweep/output.js';
import { loadEngine } from '../src/kernels/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'tdxmodel-sweep-'));
const SMALL = join(dir, 'small.yaml');
writeFileSync(SMALL, 'base: preset:default\ngrid:\n  sockets: [1, 2]\n  snc: [1, 2]\n  policy: [mainline, parallel-tdmr]\n');
// Far more rows than a test waits for: Ctrl-C always lands mid-sweep.
const BIG = join(dir, 'big.json');
const bigSpec = { base: 'preset:default', grid: { 'costs.tdmrInitCallUs': Array.from({ length: 1000 }, (_, i) => i + 1), 'costs.lpInitUs': Array.from({ length: 100 }, (_, i) => i + 1) } };
writeFileSync(BIG, JSON.stringify(bigSpec));

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const RUNNER = `import(${JSON.stringify(CLI)}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`;

/** The first n rows of the big sweep as the command prints them. */
async function bigPrefix(n: number): Promise<string> {
  const plan = parseSweepSpec(parseSpecText(JSON.stringify(bigSpec), BIG), BIG, { readFile: () => '' });
  const ev = new SweepEvaluator(plan, await loadEngine('wasm'));
  return headerText(plan, 'csv') + (n ? formatRows(plan, 'csv', ev.evaluate({ start: 0, count: n, step: 1 }), 0, 1) : '');
}

/** Runs the CLI, sends SIGINT once `ready` says so, resolves with what the user saw. */
function interrupt(args: string[], ready: (stdout: string) => boolean): Promise<{ code: number | null; stdout: string; stderr: string; afterSignalMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', RUNNER, '--', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const poke = (): void => {
      if (!sentAt && ready(stdout)) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    };
    const timer = setInterval(poke, 50);
    child.stdout.on('data', (d) => { stdout += d; poke(); });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, afterSignalMs: Date.now() - sentAt });
    });
  });
}

describe('sweep command', () => {
  it('writes CSV to stdout, nothing on a non-terminal stderr; --out is the same bytes', () => {
    const r = runCli(['sweep', SMALL, '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('index,sockets,snc,policy,totalMemoryGiB,lpCount,socketCount,initialized,error,step,tdmrs,reservedAreas,pamtKb,totalUs,tdmrInitUs,readyP50Us,readyP100Us,floorUs,message');
    expect(r.stdout.trim().split('\n')).toHaveLength(9);
    const out = join(dir, 'small.csv');
    const f = runCli(['sweep', SMALL, '--workers', '1', '--out', out]);
    expect(f.code).toBe(0);
    expect(f.stdout).toBe('');
    // After --out, one summary line: rows, failures, time, where.
    expect(f.stderr).toMatch(/^tdxmodel: sweep: 8 rows \([0-9]+ failed to initialize, 0 of them invalid combinations\) in [0-9.]+ s → .*small\.csv\n$/);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('--shard and --merge: three shards merge into the unsharded output', () => {
    const whole = runCli(['sweep', SMALL, '--workers', '1', '--format', 'jsonl']).stdout;
    const files = [1, 2, 3].map((k) => {
      const f = join(dir, `shard${k}.jsonl`);
      expect(runCli(['sweep', SMALL, '--workers', '1', '--format', 'jsonl', '--shard', `${k}/3`, '--out', f]).code).toBe(0);
      return f;
    });
    const merged = runCli(['sweep', '--merge', files[2], files[1], files[0]]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(whole);
    const missing = runCli(['sweep', '--merge', files[0], files[2]]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('tdxmodel: row 1 is in none of the files: a shard is missing or was interrupted\n');
  }, 60_000);

  it('Ctrl-C on stdout: exit 130, the rows done so far in order and whole, workers gone', async () => {
    const r = await interrupt(['sweep', BIG, '--workers', '2'], (out) => out.split('\n').length > 6);
    expect(r.code).toBe(130);
    expect(r.afterSignalMs).toBeLessThan(15_000);
    expect(r.stderr).toMatch(/^tdxmodel: sweep interrupted: \d+ of 100000 rows written\n$/);
    const rows = r.stdout.split('\n').length - 2;
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(rows).toBeGreaterThanOrEqual(5);
    expect(rows).toBeLessThan(100_000);
    expect(Number(/(\d+) of/.exec(r.stderr)![1])).toBe(rows);
    expect(r.stdout).toBe(await bigPrefix(rows));
  }, 60_000);

  it('Ctrl-C with --out: the file holds the rows done so far, written atomically', async () => {
    const out = join(dir, 'big.csv');
    const tmpOf = (): string | undefined => readdirSync(dir).find((n) => n.startsWith('.big.csv.') && n.endsWith('.tmp'));
    const r = await interrupt(['sweep', BIG, '--workers', '1', '--out', out], () => {
      const tmp = tmpOf();
      return tmp !== undefined && statSync(join(dir, tmp)).size > 2000;
    });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(tmpOf()).toBeUndefined();
    expect(existsSync(out)).toBe(true);
    const text = readFileSync(out, 'utf8');
    const rows = text.split('\n').length - 2;
    expect(rows).toBeGreaterThan(0);
    expect(r.stderr).toBe(`tdxmodel: sweep interrupted: ${rows} of 100000 rows written\n`);
    expect(text).toBe(await bigPrefix(rows));
  }, 60_000);
});

describe('sweep progress bar', () => {
  it('draws rows, percentage, rate and ETA on one line; colour only without NO_COLOR', async () => {
    const { progressBar } = await import('../src/cli/sweep.js');
    let plain = '';
    const bar = progressBar({ write: (s: string) => { plain += s; } }, { NO_COLOR: '1' });
    bar.update(0, 200);
    await new Promise((r) => setTimeout(r, 120));
    bar.update(50, 200);
    bar.update(51, 200); // within 100 ms of the last draw: skipped
    bar.update(200, 200); // the last one is always drawn
    bar.end();
    const frames = plain.split('\r').filter(Boolean);
    expect(frames).toHaveLength(4);
    expect(frames[0]).toMatch(/^sweep \[\.{30}\] 0\/200 0% 0 rows\/s ETA --:--\x1b\[K$/);
    expect(frames[1]).toMatch(/^sweep \[#{8}\.{22}\] 50\/200 25% \d+ rows\/s ETA \d+:\d\d\x1b\[K$/);
    expect(frames[2]).toMatch(/^sweep \[#{30}\] 200\/200 100% \d+ rows\/s ETA 0:00\x1b\[K$/);
    expect(frames[3]).toBe('\x1b[K');
    expect(plain).not.toMatch(/\x1b\[3\dm/);
    let coloured = '';
    progressBar({ write: (s: string) => { coloured += s; } }, {}).update(1, 2);
    expect(coloured).toMatch(/\x1b\[32m#{15}\.{15}\x1b\[0m/);
  });
});
