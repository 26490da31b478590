// Every option works in every format or is refused with one line; values mean what the user
// typed; absurd parameters and wrong kinds of input are refused with the reason.

import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../src/cli.js';
import { parseCommand, closest, type CommandSpec } from '../src/cli/args.js';
import { liveWorkers } from '../src/workers/chunkPool.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  try {
    const code = await main(argv, { write: async (t) => { out += t; } });
    return { code, out, err };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-options-'));
const LOG = path.resolve('test/data/real-logs/case-15.txt');

describe('the option framework', () => {
  const spec: CommandSpec = {
    name: 'x', summary: '', usage: [], examples: [],
    options: [
      { name: 'trials', value: 'N', int: { min: 0, max: 10 }, help: '' },
      { name: 'mode', value: 'M', choices: ['a', 'b'], repeat: true, help: '' },
      { name: 'flag', help: '' },
    ],
  };

  it('an unknown option names the closest one', () => {
    expect(() => parseCommand(['--trails', '5'], spec)).toThrow(/^unknown option --trails \(did you mean --trials\?\)/);
    expect(() => parseCommand(['--zzzzzz'], spec)).toThrow(/^unknown option --zzzzzz \(tdxmodel x --help lists them\)$/);
  });

  it('a repeatable option checks every value against its choices', () => {
    expect(parseCommand(['--mode', 'a', '--mode=b'], spec).lists.get('mode')).toEqual(['a', 'b']);
    expect(() => parseCommand(['--mode', 'a', '--mode', 'c'], spec)).toThrow(/--mode must be one of a, b, got "c"/);
  });

  it('whole-number ranges are checked at parse time', () => {
    expect(() => parseCommand(['--trials', '11'], spec)).toThrow(/--trials must be between 0 and 10, got 11/);
  });

  it('closest() proposes only near names', () => {
    expect(closest('simulat', ['simulate', 'sweep'])).toBe('simulate');
    expect(closest('xyz', ['simulate', 'sweep'])).toBeUndefined();
  });
});

describe('simulate: --trace and --timing', () => {
  it('--trace shows a SEAMCALL table in text', async () => {
    const r = await run(['simulate', 'preset:default', '--trace']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/SEAMCALL trace \(--trace\): \d+ entries/);
    // A TDMR's 65536 TDMR.INIT calls are one entry with its count.
    expect(r.out).toMatch(/\nTDH\.SYS\.TDMR\.INIT +0 .* 65536 +0x0000000000000000 +rcx=0x/);
  });

  it('--timing shows tdxmodel\'s own run time in text', async () => {
    expect((await run(['simulate', 'preset:default', '--timing'])).out).toMatch(/\nTIMING +tdxmodel's own run .*: load [0-9.]+ ms, simulate [0-9.]+ ms, trials [0-9.]+ ms on \d+ worker/);
  });

  it.each([['csv', '--trace'], ['html', '--trace'], ['csv', '--timing'], ['html', '--timing']])('--format %s %s is refused', async (format, flag) => {
    const r = await run(['simulate', 'preset:default', '--format', format, flag]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${flag} is not shown in --format ${format}: use --format text or json`));
    expect(r.out).toBe('');
  });
});

describe('simulate: --seed and --workers', () => {
  it.each(['--seed', '--workers'])('%s without --trials is refused (it would change nothing)', async (flag) => {
    const r = await run(['simulate', 'preset:default', flag, '2']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${flag} applies to the trials: add --trials N`));
  });

  it('--trials with --workers 2 starts the trial worker before the command loads; the run claims it', async () => {
    const r = await run(['simulate', 'preset:default', '--trials', '200', '--workers', '2', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).trials.trials).toBe(200);
    expect(liveWorkers('trials')).toBe(0);
  });

  it('guest --trials with --workers 2 starts the accept worker early; nothing is left behind', async () => {
    const r = await run(['guest', 'preset:td-small', '--trials', '40', '--workers', '2', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).trials.count).toBe(40);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(liveWorkers()).toBe(0);
  });

  it('a worker started early for a run that then fails is not left behind', async () => {
    const r = await run(['simulate', 'no-such-platform.json', '--trials', '200', '--workers', '2']);
    expect(r.code).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(liveWorkers('trials')).toBe(0);
  });
});

describe('construct --jsonl', () => {
  it('refuses --format (the stream is JSON Lines); --out is honoured (test/faults/output.test.ts)', async () => {
    expect((await run(['construct', '--jsonl', '-', '--format', 'text'])).err).toMatch(/construct --jsonl writes JSON Lines only: drop --format/);
  });
});

describe('--set', () => {
  it('keeps the text of a string field as typed', async () => {
    const r = await run(['simulate', 'preset:default', '--set', 'module.version=1.10', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).platform.moduleVersion).toBe('1.10');
  });

  it('still reads numbers and booleans as JSON elsewhere', async () => {
    const r = await run(['simulate', 'preset:default', '--set', 'module.maxTdmrs=2', '--format', 'json']);
    expect(JSON.parse(r.out).construct.maxTdmrs).toBe(2);
  });

  it.each([
    ['costs.allocBandwidthGBps=1e-300', /costs\.allocBandwidthGBps: must be between 0\.01 and 100000 GB\/s \(the plausible range\), got 1e-300/],
    ['costs.tdmrInitCallUs=1e12', /costs\.tdmrInitCallUs: must be between 0\.01 and 100000 µs/],
    ['costs.tdmrInitSigma=50', /costs\.tdmrInitSigma: must be between 0 and 3/],
  ])('refuses an absurd parameter: %s', async (set, rule) => {
    const r = await run(['simulate', 'preset:default', '--set', set]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(rule);
  });

  it('refuses an absurd parameter in the platform document too', async () => {
    const doc = JSON.parse((await run(['presets', '--dump', 'default'])).out);
    doc.costs = { allocBandwidthGBps: 1e-300 };
    const file = path.join(dir, 'absurd.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await run(['simulate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/allocBandwidthGBps: must be between/);
  });
});

describe('a kernel log where a platform document belongs', () => {
  it.each([
    [['simulate', LOG]],
    [['compare', LOG, 'preset:default']],
    [['gate', '--baseline', path.join(dir, 'none.json'), '--write-baseline', LOG]],
  ])('%j says which command reads it', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/this looks like a kernel log, not a platform document: use tdxmodel explain .* or tdxmodel import /);
  });

  it('other captures name import', async () => {
    const r = await run(['simulate', path.resolve('test/fixtures/import/lscpu.txt')]);
    expect(r.err).toMatch(/this looks like lscpu -p output, not a platform document: use tdxmodel import/);
  });

  it('a broken JSON document still gets its JSON error', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"memory": [}');
    const r = await run(['simulate', file]);
    expect(r.err).not.toMatch(/looks like/);
    expect(r.err).toMatch(/broken\.json:1/);
  });
});

describe('compare', () => {
  it('refuses --policy beside --policies (one would be ignored)', async () => {
    const r = await run(['compare', 'preset:default', '--policies', 'mainline,parallel-tdmr', '--policy', 'v7-2022']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/compare takes --policy \(both inputs\) or --policies P1,P2 \(one input\), not both/);
  });
});

describe('presets', () => {
  it('--out writes the list; a stray argument is refused with a hint', async () => {
    const file = path.join(dir, 'presets.txt');
    expect((await run(['presets', '--out', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^preset/);
    expect((await run(['presets', 'default'])).err).toMatch(/did you mean --dump default\?/);
  });
});
