import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readKernelLog } from '../src/platform/importers/dmesg.js';
import { calibrate } from '../src/model/calibrate.js';

const LOGS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'data/real-logs');
const read = (f: string) => ({ source: f, log: readKernelLog(readFileSync(path.join(LOGS, f), 'utf8'), f) });
const CASES = ['case-05.txt', 'case-14.txt', 'case-15.txt'];

/**
 * By hand, from the CMR lines (TDMRs are the CMRs rounded out to 1 GiB, one per CMR):
 *   case-05: 2 + 254 + 256 + 256 + 256 = 1024 GiB → 262144 calls of 4 MiB; window 2.189112 s
 *   case-14: 2 + 126 + 128 = 256 GiB → 65536 calls; window 0.757866 s
 *   case-15: 2 + 254 + 256 = 512 GiB → 131072 calls; window 1.289656 s
 * Least squares on (calls, µs): slope = Sxy/Sxx ≈ 7.220 µs, intercept ≈ 308138 µs.
 * PAMT per TDMR of G GiB is 4104·G + 4 KiB: 4202516, 1050636, 2101260 KB, as printed.
 */
describe('calibrate on the real logs', () => {
  const result = calibrate(CASES.map(read));

  it('uses all three logs and fits by least squares', () => {
    expect(result.skipped).toEqual([]);
    expect(result.method).toBe('least-squares');
    expect(result.logs.map((l) => l.calls)).toEqual([262144, 65536, 131072]);
    expect(result.logs.map((l) => l.observedWindowUs)).toEqual([2189112, 757866, 1289656]);
  });

  it('lands tdmrInitCallUs in the plausible 5–20 µs band', () => {
    const p = result.params!;
    expect(p.tdmrInitCallUs).toBeGreaterThan(5);
    expect(p.tdmrInitCallUs).toBeLessThan(20);
    expect(p.tdmrInitCallUs).toBeCloseTo(7.220, 3);
    expect(p.fixedOverheadUs).toBeCloseTo(308138, 0);
  });

  it('reports fitted windows and errors per log', () => {
    for (const l of result.logs) {
      expect(l.fittedWindowUs).toBeCloseTo(result.params!.fixedOverheadUs + l.calls * result.params!.tdmrInitCallUs, 6);
      expect(Math.abs(l.errorPct)).toBeLessThan(5);
      expect(l.memoryFrom).toBe('cmrs');
    }
    expect(result.rmsErrorPct).toBeGreaterThan(0);
  });

  it('reproduces the printed PAMT from the CMRs in every case (real-logs/README.md)', () => {
    expect(result.logs.map((l) => [l.modelPamtKb, l.printedPamtKb])).toEqual([[4202516, 4202516], [1050636, 1050636], [2101260, 2101260]]);
    expect(result.logs.every((l) => l.pamtMatches)).toBe(true);
  });

  it('with one log: fixed overhead 0, slope = window / calls, and says so', () => {
    const one = calibrate([read('case-14.txt')]);
    expect(one.method).toBe('single-log');
    // 757866 µs / 65536 calls = 11.564... µs.
    expect(one.params!.tdmrInitCallUs).toBeCloseTo(757866 / 65536, 9);
    expect(one.params!.fixedOverheadUs).toBe(0);
    expect(one.notes.join(' ')).toMatch(/one usable log/);
    expect(one.logs[0].errorPct).toBeCloseTo(0, 9);
  });

  it('skips logs it cannot use, with the reason', () => {
    const noStamp = readKernelLog('virt/tdx: CMR: [0x100000, 0x77800000)\nvirt/tdx: 8212 KB allocated for PAMT', 'nostamp');
    const noCmr = readKernelLog('[ 2.0] virt/tdx: 8212 KB allocated for PAMT', 'nocmr');
    const failed = readKernelLog('[ 1.0] virt/tdx: CMR: [0x100000, 0x77800000)\n[ 2.0] virt/tdx: module initialization failed (-28)', 'failed');
    const r = calibrate([{ source: 'nostamp', log: noStamp }, { source: 'nocmr', log: noCmr }, { source: 'failed', log: failed }]);
    expect(r.method).toBe('none');
    expect(r.params).toBeNull();
    expect(r.skipped.map((s) => s.source)).toEqual(['nostamp', 'nocmr', 'failed']);
    expect(r.skipped[0].reason).toMatch(/timestamp/);
    expect(r.skipped[1].reason).toMatch(/CMR/);
    expect(r.skipped[2].reason).toMatch(/PAMT/);
  });

  it('refits through the origin when the intercept would be negative', () => {
    // Windows exactly 10 µs per call minus 100 ms: the free intercept is −100000 µs.
    const mk = (gib: number, secs: number) => {
      const end = 0x100000000 + (gib - 2) * 2 ** 30;
      const text = `[ 1.000000] virt/tdx: CMR: [0x100000, 0x77800000)\n[ 1.000000] virt/tdx: CMR: [0x100000000, 0x${end.toString(16)})\n[ ${(1 + secs).toFixed(6)}] virt/tdx: 1 KB allocated for PAMT`;
      return { source: `${gib}G`, log: readKernelLog(text, `${gib}G`) };
    };
    // 64 GiB of TDMRs (2 + 62) = 16384 calls → 0.16384 − 0.1 s; 128 GiB = 32768 calls → 0.32768 − 0.1 s.
    const r = calibrate([mk(64, 0.06384), mk(128, 0.22768)]);
    expect(r.method).toBe('through-origin');
    expect(r.params!.fixedOverheadUs).toBe(0);
    expect(r.notes.join(' ')).toMatch(/not physical/);
    expect(r.logs.every((l) => !l.pamtMatches)).toBe(true);
  });
});
