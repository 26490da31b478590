// Inputs too big to hold are refused with the limit they broke, before they exhaust memory:
// 4,194,304 (2^22) entries per array, 256 MiB per input (TDXMODEL_MAX_INPUT_BYTES).
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, openSync, writeSync, closeSync, truncateSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './helpers/cli.js';
import { expectInputError } from './helpers/fuzz.js';
import { parseJsonStrict } from '../src/platform/json.js';
import { validatePlatform } from '../src/platform/validate.js';
import { maxInputBytes, MAX_INPUT_BYTES } from '../src/platform/load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tdx-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LOG = '[    8.366483] virt/tdx: BIOS enabled: private KeyID range [32, 64)\n';

describe('input limits', () => {
  it('a 10-million-region platform is refused at the array limit with the field path', () => {
    const file = path.join(dir, 'ten-million.json');
    const fd = openSync(file, 'w');
    writeSync(fd, '{"name":"ten-million","memory":[');
    const chunk = '{"start":4096,"end":8192},'.repeat(100_000);
    for (let i = 0; i < 100; i++) writeSync(fd, chunk);
    writeSync(fd, '{"start":4096,"end":8192}]}');
    closeSync(fd);
    // A heap cap well under the default shows it is refused, not merely survived.
    const r = spawnSync(process.execPath, ['--max-old-space-size=1500', '--import', 'tsx', '-e',
      `import(${JSON.stringify(path.resolve('src/cli.ts'))}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`,
      '--', 'construct', file], { encoding: 'utf8', timeout: 120_000 });
    expectInputError({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, { file, where: 'memory', rule: 'more than 4194304 entries' });
  }, 120_000);

  it('validation refuses more than 2^22 memory regions given in-process (not from JSON)', () => {
    const doc = { memory: Array.from({ length: 2 ** 22 + 1 }, () => 0) };
    expect(() => validatePlatform(doc)).toThrow(/^memory: at most 4194304 entries/);
  });

  it('objects and values in all are capped too', () => {
    expect(() => parseJsonStrict('[' + '[{},{},{},{}],'.repeat(2 ** 21) + '{}]', 'many.json')).toThrow(/many\.json:1: the document: more than 8388608 objects and arrays/);
  });

  it('a log over the size limit is refused before it is read (sparse file)', () => {
    const file = path.join(dir, 'huge.log');
    writeFileSync(file, LOG);
    truncateSync(file, MAX_INPUT_BYTES + 1);
    expectInputError(runCli(['calibrate', file]), { file, rule: `input is over the ${MAX_INPUT_BYTES}-byte limit` });
  });

  it('TDXMODEL_MAX_INPUT_BYTES lowers the limit for files and standard input', () => {
    const file = path.join(dir, 'small.log');
    writeFileSync(file, LOG.repeat(10));
    const env = { ...process.env, TDXMODEL_MAX_INPUT_BYTES: '100' };
    const run = (args: string[], input?: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '-e',
        `import(${JSON.stringify(path.resolve('src/cli.ts'))}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`,
        '--', ...args], { encoding: 'utf8', env, input, timeout: 60_000 });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    expectInputError(run(['calibrate', file]), { file, rule: 'input is over the 100-byte limit (set TDXMODEL_MAX_INPUT_BYTES to raise it)' });
    expectInputError(run(['simulate', '-'], ' '.repeat(101)), { file: '<stdin>', rule: 'over the 100-byte limit' });
    expect(run(['construct', '-'], '{"memory":[{"start":"0x100000","end":"0x80000000"}]}').code).toBe(0);
  });

  it('a malformed TDXMODEL_MAX_INPUT_BYTES is a usage error', () => {
    process.env.TDXMODEL_MAX_INPUT_BYTES = '1e9';
    try {
      expect(() => maxInputBytes()).toThrow(/TDXMODEL_MAX_INPUT_BYTES must be a whole number/);
    } finally {
      delete process.env.TDXMODEL_MAX_INPUT_BYTES;
    }
    expect(maxInputBytes()).toBe(MAX_INPUT_BYTES);
  });

  it('an endless device is cut off, not read forever', () => {
    expectInputError(runCli(['construct', '/dev/zero']), { file: '/dev/zero', rule: 'binary data (NUL byte)' });
  });
});
