// LP and package accounting (init-flow.md §1.4): MCHECK's counts against what actually ran.

import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, hexStatus } from '../src/model/module/index.js';
import { Clock, baseConfig, expectOk, validTdmrs } from './module.fixture.js';

describe('LP and package accounting', () => {
  it('counts every BIOS-enabled LP and package, online or not', () => {
    const lps = Array.from({ length: 16 }, (_, i) => ({ id: i, package: i >> 3 }));
    const m = new TdxModule(baseConfig({ lps }));
    expect([m.totalLps, m.totalPkgs, m.initLps]).toEqual([16, 2, 0]);
  });

  it('one LP that never ran LP.INIT (offline, nosmt, maxcpus=) makes CONFIG fail', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    for (const lp of [0, 1, 2]) expectOk(c.call(LEAF.SYS_LP_INIT, lp));
    expect(m.initLps).toBe(3);
    expect(hexStatus(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }).status)).toBe('0xc000050c00000000');
    // Failure leaves SYSINIT_DONE: bringing the LP up and retrying would work.
    expect(m.state).toBe('SYSINIT_DONE');
    expectOk(c.call(LEAF.SYS_LP_INIT, 3));
    expectOk(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }));
    // After CONFIG an LP can never be initialized any more.
    expect(c.call(LEAF.SYS_LP_INIT, 3).status).toBe(STATUS.TDX_SYS_LP_INIT_NOT_PENDING);
  });

  it('initLps never decreases and repeats do not inflate it', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    for (const lp of [0, 0, 1, 1, 2, 3, 3]) c.call(LEAF.SYS_LP_INIT, lp);
    expect(m.initLps).toBe(4);
  });

  it('a package with no LP to run KEY.CONFIG leaves the module short of SYS_READY', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    for (const lp of [0, 1, 2, 3]) expectOk(c.call(LEAF.SYS_LP_INIT, lp));
    expectOk(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }));
    expectOk(c.call(LEAF.SYS_KEY_CONFIG, 0));
    expect(m.state).toBe('SYSCONFIG_DONE');
    expect(c.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 0n }).status).toBe(STATUS.TDX_SYS_NOT_READY);
  });

  it('a failed LP.INIT does not count', () => {
    const cfg = baseConfig();
    cfg.lps[3] = { id: 3, package: 1, cpuidOk: false };
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    for (const lp of [0, 1, 2, 3]) c.call(LEAF.SYS_LP_INIT, lp);
    expect(m.initLps).toBe(3);
    expect(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }).status).toBe(STATUS.TDX_SYS_CONFIG_NOT_PENDING);
  });
});
