// tdxmodel construct: single mode, --jsonl streaming with error lines, engines, exit codes.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli } from './helpers/cli.js';
import { VECTORS_PATH } from './helpers/vectors.js';

const lines = readFileSync(VECTORS_PATH, 'utf8').trim().split('\n');
const first = JSON.parse(lines[0]);

describe('tdxmodel construct', () => {
  it('prints the RESULT of one platform from stdin as canonical JSON', () => {
    for (const engine of ['wasm', 'ts']) {
      const r = runCli(['construct', '-', '--engine', engine], JSON.stringify(first.input));
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(JSON.stringify(first.expected) + '\n');
    }
  });

  it('--jsonl: one line per input line, in order, invalid lines reported and the run goes on', () => {
    const input = [lines[0], '{"memory": [{"start": "0x2000", "end": "0x1000"}]}', 'not json', lines[1]].join('\n') + '\n';
    const r = runCli(['construct', '--jsonl', '-'], input);
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n');
    expect(out).toHaveLength(4);
    expect(out[0]).toBe(JSON.stringify(first.expected));
    expect(JSON.parse(out[1])).toMatchObject({ ok: false, error: 'INVALID_INPUT' });
    expect(JSON.parse(out[1]).message).toContain('memory[0].end');
    expect(JSON.parse(out[2])).toMatchObject({ ok: false, error: 'INVALID_INPUT' });
    expect(out[3]).toBe(JSON.stringify(JSON.parse(lines[1]).expected));
  });

  it('an invalid platform in single mode: exit 2, one line naming the field and the rule', () => {
    const r = runCli(['construct', '-'], '{"memory": [{"start": "0x1000", "end": "0x1800", "node": 0}]}');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('memory[0].end: must be 4 KiB aligned');
  });

  it('a missing file and an unknown preset: exit 2', () => {
    expect(runCli(['construct', '/nonexistent/platform.json']).code).toBe(2);
    const p = runCli(['construct', 'preset:nope']);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('default');
  });

  it('preset:default in text form', () => {
    const r = runCli(['construct', 'preset:default', '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/TDMRs of 64, PAMT \d+ KB/);
  });
});
