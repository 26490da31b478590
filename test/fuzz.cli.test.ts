// Fuzz through the real command line: mutated platforms and noise, as files and on standard
// input, to construct and simulate. Every run exits 0 or 2 within the time bound, an exit 2
// prints exactly one line, and --out holds either the complete output or nothing at all.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { caseRng, compileCli, engineDocText, excerpt, FUZZ_SEED, mutatedDocText, randomBytes, runBin, seedDocs, type TimedOutcome } from './helpers/fuzz.js';

const CASES = Number(process.env.FUZZ_CLI_CASES ?? 200);
const CONCURRENCY = 3;
const TIME_BOUND_MS = 20_000;

let cli: { bin: string; root: string };
const work = mkdtempSync(path.join(tmpdir(), 'tdx-fuzz-runs-'));
const seeds = seedDocs();

beforeAll(() => {
  cli = compileCli();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (cli) rmSync(cli.root, { recursive: true, force: true });
});

interface Case {
  i: number;
  args: string[];
  input?: string | Buffer;
  out: string;
  dir: string;
  text: string | Buffer;
}

function makeCase(i: number): Case {
  const rng = caseRng(40, i);
  const dir = path.join(work, `c${i}`);
  const kind = rng.int(10);
  const text: string | Buffer = kind < 4 ? engineDocText(seeds, rng) : kind < 9 ? mutatedDocText(seeds, rng) : randomBytes(rng, rng.int(600));
  const useStdin = rng.chance(0.3);
  const cmd = rng.pick(['construct', 'simulate', 'simulate']);
  const out = path.join(dir, 'out.txt');
  const args = [cmd, useStdin ? '-' : path.join(dir, 'in.json'), '--out', out];
  if (cmd === 'simulate') {
    args.push('--format', rng.pick(['json', 'text']));
    if (rng.chance(0.15)) args.push('--trials', '20', '--workers', '1');
  }
  return { i, args, input: useStdin ? text : undefined, out, dir, text };
}

function judge(c: Case, r: TimedOutcome): string | undefined {
  const what = `case ${c.i} (${c.args.slice(0, 1).join(' ')}${c.input !== undefined ? ' from stdin' : ''}): `;
  const input = `\ninput: ${excerpt(c.text)}\nstderr: ${excerpt(r.stderr, 600)}`;
  if (r.signal) return `${what}killed by ${r.signal} after ${Math.round(r.ms)} ms${input}`;
  if (r.code !== 0 && r.code !== 2) return `${what}exit ${r.code}${input}`;
  const files = readdirSync(c.dir).filter((f) => f !== 'in.json');
  if (r.code === 2) {
    const lines = r.stderr.split('\n').filter(Boolean);
    if (lines.length !== 1 || !lines[0]!.startsWith('tdxmodel: ')) return `${what}exit 2 without exactly one message line${input}`;
    if (r.stdout !== '') return `${what}exit 2 with output on stdout${input}`;
    if (files.length) return `${what}exit 2 left ${files.join(', ')}${input}`;
    return undefined;
  }
  if (files.length !== 1 || files[0] !== 'out.txt') return `${what}exit 0 left ${files.join(', ') || 'nothing'}${input}`;
  const written = readFileSync(c.out, 'utf8');
  const json = c.args[0] === 'construct' || c.args.includes('json');
  if (json) {
    try {
      JSON.parse(written);
    } catch {
      return `${what}exit 0 with an incomplete JSON file (${written.length} bytes)${input}`;
    }
  } else if (!written.endsWith('\n') || written.length < 100) {
    return `${what}exit 0 with a short text report (${written.length} bytes)${input}`;
  }
  return undefined;
}

describe(`fuzz the CLI in child processes (FUZZ_SEED=${FUZZ_SEED})`, () => {
  it(`${CASES} mutated and random inputs: exit 0 or 2, on time, all-or-nothing --out`, async () => {
    const failures: string[] = [];
    let next = 0;
    const counts = { 0: 0, 2: 0 } as Record<number, number>;
    const lane = async (): Promise<void> => {
      while (next < CASES && failures.length < 5) {
        const c = makeCase(next++);
        mkdirSync(c.dir);
        if (c.input === undefined) writeFileSync(path.join(c.dir, 'in.json'), c.text);
        const r = await runBin(cli.bin, c.args, c.input, TIME_BOUND_MS);
        counts[r.code] = (counts[r.code] ?? 0) + 1;
        const f = judge(c, r);
        if (f) failures.push(f);
        rmSync(c.dir, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    expect(failures).toEqual([]);
    // Both outcomes must be well represented, or the mutations are too mild or too harsh.
    expect(counts[0]).toBeGreaterThan(CASES / 10);
    expect(counts[2]).toBeGreaterThan(CASES / 10);
  }, 120_000);

  it('the compiled CLI and the CLI from source agree (so the runs above test the real thing)', async () => {
    for (let i = 0; i < 6; i++) {
      const c = makeCase(1000 + i);
      const input = c.input ?? c.text;
      const args = [c.args[0]!, '-', ...c.args.slice(2).filter((a, k, xs) => a !== '--out' && xs[k - 1] !== '--out')];
      const fromSource = runCli(args, input);
      const compiled = await runBin(cli.bin, args, input, TIME_BOUND_MS);
      expect({ code: compiled.code, stdout: compiled.stdout, stderr: compiled.stderr }).toEqual(fromSource);
    }
    expect(existsSync(cli.bin)).toBe(true);
  }, 60_000);
});
