// tdxmodel guest through the command line: formats, the JSON contract, bad input, determinism.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tdxmodel-guest-'));

describe('tdxmodel guest', () => {
  it('JSON carries every key of the documented contract (docs/guest-schema.md)', () => {
    const r = runCli(['guest', 'preset:td-small', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe('tdxmodel-guest');
    expect(j.version).toBe(1);
    for (const k of ['firmwareSeconds', 'toInitSeconds', 'acceptedAtInitGiB']) expect(typeof j.boot[k]).toBe('number');
    expect('fullyAcceptedSeconds' in j.memory).toBe(true);
    expect(typeof j.memory.sharedBytes).toBe('number');
    for (const k of ['mean', 'p50', 'p95', 'p99', 'max']) expect(typeof j.attestation.latencySeconds[k]).toBe('number');
    expect(typeof j.attestation.throughputPerSecond).toBe('number');
    for (const k of ['ok', 'ebusy', 'eio', 'timeout']) expect(typeof j.attestation.outcomes[k]).toBe('number');
    expect(j.parameters.length).toBeGreaterThan(10);
    for (const p of j.parameters) expect(['measured', 'derived', 'assumed', 'source']).toContain(p.label);
    expect(j.defaulted.map((d: { field: string }) => d.field)).toContain('kernel.version');
  });

  it('text names the defaulted fields and prints the parameter table', () => {
    const r = runCli(['guest', 'preset:td-small']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('defaulted fields:');
    expect(r.stdout).toContain('attestation.pollMs = 1000');
    expect(r.stdout).toMatch(/acceptFaultLateUs\s+153\s+µs\s+measured/);
  });

  it('reads a YAML file and standard input', () => {
    const f = join(dir, 'td.yaml');
    writeFileSync(f, 'vcpus: 2\nmemoryGiB: 4\nkernel:\n  version: "7.0"\n');
    const a = JSON.parse(runCli(['guest', f, '--format', 'json']).stdout);
    expect(a.td.kernel.version).toBe('7.0');
    const b = JSON.parse(runCli(['guest', '-', '--format', 'json'], '{"vcpus": 2, "memoryGiB": 4}').stdout);
    expect(b.td.vcpus).toBe(2);
  });

  it('--set changes document fields and costs; the report says so', () => {
    const j = JSON.parse(runCli(['guest', 'preset:td-small', '--set', 'vcpus=16', '--set', 'costs.acceptFaultUs=10', '--format', 'json']).stdout);
    expect(j.td.vcpus).toBe(16);
    expect(j.parameters.find((p: { name: string }) => p.name === 'acceptFaultUs')).toMatchObject({ value: 10, label: 'override' });
  });

  it('CSV has one record per metric; HTML is one self-contained page with the three charts', () => {
    const csv = runCli(['guest', 'preset:td-small', '--format', 'csv']).stdout;
    expect(csv.split('\n')[0]).toBe('section,name,value,unit');
    expect(csv).toMatch(/^boot,toInitSeconds,[0-9.]+,s$/m);
    const html = runCli(['guest', 'preset:td-small', '--format', 'html']).stdout;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const label of ['Boot timeline', 'Accepted memory over time', 'Quote latency distribution']) expect(html).toContain(`aria-label="${label}"`);
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('--out writes the file atomically', () => {
    const f = join(dir, 'r.json');
    expect(runCli(['guest', 'preset:td-small', '--format', 'json', '--out', f]).code).toBe(0);
    expect(JSON.parse(readFileSync(f, 'utf8')).schema).toBe('tdxmodel-guest');
  });

  it('same seed, same bytes, whatever --workers', () => {
    const args = ['guest', 'preset:td-small', '--set', 'workload.allocators=2', '--set', 'costs.acceptJitter=0.2', '--trials', '6', '--format', 'json'];
    const a = runCli([...args, '--workers', '1']).stdout;
    const b = runCli([...args, '--workers', '2']).stdout;
    expect(a).toBe(b);
    expect(JSON.parse(a).trials.count).toBe(6);
  });

  it.each([
    [['guest', '-'], '{"memoryGiB": 4}', /^tdxmodel: <stdin>: vcpus: required/],
    [['guest', '-'], '{"vcpus": 2, "memoryGiB": 4, "host": {"privatePageSize": "1G"}}', /^tdxmodel: <stdin>: host.privatePageSize: must be one of 4K, 2M, got "1G"/],
    [['guest', '-'], '{"vcpus": 2,, }', /^tdxmodel: <stdin>:1: /],
    [['guest', 'preset:td-small', '--set', 'costs.nope=1'], undefined, /costs.nope: unknown guest cost parameter/],
    [['guest', 'preset:nope'], undefined, /preset:nope: unknown TD preset/],
    [['guest', 'preset:td-small', '--format', 'xml'], undefined, /--format must be one of/],
    [['guest'], undefined, /usage: tdxmodel guest/],
  ])('bad input %j: one line naming the field and the rule, exit 2', (args, input, msg) => {
    const r = runCli(args as string[], input as string | undefined);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('a bad input leaves no output file behind', () => {
    const f = join(dir, 'never.json');
    expect(runCli(['guest', '-', '--out', f], '{"vcpus": 0, "memoryGiB": 4}').code).toBe(2);
    expect(existsSync(f)).toBe(false);
    expect(readdirSync(dir).filter((x) => x.endsWith('.tmp'))).toEqual([]);
  });

  it('guest decode VALUE goes to the ABI decoder', () => {
    const r = runCli(['guest', 'decode', '0x10002']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('TDVMCALL_GET_QUOTE');
  });

  it('a TD beyond the calibrated vCPU range says its times are extrapolated', () => {
    const j = JSON.parse(runCli(['guest', '-', '--format', 'json'], '{"vcpus": 512, "memoryGiB": 64}').stdout);
    expect(j.notes.join(' ')).toMatch(/512 vCPUs is beyond the largest measured TD \(248\)/);
  });

  it('a kernel without configfs-tsm quotes still boots; its quotes are "not modeled", with the reason', () => {
    const r = runCli(['guest', '-', '--format', 'json'], '{"vcpus": 4, "memoryGiB": 8, "kernel": {"version": "6.2"}}');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.boot.toInitSeconds).toBeGreaterThan(0);
    expect(j.attestation.modeled).toBe(false);
    expect(j.attestation.reason).toMatch(/6.7/);
    expect(j.attestation.latencySeconds.p50).toBeNull();
  });

  it('presets lists the TD presets', () => {
    const r = runCli(['presets']);
    expect(r.stdout).toContain('TD presets');
    expect(r.stdout).toContain('td-dstack-248');
  });
});
