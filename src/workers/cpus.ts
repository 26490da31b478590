// How many CPUs this process may keep busy: its affinity mask (os.availableParallelism()) and,
// in a container, the CPU quota of its cgroup, which Node 20's libuv (1.46) does not read. A
// Kubernetes pod limited to 2 CPUs on a 64-CPU node (a sweep shard: examples/k8s/) sees 64
// through availableParallelism alone; a pool of 64 threads there gets 2 CPUs' worth of time and
// still holds 64 heaps. The quota is CFS bandwidth control (Linux
// Documentation/scheduler/sched-bwc.rst): cgroup v2 `cpu.max` holds "QUOTA PERIOD" or
// "max PERIOD"; cgroup v1 `cpu.cfs_quota_us` (-1: none) and `cpu.cfs_period_us`.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** The CPUs a quota of `quota` µs every `period` µs keeps busy (rounded up, at least 1); undefined for no quota. */
export function quotaCpus(quota: number, period: number): number | undefined {
  if (!(quota > 0) || !(period > 0)) return undefined;
  return Math.max(1, Math.ceil(quota / period));
}

/** cgroup v2 `cpu.max`: "max 100000" (no quota) or "200000 100000" (2 CPUs). */
export function cpuMaxCpus(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  return quota === 'max' ? undefined : quotaCpus(Number(quota), Number(period));
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** This process's cgroup paths from /proc/self/cgroup: v2 ("0::/path") and v1's cpu controller ("N:cpu,cpuacct:/path"). */
export function ownCgroups(text: string): { v2?: string; cpu?: string } {
  const own: { v2?: string; cpu?: string } = {};
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(\/.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '') own.v2 = m[2];
    else if (m[1].split(',').includes('cpu')) own.cpu = m[2];
  }
  return own;
}

/** The mount's root and each cgroup under it down to `path`: a parent's quota bounds its children. */
function downTo(mount: string, path: string | undefined): string[] {
  const dirs = [mount];
  for (const part of (path ?? '/').split('/').filter(Boolean)) dirs.push(`${dirs[dirs.length - 1]}/${part}`);
  return dirs;
}

/**
 * The CPU quota of this process's cgroup as CPUs: the lowest on its path (its own cgroup and
 * those above it, as far as the mount shows them; a container sees its own at the root), v2
 * first, then v1 under either mount name. Undefined where there is none, or no file to read
 * (not Linux).
 */
export function cgroupCpus(read: (path: string) => string | undefined = readText): number | undefined {
  const own = ownCgroups(read('/proc/self/cgroup') ?? '');
  const v2 = downTo('/sys/fs/cgroup', own.v2).map((dir) => read(`${dir}/cpu.max`)).filter((t) => t !== undefined);
  if (v2.length) return lowest(v2.map(cpuMaxCpus));
  for (const mount of ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct']) {
    const v1 = downTo(mount, own.cpu)
      .map((dir) => [read(`${dir}/cpu.cfs_quota_us`), read(`${dir}/cpu.cfs_period_us`)] as const)
      .filter(([quota, period]) => quota !== undefined && period !== undefined);
    if (v1.length) return lowest(v1.map(([quota, period]) => quotaCpus(Number(quota), Number(period))));
  }
  return undefined;
}

/** The lowest of the limits found; undefined when none is a limit. */
function lowest(limits: (number | undefined)[]): number | undefined {
  const found = limits.filter((n) => n !== undefined);
  return found.length ? Math.min(...found) : undefined;
}

// Read once: neither the affinity nor the quota changes under a run in practice.
let usable: number | undefined;

/** The CPUs this process may keep busy: its affinity, and its cgroup's quota where lower. */
export function usableCpus(): number {
  usable ??= Math.max(1, Math.min(availableParallelism(), cgroupCpus() ?? Infinity));
  return usable;
}
