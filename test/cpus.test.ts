// The CPUs a run may keep busy: the affinity mask, and a container's CFS quota where lower
// (cgroup v2 cpu.max, v1 cpu.cfs_quota_us / cpu.cfs_period_us), which Node 20 does not read.
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { cgroupCpus, cpuMaxCpus, ownCgroups, quotaCpus, usableCpus } from '../src/workers/cpus.js';

describe('a CFS quota as CPUs', () => {
  it('rounds a fraction of a CPU up, and is at least one', () => {
    expect(quotaCpus(200_000, 100_000)).toBe(2);
    expect(quotaCpus(150_000, 100_000)).toBe(2);
    expect(quotaCpus(50_000, 100_000)).toBe(1);
    expect(quotaCpus(1_000, 100_000)).toBe(1);
  });

  it('is no limit for -1 (v1), a zero or a period that is not a number', () => {
    expect(quotaCpus(-1, 100_000)).toBeUndefined();
    expect(quotaCpus(0, 100_000)).toBeUndefined();
    expect(quotaCpus(200_000, Number.NaN)).toBeUndefined();
  });

  it('reads cgroup v2 cpu.max: "max PERIOD" is no limit', () => {
    expect(cpuMaxCpus('max 100000\n')).toBeUndefined();
    expect(cpuMaxCpus('400000 100000\n')).toBe(4);
    expect(cpuMaxCpus('250000 100000')).toBe(3);
  });
});

describe('the cgroup files', () => {
  const files = (map: Record<string, string>) => (path: string): string | undefined => map[path];

  it('v2 first: a pod limited to 2 CPUs', () => {
    expect(cgroupCpus(files({ '/sys/fs/cgroup/cpu.max': '200000 100000\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '800000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }))).toBe(2);
  });

  it('v1 under either mount name', () => {
    expect(cgroupCpus(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '300000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }))).toBe(3);
    expect(cgroupCpus(files({ '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '100000\n', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n' }))).toBe(1);
    expect(cgroupCpus(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }))).toBeUndefined();
  });

  it('finds its own cgroup in /proc/self/cgroup (v2 "0::", v1 the cpu controller)', () => {
    expect(ownCgroups('0::/\n')).toEqual({ v2: '/' });
    expect(ownCgroups('9:name=systemd:/\n2:cpuacct:/\n1:cpu,cpuacct:/kubepods/pod1/c2\n0::/\n')).toEqual({ v2: '/', cpu: '/kubepods/pod1/c2' });
    expect(ownCgroups('')).toEqual({});
  });

  it('outside a container, the lowest quota on its own path: a parent bounds its children', () => {
    const slice = '/sys/fs/cgroup/system.slice';
    expect(cgroupCpus(files({
      '/proc/self/cgroup': '0::/system.slice/run.service\n',
      '/sys/fs/cgroup/cpu.max': 'max 100000\n',
      [`${slice}/cpu.max`]: '150000 100000\n',
      [`${slice}/run.service/cpu.max`]: 'max 100000\n',
    }))).toBe(2);
    expect(cgroupCpus(files({
      '/proc/self/cgroup': '1:cpu,cpuacct:/batch/job\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_quota_us': '400000\n', '/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/cpu,cpuacct/batch/job/cpu.cfs_quota_us': '100000\n', '/sys/fs/cgroup/cpu,cpuacct/batch/job/cpu.cfs_period_us': '100000\n',
    }))).toBe(1);
  });

  it('no files (not Linux, no cgroup mount): no limit', () => {
    expect(cgroupCpus(files({}))).toBeUndefined();
  });

  it('this process: at least one CPU, never more than its affinity allows', () => {
    expect(usableCpus()).toBeGreaterThanOrEqual(1);
    expect(usableCpus()).toBeLessThanOrEqual(availableParallelism());
  });
});
