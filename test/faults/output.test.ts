// Fault injection, output side: --out onto things that are not regular files, standard output
// closed or full, long names, permissions. Each case: the exit code, one line (or nothing) on
// standard error, no stack trace, and no partial or temporary file left behind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cli, cleanupCli, run, withFd, expectOneLine, expectPipeClosed, tempDir, temporaries, JSONL_LINE, PLATFORM, ROOT, NOBODY } from './harness.js';

let dir: string;
let platform: string;
let jsonl: string;
let expected: string;

beforeAll(async () => {
  cli();
  dir = tempDir('out');
  chmodSync(dir, 0o755);
  platform = path.join(dir, 'p.json');
  writeFileSync(platform, PLATFORM);
  jsonl = path.join(dir, 'many.jsonl');
  writeFileSync(jsonl, `${JSONL_LINE}\n`.repeat(3000));
  expected = (await run(['simulate', platform])).stdout;
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

/** Whether a device node can be made here (CAP_MKNOD): tried in a directory of our own. */
const MKNOD = ((): boolean => {
  const d = tempDir('mknod');
  try {
    execFileSync('mknod', [path.join(d, 'probe'), 'c', '1', '3'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
})();

function fifo(name: string): string {
  const f = path.join(dir, name);
  execFileSync('mkfifo', [f]);
  return f;
}

describe.concurrent('--out onto what is not a regular file', () => {
  it('/dev/null is written through and stays a character device', async () => {
    const r = await run(['simulate', platform, '--out', '/dev/null']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(temporaries('/dev')).toEqual([]);
  });

  it.skipIf(!MKNOD)('a character device made in a temporary directory stays one', async () => {
    const dev = path.join(dir, 'null-copy');
    execFileSync('mknod', [dev, 'c', '1', '3']);
    const r = await run(['construct', platform, '--out', dev]);
    expect(r.code).toBe(0);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    expect(temporaries(dir)).toEqual([]);
  });

  it('/dev/full is one line naming ENOSPC, exit 2, and stays a character device', async () => {
    expectOneLine(await run(['simulate', platform, '--out', '/dev/full']), 2, 'cannot write /dev/full: ENOSPC');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('/dev/stdout writes to standard output and stays a symlink', async () => {
    const r = await run(['simulate', platform, '--out', '/dev/stdout']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });

  it('a FIFO with a reader gets the whole output and stays a FIFO', async () => {
    const f = fifo('reader.fifo');
    const got = new Promise<string>((resolve) => {
      let s = '';
      import('node:fs').then(({ createReadStream }) => createReadStream(f, 'utf8').on('data', (d) => (s += d)).on('end', () => resolve(s)));
    });
    const r = await run(['simulate', platform, '--out', f]);
    expect(r.code).toBe(0);
    expect(await got).toBe(expected);
    expect(lstatSync(f).isFIFO()).toBe(true);
    expect(temporaries(dir)).toEqual([]);
  });

  it('a FIFO whose reader goes away ends quietly with 141', async () => {
    const f = fifo('gone.fifo');
    const { createReadStream } = await import('node:fs');
    const s = createReadStream(f);
    s.once('data', () => s.destroy());
    expectPipeClosed(await run(['construct', '--jsonl', jsonl, '--out', f]));
    expect(lstatSync(f).isFIFO()).toBe(true);
  });

  it('a directory is one line naming EISDIR, exit 2, left as it was', async () => {
    const d = path.join(dir, 'adir');
    mkdirSync(d);
    expectOneLine(await run(['simulate', platform, '--out', d]), 2, `cannot write ${d}: EISDIR`);
    expect(readdirSync(d)).toEqual([]);
  });

  it('a symlink to a directory is refused the same way', async () => {
    const d = path.join(dir, 'bdir');
    mkdirSync(d);
    symlinkSync(d, path.join(dir, 'blink'));
    expectOneLine(await run(['construct', platform, '--out', path.join(dir, 'blink')]), 2, 'EISDIR');
    expect(lstatSync(path.join(dir, 'blink')).isSymbolicLink()).toBe(true);
  });

  it('a symlink to a file writes the file and stays a symlink', async () => {
    const target = path.join(dir, 'target.txt');
    writeFileSync(target, 'old');
    symlinkSync(target, path.join(dir, 'flink'));
    const r = await run(['simulate', platform, '--out', path.join(dir, 'flink')]);
    expect(r.code).toBe(0);
    expect(readlinkSync(path.join(dir, 'flink'))).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(expected);
  });

  it('a dangling symlink creates its target, as the shell does', async () => {
    const target = path.join(dir, 'created-by-link.txt');
    symlinkSync(target, path.join(dir, 'dlink'));
    expect((await run(['simulate', platform, '--out', path.join(dir, 'dlink')])).code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(expected);
  });

  it('a file name of 255 bytes (NAME_MAX) is written, no temporary left', async () => {
    const d = tempDir('long');
    const name = path.join(d, `${'é'.repeat(120)}${'x'.repeat(15)}`);
    expect(Buffer.byteLength(path.basename(name))).toBe(255);
    const r = await run(['simulate', platform, '--out', name]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(name, 'utf8')).toBe(expected);
    expect(readdirSync(d)).toHaveLength(1);
    rmSync(d, { recursive: true });
  });

  it('a file name over NAME_MAX is one line (ENAMETOOLONG), exit 2', async () => {
    expectOneLine(await run(['simulate', platform, '--out', path.join(dir, 'y'.repeat(256))]), 2, 'ENAMETOOLONG');
  });

  it('a regular file is still replaced atomically: same bytes, no temporary', async () => {
    const d = tempDir('atomic');
    const f = path.join(d, 'r.txt');
    writeFileSync(f, 'previous');
    expect((await run(['simulate', platform, '--out', f])).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(expected);
    expect(readdirSync(d)).toEqual(['r.txt']);
    rmSync(d, { recursive: true });
  });

  it.skipIf(!ROOT)('a read-only directory (another user): EACCES, exit 2, nothing created', async () => {
    const d = tempDir('ro');
    chmodSync(d, 0o755); // root's: nobody may not write here
    expectOneLine(await run(['simulate', platform, '--out', path.join(d, 'x.txt')], { user: NOBODY }), 2, 'cannot write');
    expect(readdirSync(d)).toEqual([]);
    rmSync(d, { recursive: true });
  });

  it.skipIf(!ROOT)('an unreadable input (another user): EACCES, exit 2', async () => {
    const f = path.join(dir, 'secret.json');
    writeFileSync(f, PLATFORM, { mode: 0o600 });
    expectOneLine(await run(['simulate', f], { user: NOBODY }), 2, `${f}: cannot read: EACCES`);
  });
});

describe.concurrent('standard output closed or full', () => {
  it('simulate > /dev/full: one line, exit 2', async () => {
    const r = await withFd('/dev/full', 'w', (fd) => run(['simulate', platform], { stdout: fd }));
    expectOneLine(r, 2, 'cannot write standard output: ENOSPC');
  });

  it('construct --jsonl > /dev/full: one line, exit 2', async () => {
    const r = await withFd('/dev/full', 'w', (fd) => run(['construct', '--jsonl', jsonl], { stdout: fd }));
    expectOneLine(r, 2, 'cannot write standard output: ENOSPC');
  });

  it('presets > /dev/full: one line, exit 2', async () => {
    expectOneLine(await withFd('/dev/full', 'w', (fd) => run(['presets'], { stdout: fd })), 2, 'ENOSPC');
  });

  it('construct --jsonl F | head: quiet, exit 141', async () => {
    expectPipeClosed(await run(['construct', '--jsonl', jsonl], { stdout: 'close-after-first-read' }));
  });

  it('construct --jsonl - | head, standard input still open: quiet, exit 141, no hang', async () => {
    const r = await run(['construct', '--jsonl', '-'], { input: `${JSONL_LINE}\n`.repeat(3000), stdout: 'close-after-first-read', holdStdin: true, timeoutMs: 30_000 });
    expectPipeClosed(r);
  });

  it('simulate --format json with the reader gone before the first byte: quiet, exit 141', async () => {
    expectPipeClosed(await run(['simulate', platform, '--format', 'json', '--trace'], { stdout: 'closed' }));
  });

  it('import with the reader gone: quiet, exit 141', async () => {
    const log = path.join(dir, 'boot.txt');
    writeFileSync(log, '[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n');
    const r = await run(['import', log], { stdout: 'closed' });
    // What the importer assumed still goes to standard error (one warning a line); nothing else does.
    expectPipeClosed({ ...r, stderr: r.stderr.split('\n').filter((l) => l && !l.startsWith('tdxmodel import: warning: ')).join('\n') });
  });

  it('--help with the reader gone: quiet, exit 141', async () => {
    expectPipeClosed(await run(['--help'], { stdout: 'closed' }));
  });

  it('sweep | head: quiet, exit 141, workers gone (the process ends)', async () => {
    const spec = path.join(dir, 'pipe-spec.json');
    writeFileSync(spec, JSON.stringify({ base: 'preset:default', grid: { 'costs.tdmrInitCallUs': Array.from({ length: 400 }, (_, i) => i + 1), 'costs.lpInitUs': [1, 2, 3, 4, 5] } }));
    expectPipeClosed(await run(['sweep', spec, '--workers', '2'], { stdout: 'close-after-first-read', timeoutMs: 60_000 }));
  });

  it('standard error closed and bad input: still exit 2, no crash', async () => {
    const r = await run(['simulate', path.join(dir, 'missing.json')], { stderrClosed: true });
    expect(r.code).toBe(2);
  });
});

describe.concurrent('construct --jsonl as every other command', () => {
  it('--out is honoured: the file holds every line, standard output is empty', async () => {
    const f = path.join(dir, 'jsonl-out.jsonl');
    const r = await run(['construct', '--jsonl', jsonl, '--out', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(f, 'utf8').split('\n')).toHaveLength(3001);
  });

  it('a directory is bad input: exit 2', async () => {
    expectOneLine(await run(['construct', '--jsonl', dir]), 2, `${dir}: is a directory, expected a file`);
  });

  it('a missing file is bad input: exit 2', async () => {
    expectOneLine(await run(['construct', '--jsonl', path.join(dir, 'nope.jsonl')]), 2, 'cannot read: ENOENT');
  });

  it('an over-long line with --out: exit 2, no file and no temporary', async () => {
    const d = tempDir('jsonl-long');
    const f = path.join(d, 'r.jsonl');
    const r = await run(['construct', '--jsonl', '-', '--out', f], { input: `${JSONL_LINE}\n${'x'.repeat(5000)}\n`, env: { TDXMODEL_MAX_INPUT_BYTES: '1000' } });
    expectOneLine(r, 2, 'line is over the 1000-byte input limit');
    expect(existsSync(f)).toBe(false);
    expect(temporaries(d)).toEqual([]);
    rmSync(d, { recursive: true });
  });

  it('gate --write-baseline onto a directory: exit 2', async () => {
    expectOneLine(await run(['gate', '--baseline', dir, '--write-baseline', 'preset:default']), 2, 'EISDIR');
  });
});
