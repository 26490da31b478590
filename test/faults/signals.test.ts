// Fault injection, signals: SIGINT, SIGTERM and SIGHUP while a command writes --out. The
// temporary file is gone, the exit code is 128 + the signal number, and the target is either
// absent or (sweep, which winds down) a whole prefix of the rows.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, cleanupCli, run, expectOneLine, tempDir, temporaries, JSONL_LINE, PLATFORM } from './harness.js';

const CODE = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
let dir: string;
let spec: string;
let platform: string;

beforeAll(() => {
  cli();
  dir = tempDir('sig');
  platform = path.join(dir, 'p.json');
  writeFileSync(platform, PLATFORM);
  // Far more rows than a test waits for: the signal always lands mid-sweep.
  spec = path.join(dir, 'big.json');
  writeFileSync(spec, JSON.stringify({ base: 'preset:default', grid: { 'costs.tdmrInitCallUs': Array.from({ length: 2000 }, (_, i) => i + 1), 'costs.lpInitUs': Array.from({ length: 200 }, (_, i) => i + 1) } }));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

/** A temporary of `base` in `d` that has grown past `bytes`. */
function tmpGrown(d: string, base: string, bytes: number): boolean {
  const t = readdirSync(d).find((f) => f.startsWith(`.${base}.`) && f.endsWith('.tmp'));
  if (!t) return false;
  try {
    return statSync(path.join(d, t)).size > bytes;
  } catch {
    return false;
  }
}

describe.concurrent('a signal during sweep --out', () => {
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`${sig}: exit ${CODE[sig]}, no temporary, the file is a whole prefix of the rows`, async () => {
      const d = tempDir(`sweep-${sig}`);
      const out = path.join(d, 'rows.csv');
      const r = await run(['sweep', spec, '--workers', '1', '--out', out], { signal: { name: sig, ready: () => tmpGrown(d, 'rows.csv', 2000) } });
      expectOneLine(r, CODE[sig], /sweep interrupted: \d+ of 400000 rows written/);
      expect(temporaries(d)).toEqual([]);
      const rows = readFileSync(out, 'utf8').split('\n');
      expect(rows.at(-1)).toBe('');
      expect(rows.length - 2).toBe(Number(/(\d+) of/.exec(r.stderr)![1]));
      rows.slice(1, -1).forEach((row, i) => expect(row.startsWith(`${i},`)).toBe(true));
      rmSync(d, { recursive: true });
    });
  }

});

describe.concurrent('a signal during other commands', () => {
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`construct --jsonl - --out, ${sig} mid-stream: exit ${CODE[sig]}, no file, no temporary`, async () => {
      const d = tempDir(`jsonl-${sig}`);
      const out = path.join(d, 'r.jsonl');
      // Standard input stays open: the command is mid-stream, its temporary file open.
      const r = await run(['construct', '--jsonl', '-', '--out', out], {
        input: `${JSONL_LINE}\n`.repeat(600), holdStdin: true,
        signal: { name: sig, ready: () => tmpGrown(d, 'r.jsonl', 1000) },
      });
      expectOneLine(r, CODE[sig], `interrupted by ${sig}; ${out} not written`);
      expect(readdirSync(d)).toEqual([]);
      rmSync(d, { recursive: true });
    });
  }

  // With no temporary file open there is nothing to clean up: the signal's default action ends
  // the process at once, even mid-computation (the shell reports 143), and nothing is written.
  it('simulate --trials --out, SIGTERM during the trials: ended by the signal, nothing written', async () => {
    const d = tempDir('sim-term');
    const out = path.join(d, 'r.txt');
    const r = await run(['simulate', 'preset:8s-gnr-64t', '--trials', '1000000', '--workers', '1', '--out', out], { signal: { name: 'SIGTERM', ready: ({ ms }) => ms > 1000 } });
    expect(r.signal).toBe('SIGTERM');
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(readdirSync(d)).toEqual([]);
    rmSync(d, { recursive: true });
  });

  it('--out onto a FIFO nobody reads, SIGTERM: ended at once, the FIFO left as it was', async () => {
    const f = path.join(dir, 'noreader.fifo');
    execFileSync('mkfifo', [f]);
    const r = await run(['construct', platform, '--out', f], { signal: { name: 'SIGTERM', ready: ({ ms }) => ms > 1000 }, timeoutMs: 30_000 });
    expect(r.signal).toBe('SIGTERM');
    expect(r.stderr).toBe('');
    expect(lstatSync(f).isFIFO()).toBe(true);
    expect(temporaries(dir)).toEqual([]);
  });
});
