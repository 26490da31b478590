// Fault injection, input side: YAML documents too big, too deep or more than one; corrupt,
// truncated and binary files; inputs that are not files; and what reaches the terminal. Each
// case: exit 2 and one line naming the file (and line) and the rule, never a stack trace.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { cli, cleanupCli, run, expectOneLine, tempDir, JSONL_LINE } from './harness.js';

let dir: string;
const put = (name: string, data: string | Buffer): string => {
  const f = path.join(dir, name);
  writeFileSync(f, data);
  return f;
};
const OK_YAML = 'name: ok\nmemory:\n  - {start: 0x100000, end: 0x80000000}\n';

beforeAll(() => {
  cli();
  dir = tempDir('in');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

describe.concurrent('YAML documents', () => {
  it('a 10 MB list of 5 million entries is refused quickly, not run out of memory', async () => {
    const f = put('huge.yaml', `name: x\nmemory:\n${'- 1\n'.repeat(2_500_000)}`);
    const r = await run(['construct', f], { timeoutMs: 60_000 });
    expectOneLine(r, 2, /huge\.yaml:\d+: more than 1048576 YAML tokens/);
    expect(r.ms).toBeLessThan(30_000);
  });

  it('a 10 MB flow list in a sweep spec is refused the same way', async () => {
    const f = put('huge-spec.yaml', `base: preset:default\ngrid:\n  costs.lpInitUs: [${Array(5_000_000).fill('1').join(',')}]\n`);
    expectOneLine(await run(['sweep', f], { timeoutMs: 60_000 }), 2, /huge-spec\.yaml:3: more than 1048576 YAML tokens/);
  });

  it('a second document in a platform file is refused with its line', async () => {
    expectOneLine(await run(['simulate', put('two.yaml', `${OK_YAML}---\nname: other\n`)]), 2, /two\.yaml:4: a second YAML document/);
  });

  it('an empty second document is refused too', async () => {
    expectOneLine(await run(['construct', put('two-empty.yaml', `${OK_YAML}---\n`)]), 2, 'a second YAML document');
  });

  it('a second document in a sweep spec is refused', async () => {
    expectOneLine(await run(['sweep', put('two-spec.yaml', 'base: preset:default\ngrid:\n  sockets: [1]\n---\ngrid:\n  sockets: [2]\n')]), 2, /two-spec\.yaml:4: a second YAML document/);
  });

  it('one document opened with --- and closed with ... is accepted', async () => {
    expect((await run(['construct', put('marked.yaml', `---\n${OK_YAML}...\n`)])).code).toBe(0);
  });

  it('flow nesting deeper than 64 levels is refused', async () => {
    expectOneLine(await run(['construct', put('deep.yaml', `name: x\nmemory: ${'['.repeat(200)}${']'.repeat(200)}\n`)]), 2, 'nesting deeper than 64 levels');
  });

  it('block nesting deeper than 64 levels (- - - …) is refused', async () => {
    expectOneLine(await run(['construct', put('deep2.yaml', `${'- '.repeat(5000)}1\n`)]), 2, 'nesting deeper than 64 levels');
  });

  it('an alias bomb is refused', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const r = await run(['construct', put('bomb.yaml', `${lines.join('\n')}\n`)]);
    expectOneLine(r, 2, /bomb\.yaml/);
  });

  it('a YAML document cut off mid-collection names its line', async () => {
    expectOneLine(await run(['construct', put('cut.yaml', 'name: x\nmemory:\n  - {start: 0x100000, end: 0x8')]), 2, /cut\.yaml:\d+/);
  });
});

describe.concurrent('corrupt, truncated and binary inputs', () => {
  it('a JSON document cut off mid-string names the end', async () => {
    expectOneLine(await run(['simulate', put('cut.json', '{"name": "x", "memory": [{"start": "0x1000')]), 2, /cut\.json:1: .*unterminated string/);
  });

  it('random binary is refused as binary', async () => {
    const bytes = Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 2654435761) % 251));
    expectOneLine(await run(['explain', put('noise.bin', bytes)]), 2, 'binary data (NUL byte)');
  });

  it('a binary line in construct --jsonl is reported in place, the others construct', async () => {
    const r = await run(['construct', '--jsonl', put('mixed.jsonl', Buffer.concat([Buffer.from(`${JSONL_LINE}\n`), Buffer.from([0x7b, 0x00, 0xff, 0x1b, 0x0a]), Buffer.from(`${JSONL_LINE}\n`)]))]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.ok)).toEqual([true, false, true]);
    expect(lines[1].message).toMatch(/^line 2/);
  });

  it('a file that is cut to 0 bytes is an empty document', async () => {
    expectOneLine(await run(['simulate', put('zero.json', '')]), 2, 'empty document');
  });

  it('/dev/null as input is an empty document', async () => {
    expectOneLine(await run(['construct', '/dev/null']), 2, '/dev/null: empty document');
  });

  it('/dev/zero as input is refused as binary at once', async () => {
    expectOneLine(await run(['import', '/dev/zero']), 2, '/dev/zero: binary data (NUL byte)');
  });

  it('a FIFO as input is read to its end', async () => {
    const f = path.join(dir, 'in.fifo');
    execFileSync('mkfifo', [f]);
    const w = createWriteStream(f);
    w.end('{"name":"fifo","memory":[{"start":"0x100000","end":"0x80000000"}]}');
    const r = await run(['construct', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\{"ok":true/);
  });

  it('a symlink loop is one line naming ELOOP', async () => {
    symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
    symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
    expectOneLine(await run(['simulate', path.join(dir, 'loop-a')]), 2, 'ELOOP');
  });

  it('a directory as a sweep spec is one line', async () => {
    expectOneLine(await run(['sweep', dir]), 2, 'is a directory');
  });

  it('a huge sparse file is refused by its size before it is read', async () => {
    const f = path.join(dir, 'sparse.json');
    execFileSync('truncate', ['-s', '300M', f]);
    const r = await run(['simulate', f]);
    expectOneLine(r, 2, 'input is over the 268435456-byte limit');
    rmSync(f);
  });
});

describe.concurrent('what reaches the terminal', () => {
  it('a zero-width space in a field name is shown escaped', async () => {
    const r = await run(['construct', put('zw.json', '{"name":"x","memory\u200b":[{"start":"0x100000","end":"0x80000000"}]}')]);
    expectOneLine(r, 2, 'memory\\u200b: unknown field');
    expect(r.stderr).not.toContain('\u200b');
  });

  it('a bidi override in a value is shown escaped', async () => {
    const r = await run(['construct', put('rlo.json', '{"name":"x","memory":[{"start":"0x100000\u202e","end":"0x80000000"}]}')]);
    expectOneLine(r, 2, '\\u202e');
    expect(r.stderr).not.toContain('\u202e');
  });

  it('ESC and BEL in a platform name are escaped in simulate, construct and compare text', async () => {
    const f = put('esc.json', '{"name":"a\\u001b[2J\\u0007b","memory":[{"start":"0x100000","end":"0x80000000"}]}');
    for (const args of [['simulate', f], ['construct', f, '--format', 'text'], ['compare', f, 'preset:default']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    }
    expect((await run(['simulate', f])).stdout).toContain('a\\u001b[2J\\u0007b');
  });

  it('a control character in a file name is escaped in the error', async () => {
    const r = await run(['simulate', path.join(dir, 'no\x1b[31mpe.json')]);
    expectOneLine(r, 2, 'no\\u001b[31mpe.json: cannot read: ENOENT');
  });
});
