// Every line format a kernel log arrives in (issue 11.2): the same facts, whatever tool printed
// or quoted the lines.
import { describe, it, expect } from 'vitest';
import { readKernelLog, initWindow } from '../src/platform/importers/dmesg.js';
import { detectFormat } from '../src/platform/importers/detect.js';

/** One successful initialization; `fmt` dresses each message as a tool prints it at a time in seconds. */
const MESSAGES: [number, string][] = [
  [0.000001, 'Linux version 6.8.0-1007-intel (buildd@lcy02) #14-Ubuntu SMP PREEMPT_DYNAMIC'],
  [1.496613, 'smpboot: CPU0: Intel(R) Xeon(R) Platinum 8480CTDX (family: 0x6, model: 0x8f, stepping: 0x8)'],
  [8.366483, 'virt/tdx: TDX module: attributes 0x0, vendor_id 0x8086, major_version 1, minor_version 5, build_date 20240129, build_num 698'],
  [8.366488, 'virt/tdx: CMR: [0x100000, 0x77800000)'],
  [8.366490, 'virt/tdx: CMR: [0x100000000, 0x206e000000)'],
  [8.366491, 'virt/tdx: CMR: [0x2080000000, 0x4070000000)'],
  [9.124357, 'virt/tdx: 1050636 KB allocated for PAMT'],
  [9.124363, 'virt/tdx: module initialized'],
];
const stamp = (t: number): string => `[${t.toFixed(6).padStart(12)}]`;
const build = (fmt: (t: number, msg: string) => string, eol = '\n'): string => MESSAGES.map(([t, m]) => fmt(t, m)).join(eol) + eol;

/** Seconds after 10:00:00 as a journal wall clock, to the microsecond. */
function clock(t: number): string {
  const us = Math.round(t * 1e6);
  const s = Math.floor(us / 1e6);
  return `10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(us % 1e6).padStart(6, '0')}`;
}

function expectFacts(text: string, window: { seconds: number; clock: 'kernel' | 'wall' } | null): void {
  expect(detectFormat(text, 'x')).toBe('dmesg');
  const log = readKernelLog(text, 'x');
  expect(log.kernel?.version).toBe('6.8.0-1007-intel');
  expect(log.cpuModel?.model).toBe(0x8f);
  expect(log.module).toMatchObject({ version: '1.5', build: 698, buildDate: '20240129' });
  expect(log.cmrs.map((c) => [c.start, c.end])).toEqual([[0x100000, 0x77800000], [0x100000000, 0x206e000000], [0x2080000000, 0x4070000000]]);
  expect(log.pamt?.kb).toBe(1050636);
  expect(log.initialized?.line).toBe(8 + (text.startsWith('--') ? 1 : 0));
  const w = initWindow(log);
  if (window === null) expect(w).toBeUndefined();
  else expect(w).toMatchObject(window);
}

describe('line formats', () => {
  it('dmesg with kernel stamps', () => expectFacts(build((t, m) => `${stamp(t)} ${m}`), { seconds: 0.757866, clock: 'kernel' }));

  it('journalctl -o short-monotonic: kernel stamp, then host and "kernel:"', () => {
    expectFacts(build((t, m) => `${stamp(t)} myhost kernel: ${m}`), { seconds: 0.757866, clock: 'kernel' });
  });

  it('journalctl -o short-precise: the window from the wall clock, to the microsecond', () => {
    expectFacts(build((t, m) => `Nov 21 ${clock(t)} myhost kernel: ${m}`), { seconds: 0.757866, clock: 'wall' });
  });

  it('journalctl -o short-iso-precise, with a time zone', () => {
    expectFacts(build((t, m) => `2024-11-21T${clock(t)}+01:00 myhost kernel: ${m}`), { seconds: 0.757866, clock: 'wall' });
  });

  it('a wall clock across midnight still gives the window', () => {
    const log = readKernelLog([
      '2024-11-21T23:59:59.900000+0000 h kernel: virt/tdx: CMR: [0x100000, 0x77800000)',
      '2024-11-22T00:00:00.650001+0000 h kernel: virt/tdx: 8212 KB allocated for PAMT',
    ].join('\n'), 'x');
    expect(initWindow(log)?.seconds).toBe(0.750001);
  });

  it('whole-second journal stamps give no window (too coarse to compare)', () => {
    expectFacts(build((t, m) => `Nov 21 10:00:${String(Math.floor(t)).padStart(2, '0')} myhost kernel: ${m}`), null);
  });

  it('dmesg -x: facility and level before the stamp', () => {
    expectFacts(build((t, m) => `kern  :info  : ${stamp(t)} ${m}`), { seconds: 0.757866, clock: 'kernel' });
  });

  it('lines quoted with "> " (mail and issue quotes), also nested', () => {
    expectFacts(build((t, m) => `> ${stamp(t)} ${m}`), { seconds: 0.757866, clock: 'kernel' });
    expectFacts(build((t, m) => `> > ${stamp(t)} ${m}`), { seconds: 0.757866, clock: 'kernel' });
  });

  it('ANSI colour codes (dmesg --color=always)', () => {
    expectFacts(build((t, m) => `\u001b[32m${stamp(t)}\u001b[0m \u001b[33m${m.replace(': ', ': \u001b[0m')}`), { seconds: 0.757866, clock: 'kernel' });
  });

  it('CRLF line ends', () => expectFacts(build((t, m) => `${stamp(t)} ${m}`, '\r\n'), { seconds: 0.757866, clock: 'kernel' }));

  it('a journal note line at the top is not kernel text', () => {
    expectFacts('-- Logs begin at Mon 2024-11-18 09:00:00 UTC. --\n' + build((t, m) => `${stamp(t)} ${m}`), { seconds: 0.757866, clock: 'kernel' });
  });
});

describe('older failure texts', () => {
  it('"tdx: not enabled by BIOS." and the FW_BUG form', () => {
    expect(readKernelLog('[ 1.2] tdx: not enabled by BIOS.', 'x').failures[0].kind).toBe('bios-not-enabled');
    expect(readKernelLog('[ 1.2] [Firmware Bug]: TDX is not enabled by BIOS.', 'x').failures[0].kind).toBe('bios-not-enabled');
  });

  it('"SEAMCALL failed: CPU N: leaf L, error E." with a decimal leaf', () => {
    const f = readKernelLog('[ 6.2] tdx: SEAMCALL failed: CPU 12: leaf 35, error 0xc000092100000000.', 'x').failures[0];
    expect(f).toMatchObject({ kind: 'seamcall', leaf: 35, status: '0xc000092100000000' });
  });
});
