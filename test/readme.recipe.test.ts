// The README's "On a real machine" recipe, run as written: its shell block is taken from the
// README itself and run by bash, with the machine faked underneath. /sys and /proc/iomem are a
// tree under a temporary root (their paths gain that prefix, which the importer accepts, as it
// accepts a host sysfs mounted at /host/sys); sudo, dmesg, lscpu and tdxmodel are small
// scripts on PATH (dmesg prints a real 512 GiB host's log, tdxmodel runs this checkout).

import { describe, it, expect } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIX = path.join(ROOT, 'test/fixtures/import');

/** The shell block after the install block of "## On a real machine". */
function recipe(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## On a real machine'));
  const blocks = [...section.slice(0, section.indexOf('\n## ', 5)).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const block = blocks.find((b) => b.includes('tdxmodel import'));
  if (!block) throw new Error('README: no recipe block with tdxmodel import under "On a real machine"');
  return block;
}

/** A sysfs tree with the memory blocks of test/fixtures/import/sys-node.txt. */
function fakeMachine(root: string): void {
  const memDir = path.join(root, 'sys/devices/system/memory');
  mkdirSync(memDir, { recursive: true });
  writeFileSync(path.join(memDir, 'block_size_bytes'), '80000000\n');
  for (const line of readFileSync(path.join(FIX, 'sys-node.txt'), 'utf8').split('\n')) {
    const m = /^\/sys\/devices\/system\/node\/(node\d+)\/(memory\d+)/.exec(line);
    if (m) mkdirSync(path.join(root, 'sys/devices/system/node', m[1], m[2]), { recursive: true });
  }
  mkdirSync(path.join(root, 'proc'));
  writeFileSync(path.join(root, 'proc/iomem'), readFileSync(path.join(FIX, 'iomem.txt')));
}

function shims(bin: string): void {
  mkdirSync(bin);
  const script = (name: string, body: string): void => {
    writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  script('sudo', 'exec "$@"');
  script('dmesg', `cat ${JSON.stringify(path.join(ROOT, 'test/data/real-logs/case-15.txt'))}`);
  script('lscpu', `[ "$1" = -p ] || exit 1; cat ${JSON.stringify(path.join(FIX, 'lscpu.txt'))}`);
  const cli = path.join(ROOT, 'src/cli.ts');
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  script('tdxmodel', `exec ${JSON.stringify(process.execPath)} --import ${tsx} -e 'import(process.argv[1]).then((m) => m.main(process.argv.slice(2))).then((c) => { process.exitCode = c; })' ${JSON.stringify(cli)} "$@"`);
}

describe('README: on a real machine', () => {
  it('every command of the recipe runs and succeeds on a fake machine', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-recipe-'));
    const fake = path.join(dir, 'root');
    fakeMachine(fake);
    shims(path.join(dir, 'bin'));
    const work = path.join(dir, 'work');
    mkdirSync(work);
    const text = recipe().replaceAll('/sys/', `${fake}/sys/`).replaceAll('/proc/iomem', `${fake}/proc/iomem`);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', text], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, NO_COLOR: '1', NODE_OPTIONS: '' },
      timeout: 300_000,
    });
    expect(r.stderr.split('\n').filter((l) => /tdxmodel: |command not found|No such file/.test(l))).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(path.join(work, 'me.json'), 'utf8'));
    // The sysfs listing was read: the document says it used it.
    expect(JSON.stringify(doc.source)).toContain('nodes.txt');
    expect(existsSync(path.join(work, 'explain.html'))).toBe(true);
  }, 300_000);
});
