// Each policy's order of SEAMCALLs, its CPUs, concurrency, hotplug and bring-your-own TDMRs.
import { describe, it, expect } from 'vitest';
import { validatePlatform } from '../src/platform/validate.js';
import { simulatePlatform } from '../src/workers/simulateRun.js';
import { twoSocket } from './helpers/platforms.js';
import { getPreset } from '../src/platform/presets.js';

async function sim(doc: Record<string, unknown>, policy = 'mainline', extra: Record<string, unknown> = {}) {
  return simulatePlatform(validatePlatform(doc), { policy, engine: 'wasm', trace: true, ...extra });
}

/** Leaf names in trace order, with runs of the same leaf folded into one. */
function leafOrder(r: { trace?: { leaf: string }[] | null }): string[] {
  const out: string[] = [];
  for (const t of r.trace ?? []) if (out[out.length - 1] !== t.leaf) out.push(t.leaf);
  return out;
}

describe('policies', () => {
  it('mainline: SYS.INIT, LP.INIT on every CPU, SYS.RD, CONFIG, KEY.CONFIG per package, TDMR.INIT', async () => {
    const r = await sim(twoSocket());
    expect(leafOrder(r)).toEqual(['TDH.SYS.INIT', 'TDH.SYS.LP.INIT', 'TDH.SYS.RD', 'TDH.SYS.CONFIG', 'TDH.SYS.KEY.CONFIG', 'TDH.SYS.TDMR.INIT']);
    expect(r.seamcalls.perLeaf['TDH.SYS.LP.INIT']).toBe(16);
    expect(r.seamcalls.perLeaf['TDH.SYS.KEY.CONFIG']).toBe(2);
    // One call per 4 MiB of every TDMR: TDMR.INIT cost follows TDMR size, not usable memory.
    const tdmrBytes = r.tdmrs.reduce((a, t) => a + parseInt(t.size, 16), 0);
    expect(r.seamcalls.perLeaf['TDH.SYS.TDMR.INIT']).toBe(tdmrBytes / (4 * 2 ** 20));
    // Serial: every TDMR.INIT on the caller CPU.
    expect(new Set(r.trace!.filter((t) => t.leaf === 'TDH.SYS.TDMR.INIT').map((t) => t.lp))).toEqual(new Set([0]));
  });

  it('v7-2022: SYS.INIT, LP.INIT broadcast, SYS.INFO, CONFIG, KEY.CONFIG, TDMR.INIT', async () => {
    const r = await sim(twoSocket(), 'v7-2022');
    expect(r.outcome.initialized).toBe(true);
    expect(leafOrder(r)).toEqual(['TDH.SYS.INIT', 'TDH.SYS.LP.INIT', 'TDH.SYS.INFO', 'TDH.SYS.CONFIG', 'TDH.SYS.KEY.CONFIG', 'TDH.SYS.TDMR.INIT']);
    expect(r.log.join('\n')).toMatch(/tdx: \d+ KBs allocated for PAMT\./);
    const lpInit = r.timeline.find((s) => s.step === 'TDH.SYS.LP.INIT')!;
    // Broadcast: all LPs at once, so the step lasts one IPI plus one LP.INIT.
    expect(lpInit.durationUs).toBe(r.parameters.find((p) => p.name === 'ipiBroadcastUs')!.value + r.parameters.find((p) => p.name === 'lpInitUs')!.value);
  });

  it('parallel-tdmr: TDMRs spread over K CPUs, shorter TDMR.INIT, same PAMT', async () => {
    const serial = await sim(twoSocket());
    const par = await sim(twoSocket({ kernel: { policy: 'parallel-tdmr', initCpus: 2 } }), 'parallel-tdmr');
    expect(par.outcome.initialized).toBe(true);
    expect(par.pamt.totalKb).toBe(serial.pamt.totalKb);
    expect(new Set(par.trace!.filter((t) => t.leaf === 'TDH.SYS.TDMR.INIT').map((t) => t.lp)).size).toBe(2);
    expect(par.totals.tdmrInitUs).toBeLessThan(serial.totals.tdmrInitUs);
    expect(par.seamcalls.perLeaf['TDH.SYS.TDMR.INIT']).toBe(serial.seamcalls.perLeaf['TDH.SYS.TDMR.INIT']);
  });

  it('parallel-tdmr: a package leader starts its TDMR.INIT lane only after its KEY.CONFIG ended, whatever the costs', async () => {
    // 0.1 µs each: summed as now + (0.1 + 0.1) the clock fell an ulp short of the KEY.CONFIG's
    // end, (now + 0.1) + 0.1, and the module refused the lane's first call as an internal error.
    const costOverrides = { smpCallOnCpuUs: 0.1, keyConfigUs: 0.1 };
    const r = await simulatePlatform(validatePlatform(getPreset('default')), { policy: 'parallel-tdmr', engine: 'wasm', trace: true, costOverrides });
    expect(r.outcome.initialized).toBe(true);
    for (const lp of new Set(r.trace!.map((t) => t.lp))) {
      const calls = r.trace!.filter((t) => t.lp === lp);
      for (let i = 1; i < calls.length; i++) expect(calls[i].startUs, `CPU ${lp}, call ${i}`).toBeGreaterThanOrEqual(calls[i - 1].endUs);
    }
  });

  it('concurrent tdx_enable callers: one initializes, the other waits on the mutex and gets 0', async () => {
    const r = await sim(twoSocket({ kernel: { callers: [{ at: 0 }, { at: 10 }] } }));
    expect(r.callers[0].ran).toBe(true);
    expect(r.callers[1].ran).toBe(false);
    expect(r.callers[1].result).toBe(0);
    expect(r.callers[1].waitUs).toBeGreaterThan(0);
    expect(r.callers[1].returnedUs).toBe(r.callers[0].returnedUs);
    expect(r.timeline.some((s) => s.step === 'tdx_enable caller 1 waits')).toBe(true);
  });

  it('hotplug after success: memory inside one TDX memory-list range is accepted, CXL outside refused', async () => {
    const r = await sim(twoSocket({
      hotplug: [
        { start: '0x480000000', end: '0x488000000', node: 1, kind: 'dram' },
        { start: '0x1000000000', end: '0x2000000000', node: 2, kind: 'cxl' },
      ],
      nodeDistance: [[10, 20, 30], [20, 10, 30], [30, 30, 10]],
    }));
    expect(r.hotplug.map((h) => h.accepted)).toEqual([true, false]);
    expect(r.hotplug[1].message).toContain('online_pages [mem 0x1000000000-0x1fffffffff] failed');
  });

  it('hotplug after a failed init: everything may go online', async () => {
    const r = await sim(twoSocket({ module: { maxTdmrs: 2 }, hotplug: [{ start: '0x1000000000', end: '0x2000000000', node: 1, kind: 'cxl' }] }));
    expect(r.hotplug[0].accepted).toBe(true);
  });

  it('bring-your-own TDMRs go straight to CONFIG, which judges them', async () => {
    const base = await sim(twoSocket());
    // Reuse the kernel's own layout but swap the order of two TDMRs: CONFIG must refuse it.
    const own = base.tdmrs.map((t) => ({ base: t.base, size: t.size, pamt4k: t.pamt4k, pamt2m: t.pamt2m, pamt1g: t.pamt1g, reserved: t.reserved }));
    const ok = await sim(twoSocket({ tdmrs: own }));
    expect(ok.outcome.initialized).toBe(true);
    const swapped = [own[1], own[0], ...own.slice(2)];
    const bad = await sim(twoSocket({ tdmrs: swapped }));
    expect(bad.outcome.error?.statusName).toMatch(/^TDX_NON_ORDERED_TDMR/);
    expect(bad.outcome.error?.status).toBe('0xc0000a0100000001');
  });

  it('readiness grows with TDMR.INIT and ends when the last GiB is done', async () => {
    const r = await sim(twoSocket());
    const ready = r.readiness!;
    expect(ready.p50Us).toBeLessThanOrEqual(ready.p90Us);
    expect(ready.p90Us).toBeLessThanOrEqual(ready.p100Us);
    const tdmrInit = r.timeline.find((s) => s.step === 'TDH.SYS.TDMR.INIT')!;
    expect(ready.p100Us).toBe(tdmrInit.endUs);
    expect(ready.p50Us).toBeGreaterThan(tdmrInit.startUs);
  });

  it('--set costs: an override is applied and labelled', async () => {
    const r = await simulatePlatform(validatePlatform(twoSocket()), { engine: 'ts', costOverrides: { tdmrInitCallUs: 18 } });
    const base = await sim(twoSocket());
    expect(r.totals.tdmrInitUs).toBeCloseTo(base.totals.tdmrInitUs * 2, 3);
    expect(r.parameters.find((p) => p.name === 'tdmrInitCallUs')!.label).toBe('override');
  });

  it('Dynamic PAMT: a bitmap 4K level and 16 MiB TDMR.INIT chunks', async () => {
    const dyn = await sim(twoSocket({ module: { features: { dynamicPamt: true } } }));
    const base = await sim(twoSocket());
    expect(dyn.outcome.initialized).toBe(true);
    expect(dyn.pamt.totalKb).toBeLessThan(base.pamt.totalKb / 10);
    expect(dyn.seamcalls.perLeaf['TDH.SYS.TDMR.INIT']).toBe(base.seamcalls.perLeaf['TDH.SYS.TDMR.INIT'] / 4);
  });
});

describe('mainline options', () => {
  it('boot-time init: reads and prints the module version, success line "TDX-Module initialized"', async () => {
    const r = await simulatePlatform(validatePlatform(twoSocket({ kernel: { bootTimeInit: true }, module: { version: '2.0.08' } })), { engine: 'wasm' });
    expect(r.log.join('\n')).toContain('virt/tdx: Module version: 2.0.08');
    expect(r.log[r.log.length - 1]).toMatch(/virt\/tdx: TDX-Module initialized$/);
    expect(r.seamcalls.perLeaf['TDH.SYS.RD']).toBe(9);
  });

  it('CMR holes: fewer reserved areas than memblock holes on a fragmented low map', async () => {
    const { getPreset } = await import('../src/platform/presets.js');
    const memblock = await simulatePlatform(validatePlatform(getPreset('2s-emr-17holes')), { engine: 'wasm' });
    expect(memblock.outcome.error?.code).toBe('-ENOSPC');
    const fixed = await simulatePlatform(validatePlatform({ ...(getPreset('2s-emr-17holes') as object), kernel: { holes: 'cmr' } }), { engine: 'wasm' });
    expect(fixed.outcome.initialized).toBe(true);
    expect(fixed.construct.reservedAreasUsed).toBeLessThanOrEqual(16);
  });
});
