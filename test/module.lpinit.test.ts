import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, hexStatus } from '../src/model/module/index.js';
import { Clock, baseConfig, expectOk, readyModule } from './module.fixture.js';

describe('TDH.SYS.LP.INIT', () => {
  it('only in SYSINIT_DONE: before SYS.INIT and after CONFIG → TDX_SYS_LP_INIT_NOT_PENDING', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expect(hexStatus(c.call(LEAF.SYS_LP_INIT, 0).status)).toBe('0xc000050b00000000');
    const ready = readyModule();
    expect(ready.c.call(LEAF.SYS_LP_INIT, 1).status).toBe(STATUS.TDX_SYS_LP_INIT_NOT_PENDING);
  });

  it('once per LP: a repeat → TDX_SYS_LP_INIT_DONE and does not count twice', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    expectOk(c.call(LEAF.SYS_LP_INIT, 2));
    expect(hexStatus(c.call(LEAF.SYS_LP_INIT, 2).status)).toBe('0xc000050300000000');
    expect(m.initLps).toBe(1);
  });

  it('an LP whose MSRs differ → TDX_INCONSISTENT_MSR(IA32_CORE_CAPABILITIES), not counted', () => {
    const cfg = baseConfig();
    cfg.lps[1] = { id: 1, package: 0, msrOk: false };
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    const r = c.call(LEAF.SYS_LP_INIT, 1);
    expect(r.name).toBe('TDX_INCONSISTENT_MSR');
    expect(hexStatus(r.status)).toBe('0xc0000920000000cf');
    expect(m.initLps).toBe(0);
  });

  it('an LP whose CPUID differs → TDX_INCONSISTENT_CPUID_FIELD; MSRs are compared first', () => {
    const cfg = baseConfig();
    cfg.lps[1] = { id: 1, package: 0, cpuidOk: false };
    cfg.lps[2] = { id: 2, package: 1, cpuidOk: false, msrOk: false };
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    expect(hexStatus(c.call(LEAF.SYS_LP_INIT, 1).status)).toBe('0xc000090200000000');
    expect(c.call(LEAF.SYS_LP_INIT, 2).name).toBe('TDX_INCONSISTENT_MSR');
  });

  it('package id ≥ 8 → TDX_INVALID_PKG_ID with the package id as operand', () => {
    const cfg = baseConfig({ lps: [{ id: 0, package: 0 }, { id: 8, package: 8 }, { id: 7, package: 7 }] });
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    expect(hexStatus(c.call(LEAF.SYS_LP_INIT, 8).status)).toBe('0xc000090600000008');
    expectOk(c.call(LEAF.SYS_LP_INIT, 7));
    expect(m.totalPkgs).toBe(3);
  });
});
