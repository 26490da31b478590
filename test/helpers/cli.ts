// Run the command line from source in a child process: exit code, stdout and stderr as a user
// sees them (the in-process main() cannot show what an uncaught error would do).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const RUNNER = `import(${JSON.stringify(CLI)}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string | Buffer): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', RUNNER, '--', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
