// What every benchmark JSON records about where it ran.
import os from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function machineInfo(): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
  const v = (n: string): string => lock.packages?.[`node_modules/${n}`]?.version ?? 'unknown';
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tdxmodel: pkg.version,
    assemblyscript: v('assemblyscript'),
    tinybench: v('tinybench'),
    date: new Date().toISOString(),
  };
}

/** `--json FILE` from the command line, if given. */
export function jsonTarget(argv: string[]): string | undefined {
  const i = argv.indexOf('--json');
  if (i < 0) return undefined;
  return argv[i + 1] ?? 'bench-results.json';
}

/** Writes a bench's JSON to `target`, making its folder first (bench/results/ is not committed). */
export function writeBenchJson(target: string, doc: Record<string, unknown>): void {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(doc, null, 2) + '\n');
}
