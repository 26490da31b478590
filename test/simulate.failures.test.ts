// The failure catalogue (issue 3): each case checks the kernel's log text and the final status.
import { describe, it, expect } from 'vitest';
import { validatePlatform } from '../src/platform/validate.js';
import { simulatePlatform } from '../src/workers/simulateRun.js';
import { twoSocket } from './helpers/platforms.js';

async function sim(doc: Record<string, unknown>, policy = 'mainline') {
  return simulatePlatform(validatePlatform(doc), { policy, engine: 'ts' });
}

const logText = (r: { log: string[] }): string => r.log.join('\n');

describe('failure catalogue', () => {
  it('succeeds on a healthy platform and prints the PAMT size the construction gives', async () => {
    const r = await sim(twoSocket());
    expect(r.outcome.initialized).toBe(true);
    expect(r.outcome.status).toBe('INITIALIZED');
    expect(logText(r)).toContain(`virt/tdx: ${r.pamt.totalKb} KB allocated for PAMT`);
    expect(logText(r)).toMatch(/virt\/tdx: module initialized$/m);
  });

  it('an offline LP: mainline fails at CONFIG with TDX_SYS_CONFIG_NOT_PENDING, -EIO', async () => {
    const r = await sim(twoSocket({ cpus: { packages: 2, coresPerPackage: 4, threadsPerCore: 2, offline: [3] } }));
    expect(r.outcome.initialized).toBe(false);
    expect(r.outcome.error?.step).toBe('TDH.SYS.CONFIG');
    expect(r.outcome.error?.status).toBe('0xc000050c00000000');
    expect(logText(r)).toContain('virt/tdx: SEAMCALL (0x000000000000002d) failed: 0xc000050c00000000');
    expect(logText(r)).toContain('virt/tdx: module initialization failed (-5)');
  });

  it('nosmt: every second thread offline fails the same way', async () => {
    const r = await sim(twoSocket({ cpus: { packages: 2, coresPerPackage: 4, threadsPerCore: 2, offline: 'smt' } }));
    expect(r.outcome.error?.status).toBe('0xc000050c00000000');
    expect(logText(r)).toContain('module initialization failed (-5)');
  });

  it('an offline LP under v7: refused before any SEAMCALL', async () => {
    const r = await sim(twoSocket({ cpus: { packages: 2, coresPerPackage: 4, threadsPerCore: 2, offline: [3] } }), 'v7-2022');
    expect(r.seamcalls.total).toBe(0);
    expect(r.outcome.error?.code).toBe('-EINVAL');
    expect(logText(r)).toContain("tdx: Unable to initialize the TDX module when there's offline CPU(s).");
  });

  it('a package with no online CPU: TDMR.INIT gets TDX_SYS_NOT_READY', async () => {
    // Package 1's LPs ran LP.INIT, then went offline before tdx_enable().
    const r = await sim(twoSocket({ cpus: { packages: 2, coresPerPackage: 4, threadsPerCore: 2, offlinedAfterLpInit: [4, 5, 6, 7, 12, 13, 14, 15] } }));
    expect(r.outcome.error?.step).toBe('TDH.SYS.TDMR.INIT');
    expect(r.outcome.error?.status).toBe('0xc000050500000000');
    expect(logText(r)).toContain('SEAMCALL (0x0000000000000024) failed: 0xc000050500000000');
    expect(r.timeline.map((s) => s.step)).toContain('MOVDIR64B PAMT reset');
  });

  it('more than 8 packages: LP.INIT on package 8 gets TDX_INVALID_PKG_ID', async () => {
    const r = await sim(twoSocket({ cpus: { packages: 9, coresPerPackage: 2, threadsPerCore: 1 } }));
    expect(r.outcome.error?.step).toBe('TDH.SYS.LP.INIT');
    expect(r.outcome.error?.statusName).toMatch(/^TDX_INVALID_PKG_ID/);
    expect(logText(r)).toMatch(/SEAMCALL \(0x0000000000000023\) failed: 0xc0000906000000/);
  });

  it('TDMRs exhausted: -ENOSPC with the kernel text', async () => {
    const r = await sim(twoSocket({ module: { maxTdmrs: 2 } }));
    expect(r.outcome.error?.code).toBe('-ENOSPC');
    expect(logText(r)).toContain('virt/tdx: initialization failed: TDMRs exhausted.');
    expect(logText(r)).toContain('virt/tdx: module initialization failed (-28)');
  });

  it('reserved areas exhausted: -ENOSPC naming the TDMR', async () => {
    const r = await sim(twoSocket({ module: { maxReservedPerTdmr: 1 } }));
    expect(r.outcome.error?.code).toBe('-ENOSPC');
    expect(logText(r)).toContain('virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted.');
  });

  it('PAMT allocation failure: -ENOMEM', async () => {
    const r = await sim(twoSocket({ reserved: [{ start: '0x0', end: '0x880000000' }] }));
    expect(r.outcome.error?.code).toBe('-ENOMEM');
    expect(logText(r)).toContain('module initialization failed (-12)');
  });

  it('memory outside CMRs: mainline CONFIG → TDX_TDMR_OUTSIDE_CMRS; v7 "not TDX convertible memory"', async () => {
    const cmrs = [{ start: '0x100000', end: '0x7ff00000' }, { start: '0x100000000', end: '0x480000000' }];
    const r = await sim(twoSocket({ cmrs }));
    expect(r.outcome.error?.step).toBe('TDH.SYS.CONFIG');
    expect(r.outcome.error?.statusName).toMatch(/^TDX_(TDMR|PAMT)_OUTSIDE_CMRS/);
    const v7 = await sim(twoSocket({ cmrs }), 'v7-2022');
    expect(logText(v7)).toContain('is not TDX convertible memory.');
    expect(v7.outcome.status).toBe('SHUTDOWN');
    expect(v7.seamcalls.perLeaf['TDH.SYS.LP.SHUTDOWN']).toBe(16);
  });

  it('module not loaded: "module not loaded", -ENODEV', async () => {
    const r = await sim(twoSocket({ module: { loaded: false } }));
    expect(r.outcome.error?.code).toBe('-ENODEV');
    expect(logText(r)).toContain('virt/tdx: module not loaded');
  });

  it('fewer than 2 TDX KeyIDs: refused at boot', async () => {
    const r = await sim(twoSocket({ keyids: { mktme: 31, tdx: 1 } }));
    expect(r.seamcalls.total).toBe(0);
    expect(logText(r)).toContain('virt/tdx: initialization failed: too few private KeyIDs available.');
  });

  it('hibernation enabled: refused at boot', async () => {
    const r = await sim(twoSocket({ kernel: { hibernation: true } }));
    expect(logText(r)).toContain('virt/tdx: initialization failed: Hibernation support is enabled');
    expect(r.outcome.initialized).toBe(false);
  });

  it('a 1.0 module under mainline: TDH.SYS.RD refused before init', async () => {
    const r = await sim(twoSocket({ module: { version: '1.0.05' } }));
    expect(logText(r)).toContain('virt/tdx: SEAMCALL (0x0000000000000022) failed: 0xc000050500000000');
    expect(logText(r)).toContain('module initialization failed (-5)');
  });

  it('KeyIDs ≥ 2048: TDH.SYS.INIT → TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED', async () => {
    const r = await sim(twoSocket({ keyids: { mktme: 2000, tdx: 100 } }));
    expect(r.outcome.error?.statusName).toMatch(/^TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED/);
    expect(logText(r)).toMatch(/SEAMCALL \(0x0000000000000021\) failed: 0xc0000825/);
  });

  it('a second tdx_enable after a failure gets -EINVAL without a retry', async () => {
    const r = await sim(twoSocket({ module: { maxTdmrs: 2 }, kernel: { callers: [{ at: 0 }, { at: 5e6 }] } }));
    expect(r.callers.map((c) => c.result)).toEqual([-28, -22]);
    expect(r.callers[1].ran).toBe(false);
    expect(r.seamcalls.perLeaf['TDH.SYS.CONFIG'] ?? 0).toBe(0);
  });
});
