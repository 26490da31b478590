// `tdxmodel COMMAND --help` and `tdxmodel help COMMAND` document the command from its own
// option declaration: usage, every option with its values and default, formats, exit codes,
// examples (which themselves parse); -V prints the version.

import { describe, it, expect, vi, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from '../src/cli.js';
import { parseCommand, type CommandSpec } from '../src/cli/args.js';

const COMMANDS = ['simulate', 'construct', 'import', 'explain', 'sweep', 'compare', 'gate', 'calibrate', 'presets'];

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, { write: async (t) => { out += t; } });
  return { code, out };
}

async function spec(name: string): Promise<CommandSpec> {
  const m = (await import(`../src/cli/${name}.ts`)) as Record<string, unknown>;
  return Object.values(m).find((v): v is CommandSpec => typeof v === 'object' && v !== null && (v as CommandSpec).name === name && 'options' in v)!;
}

afterEach(() => vi.restoreAllMocks());

describe.each(COMMANDS)('tdxmodel %s --help', (name) => {
  it('prints usage, every option with its values and default, exit codes and examples; exit 0', async () => {
    const { code, out } = await run([name, '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^usage: tdxmodel ${name}`));
    const s = await spec(name);
    for (const o of s.options) {
      expect(out).toContain(`--${o.name}${o.value ? ` ${o.value}` : ''}`);
      for (const c of o.choices ?? []) expect(out).toContain(c);
      if (typeof o.default === 'string') expect(out).toContain(`default: ${o.default}`);
      if (o.defaultHelp) expect(out).toContain(`default: ${o.defaultHelp}`);
    }
    for (const code of ['0  ', '1  ', '2  ', '3  ']) expect(out).toContain(`\n  ${code}`);
    expect(out).toContain('--debug');
    expect(out).toMatch(new RegExp(`examples:\\n {2}.*tdxmodel ${name}`));
  });

  it('help COMMAND prints the same', async () => {
    expect((await run(['help', name])).out).toBe((await run([name, '--help'])).out);
  });

  it('every example uses only options the command declares', async () => {
    const s = await spec(name);
    for (const example of s.examples) {
      // Each tdxmodel command of the line, up to a shell operator.
      const runs = example.split(/\s+(?:&&|\||>|\(|;)\s*/).map((c) => c.trim().split(/\s+/)).filter((w) => w[0] === 'tdxmodel' && w[1] === name);
      expect(runs.length, example).toBeGreaterThan(0);
      for (const words of runs) expect(() => parseCommand(words.slice(2), s), example).not.toThrow();
    }
  });
});

describe('documented hidden knowledge', () => {
  it('simulate --help names the policy settings (parallel-tdmr CPU count) and every cost parameter with its range', async () => {
    const { out } = await run(['simulate', '--help']);
    expect(out).toMatch(/kernel\.initCpus=K +parallel-tdmr: TDMR\.INIT on K CPUs/);
    expect(out).toMatch(/allocBandwidthGBps +default 20 GB\/s \(assumed\); accepted 0\.01 to 100000/);
  });

  it('gate --help lists the metrics with their units', async () => {
    const { out } = await run(['gate', '--help']);
    expect(out).toMatch(/time +timeUs \(µs\)/);
    expect(out).toMatch(/tdmrs +tdmrs \(a count\)/);
  });

  it('sweep --help lists the axes', async () => {
    expect((await run(['sweep', '--help'])).out).toMatch(/structural \(rebuild the machine\): memoryPerSocket, sockets, snc/);
  });
});

describe('top level', () => {
  it('-V and --version print the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await run(['-V'])).toEqual({ code: 0, out: `tdxmodel ${version}\n` });
    expect((await run(['--version'])).out).toBe(`tdxmodel ${version}\n`);
  });

  it('tdxmodel --help lists every command; no command at all is a usage error', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(out).toContain(`\n  ${c} `);
    expect((await run([])).code).toBe(2);
  });

  it('help for an unknown command names the closest one', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await run(['help', 'simulat'])).code).toBe(2);
    expect(String(err.mock.calls[0][0])).toMatch(/unknown command "simulat" \(did you mean simulate\?\)/);
  });

  it('--help after -- is an argument, not a request for help', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await run(['simulate', '--', '--help'])).code).toBe(2);
    expect(String(err.mock.calls[0][0])).toMatch(/--help: cannot read: ENOENT/);
  });
});
