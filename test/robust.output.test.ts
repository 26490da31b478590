// The one writer (src/cli/output.ts), in process: where --out goes, what a failed write says,
// and what a signal exits with. The same causes end to end are in test/faults/.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openOutput, writeOutput, temporaryName, randomTag, signalExitCode, OutputClosedError, EXIT_PIPE_CLOSED, type Out } from '../src/cli/output.js';
import { InputError } from '../src/platform/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tdx-robust-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const unused: Out = { write: () => Promise.reject(new Error('standard output must not be used')) };

describe('the one writer', () => {
  it('a temporary name stays within NAME_MAX however long the target name is', async () => {
    for (const base of ['r.json', 'x'.repeat(255), 'é'.repeat(127)]) {
      const tmp = path.basename(temporaryName(path.join(dir, base), await randomTag()));
      expect(Buffer.byteLength(tmp)).toBeLessThanOrEqual(255);
      expect(tmp).toMatch(/^\..*\.[0-9a-f]{8}\.tmp$/);
    }
  });

  it('a cut name never splits a character', async () => {
    const tmp = path.basename(temporaryName(path.join(dir, '€'.repeat(85)), await randomTag()));
    expect(tmp).not.toContain('\ufffd');
    expect(Buffer.from(tmp).toString('utf8')).toBe(tmp);
  });

  it('/dev/null is written through and stays a character device', async () => {
    await writeOutput('/dev/null', 'x'.repeat(100_000), unused);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('/dev/full is an InputError naming ENOSPC', async () => {
    await expect(writeOutput('/dev/full', 'x', unused)).rejects.toThrow(new InputError('', 'cannot write /dev/full: ENOSPC (no space left on device)'));
  });

  it('a directory is an InputError naming EISDIR', async () => {
    await expect(writeOutput(dir, 'x', unused)).rejects.toThrow(/cannot write .*: EISDIR \(is a directory\)/);
  });

  it('a sink discarded after writing leaves neither the file nor a temporary', async () => {
    const f = path.join(dir, 'dropped.txt');
    const sink = await openOutput(f, unused);
    await sink.write('partial');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
    sink.discard();
    expect(readdirSync(dir).filter((n) => n.startsWith('.dropped') || n === 'dropped.txt')).toEqual([]);
  });

  it('a sink finished publishes every write in order', async () => {
    const f = path.join(dir, 'ordered.txt');
    const sink = await openOutput(f, unused);
    for (let i = 0; i < 100; i++) void sink.write(`${i}\n`);
    await sink.finish();
    expect(readFileSync(f, 'utf8')).toBe(Array.from({ length: 100 }, (_, i) => `${i}\n`).join(''));
  });

  it('after a failed write every later write and finish() fail the same way', async () => {
    let calls = 0;
    const closed: Out = { write: () => { calls++; return Promise.reject(new OutputClosedError('standard output')); } };
    const sink = await openOutput(undefined, closed);
    await expect(sink.write('a')).rejects.toBeInstanceOf(OutputClosedError);
    await expect(sink.write('b')).rejects.toBeInstanceOf(OutputClosedError);
    await expect(sink.finish()).rejects.toBeInstanceOf(OutputClosedError);
    expect(calls).toBe(1);
  });

  it('exit codes: 128 + the signal number, 141 for a closed pipe', () => {
    expect([signalExitCode('SIGHUP'), signalExitCode('SIGINT'), signalExitCode('SIGTERM')]).toEqual([129, 130, 143]);
    expect(EXIT_PIPE_CLOSED).toBe(141);
  });
});
