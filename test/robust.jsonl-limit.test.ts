// construct --jsonl reads a stream of any length, but one line is one input: an endless line
// is refused at the input limit with its line number, not buffered until memory runs out.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expectInputError } from './helpers/fuzz.js';

const RUNNER = `import(${JSON.stringify(path.resolve('src/cli.ts'))}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`;
const LINE = '{"memory":[{"start":"0x100000","end":"0x80000000"}]}';

function run(input: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', RUNNER, '--', 'construct', '--jsonl', '-'], {
    input, encoding: 'utf8', env: { ...process.env, TDXMODEL_MAX_INPUT_BYTES: '1000' }, timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('construct --jsonl line limit', () => {
  it('lines under the limit stream through, however many', () => {
    const r = run(`${LINE}\n`.repeat(300));
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(300);
  });

  it('a line over the limit is refused with its line number', () => {
    expectInputError(run(`${LINE}\n${LINE}\n${' '.repeat(5000)}`), { file: '<stdin>', where: 'line 3', rule: 'line is over the 1000-byte input limit' });
  });
});
