// The same input and seed give byte-identical `simulate --format json --trials 500` whatever
// the number of worker threads, and from one run to the next (separate processes).
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve('src/cli.ts');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(CLI)}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`, '--', ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('determinism', () => {
  it('workers 1, 2 and 8, twice each: byte-identical JSON', async () => {
    const base = ['simulate', 'preset:default', '--format', 'json', '--trials', '500', '--seed', '424242'];
    const runs: { workers: number; stdout: string }[] = [];
    for (const workers of [1, 2, 8, 1, 2, 8]) {
      const r = await run([...base, '--workers', String(workers)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      runs.push({ workers, stdout: r.stdout });
    }
    const first = runs[0]!.stdout;
    expect(JSON.parse(first).trials.trials).toBe(500);
    for (const r of runs) expect(r.stdout, `--workers ${r.workers}`).toBe(first);
    // A different seed must change the trials, or the comparison above proves nothing.
    const other = await run([...base.slice(0, -1), '424243', '--workers', '2']);
    expect(other.stdout).not.toBe(first);
  }, 120_000);
});
