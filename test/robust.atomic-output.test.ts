// --out FILE is written through a temporary file renamed into place: a failing run leaves
// neither the file nor a temporary behind, and a successful one leaves exactly the file.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, symlinkSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { expectInputError } from './helpers/fuzz.js';
import { writeOutput, stdoutOut } from '../src/cli/output.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fresh(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'tdx-out-'));
  made.push(d);
  return d;
}

describe('atomic --out', () => {
  it('a run that fails on its input leaves no file and no temporary file', () => {
    const dir = fresh();
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"memory": [{"start": "0x100000", "end": "0x100000"}]}');
    for (const cmd of ['simulate', 'construct', 'compare']) {
      const args = cmd === 'compare' ? [cmd, bad, 'preset:default'] : [cmd, bad];
      expectInputError(runCli([...args, '--format', 'json', '--out', path.join(dir, `${cmd}.json`)]), { file: bad, where: 'memory[0].end' });
    }
    expect(readdirSync(dir)).toEqual(['bad.json']);
  });

  it('a write that fails (the target is a directory) leaves no temporary file and exits 2', () => {
    const dir = fresh();
    const target = path.join(dir, 'out');
    mkdtempSync(target);
    const r = runCli(['construct', 'preset:default', '--out', path.join(dir, readdirSync(dir)[0]!)]);
    expectInputError(r, { rule: /cannot write .*: (EISDIR|EEXIST|ENOTEMPTY|EPERM)/ });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing directory is a one-line error, nothing created', () => {
    const dir = fresh();
    expectInputError(runCli(['construct', 'preset:default', '--out', path.join(dir, 'no/such/dir/out.json')]), { rule: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a successful run leaves exactly the complete file', () => {
    const dir = fresh();
    const out = path.join(dir, 'r.json');
    const r = runCli(['simulate', 'preset:default', '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
  });

  it('a planted symlink at a temporary-looking name is never written through', async () => {
    const dir = fresh();
    const victim = path.join(dir, 'victim');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, path.join(dir, `.out.json.${process.pid}.tmp`));
    await writeOutput(path.join(dir, 'out.json'), 'new', stdoutOut);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('new');
    expect(existsSync(path.join(dir, `.out.json.${process.pid}.tmp`))).toBe(true);
  });
});
