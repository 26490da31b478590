// Numbers a hand-written or generated platform gets wrong: each is refused with exit 2 and one
// line naming the file, the field and the rule.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { expectInputError } from './helpers/fuzz.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tdx-numbers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function doc(end: string): string {
  return `{"name":"n","memory":[{"start":"0x100000","end":"0x80000000"},{"start":"0x100000000","end":${end}}]}`;
}

const CASES: [string, string, RegExp][] = [
  ['hex over u64', '"0x10000000000000000"', /memory\[1\]\.end: .*overflows 64 bits/],
  ['decimal string over u64', '"18446744073709551616"', /memory\[1\]\.end: .*overflows 64 bits/],
  ['JSON integer over u64', '18446744073709551616', /memory\[1\]\.end: integer too large/],
  ['u64 max, over the address limit', '"0xffffffffffffffff"', /memory\[1\]\.end: must not exceed 2\^52/],
  ['negative number', '-4096', /memory\[1\]\.end: must not be negative/],
  ['negative hex', '"-0x1000"', /memory\[1\]\.end: must not be negative/],
  ['fraction', '4294971392.5', /memory\[1\]\.end: must be an integer/],
  ['exponent overflow', '1e400', /memory\[1\]\.end: must be a finite number/],
  ['unit string on an address', '"64G"', /memory\[1\]\.end: unit strings are for sizes only/],
  ['empty string', '""', /memory\[1\]\.end: expected an integer/],
];

describe('numbers', () => {
  it.each(CASES)('%s is refused', (name, end, rule) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, doc(end));
    expectInputError(runCli(['construct', file, '--out', path.join(dir, 'out.json')]), { file, rule });
    expect(readdirSync(dir).filter((f) => f.includes('out'))).toEqual([]);
  });

  it.each([['NaN'], ['Infinity'], ['-Infinity']])('%s (not JSON) is a syntax error with the line', (word) => {
    const file = path.join(dir, `${word}.json`);
    writeFileSync(file, `{\n"memory": [\n{"start": ${word}, "end": "0x80000000"}]}`);
    expectInputError(runCli(['construct', file]), { file: `${file}:3`, rule: `${word} is not a JSON number` });
  });
});
