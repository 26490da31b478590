// Whole documents that are broken (or merely unusual) as text: refused with exit 2 and one line
// naming the file and line, or (CRLF, BOM) accepted with the same result as the plain file.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { expectInputError } from './helpers/fuzz.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tdx-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PLAIN = '{\n  "name": "plain",\n  "memory": [\n    {"start": "0x100000", "end": "0x80000000"}\n  ]\n}\n';

function put(name: string, data: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}

describe('documents as text', () => {
  const expected = runCli(['construct', put('plain.json', PLAIN)]);

  it('the plain document constructs', () => {
    expect(expected.code).toBe(0);
    expect(expected.stdout).toMatch(/^\{"ok":true/);
  });

  it('CRLF line ends are accepted', () => {
    const r = runCli(['construct', put('crlf.json', PLAIN.replace(/\n/g, '\r\n'))]);
    expect(r).toEqual(expected);
  });

  it('a UTF-8 BOM is accepted', () => {
    const r = runCli(['construct', put('bom.json', '\ufeff' + PLAIN)]);
    expect(r).toEqual(expected);
  });

  it('a UTF-8 BOM with CRLF, from standard input, is accepted', () => {
    expect(runCli(['construct', '-'], '\ufeff' + PLAIN.replace(/\n/g, '\r\n'))).toEqual(expected);
  });

  it('a duplicated key is refused with its line and object', () => {
    const file = put('dup.json', '{\n  "memory": [{"start": "0x100000", "end": "0x80000000"}],\n  "name": "a",\n  "name": "b"\n}');
    expectInputError(runCli(['construct', file]), { file: `${file}:4`, rule: 'duplicated key "name" in the document' });
  });

  it('a duplicated key deep inside is refused with its field path', () => {
    const file = put('dup2.json', '{"memory": [{"start": "0x100000", "end": "0x80000000", "end": "0x90000000"}]}');
    expectInputError(runCli(['construct', file]), { file: `${file}:1`, rule: 'duplicated key "end" in memory[0]' });
  });

  it.each([['empty', ''], ['blank', ' \r\n\t\n'], ['BOM only', '\ufeff']])('an %s file is refused', (_n, text) => {
    const file = put(`empty-${_n.replace(/\W/g, '')}.json`, text);
    expectInputError(runCli(['construct', file]), { file, rule: 'empty document' });
  });

  it('binary garbage with NUL bytes is refused as binary', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const file = put('garbage.bin', bytes);
    expectInputError(runCli(['simulate', file]), { file, rule: 'binary data (NUL byte)' });
  });

  it('binary garbage without NUL bytes is a syntax error with a line', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => 1 + ((i * 7919 + 13) % 255)));
    const file = put('garbage2.bin', bytes);
    expectInputError(runCli(['simulate', file]), { where: new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+`), rule: /unexpected|expected|control character/ });
  });

  it('UTF-16 text is named as such', () => {
    const file = put('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PLAIN, 'utf16le')]));
    expectInputError(runCli(['construct', file]), { file, rule: 'UTF-16 text' });
  });

  it('deeply nested arrays are refused without a stack overflow', () => {
    const file = put('deep.json', '['.repeat(500_000) + ']'.repeat(500_000));
    expectInputError(runCli(['construct', file]), { file: `${file}:1`, rule: 'nesting deeper than 64 levels' });
  });

  it('a truncated document names the end', () => {
    const file = put('cut.json', PLAIN.slice(0, 40));
    expectInputError(runCli(['construct', file]), { file, rule: /unterminated string|unexpected end/ });
  });

  it('a huge string is carried without trouble and refused by its field rule', () => {
    const file = put('huge.json', `{"name": 7, "description": "${'x'.repeat(50_000_000)}", "memory": [{"start": "0x100000", "end": "0x80000000"}]}`);
    expectInputError(runCli(['construct', file]), { file, where: 'name', rule: 'expected a string, got number 7' });
  });

  it('a huge key in an error message is cut, keeping the line short', () => {
    const file = put('hugekey.json', `{"${'k'.repeat(1_000_000)}": 1, "memory": []}`);
    const r = runCli(['construct', file]);
    expectInputError(r, { file, rule: 'unknown field' });
    expect(r.stderr.length).toBeLessThan(5000);
  });

  it('control characters and escape sequences from the input are escaped, not printed', () => {
    const file = put('ctl.json', '{"na\\u001b[31mme\\nX": 1, "memory": []}');
    const r = runCli(['construct', file]);
    expectInputError(r, { file, rule: 'unknown field' });
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('na\\u001b[31mme\\nX');
  });
});

describe('YAML platform documents', () => {
  it('are accepted and validated like JSON; duplicate keys refused with a line', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadPlatform } = await import('../src/platform/load.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-yaml-'));
    const ok = path.join(dir, 'p.yaml');
    writeFileSync(ok, 'name: yaml-box\nmemory:\n  - {start: "0x100000", end: "0x80000000", node: 0}\n  - {start: "0x100000000", end: 0x400000000, node: 0}\n');
    const p = await loadPlatform(ok);
    expect(p.name).toBe('yaml-box');
    expect(p.memory[1].end).toBe(16 * 2 ** 30);
    const dup = path.join(dir, 'dup.yaml');
    writeFileSync(dup, 'name: a\nname: b\nmemory: []\n');
    await expect(loadPlatform(dup)).rejects.toThrow(/dup\.yaml:2/);
  });
});
