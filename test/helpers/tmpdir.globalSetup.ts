// One owner for the test suite's temporary files: every test (and every CLI process a test
// spawns) inherits TMPDIR pointing into one folder made for this run, and the folder goes when
// the run ends, whatever a test forgot to remove.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tdxmodel-test-run-'));
  // As /tmp itself (sticky, open to all): fault tests run commands as another user inside it.
  chmodSync(dir, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
