import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, gate, hexStatus, preReadyLeaves, semanticsOf } from '../src/model/module/index.js';
import { Clock, baseConfig, expectOk, initAll, keyConfigAll, readyModule, validTdmrs } from './module.fixture.js';

const ALL_LEAVES = Object.values(LEAF);
const TDH_MNG_CREATE = 9;

describe('module state machine (init-flow.md §1.1)', () => {
  it('walks SYSINIT_PENDING → SYSINIT_DONE → SYSCONFIG_DONE → SYS_READY', () => {
    const cfg = baseConfig();
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    expect(m.state).toBe('SYSINIT_PENDING');
    expectOk(c.call(LEAF.SYS_INIT, 0));
    expect(m.state).toBe('SYSINIT_DONE');
    for (const lp of [0, 1, 2, 3]) {
      expectOk(c.call(LEAF.SYS_LP_INIT, lp));
      expect(m.state).toBe('SYSINIT_DONE');
    }
    expect(m.initLps).toBe(4);
    expectOk(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }));
    expect(m.state).toBe('SYSCONFIG_DONE');
    expectOk(c.call(LEAF.SYS_KEY_CONFIG, 0));
    expect(m.state).toBe('SYSCONFIG_DONE');
    expectOk(c.call(LEAF.SYS_KEY_CONFIG, 2));
    expect(m.state).toBe('SYS_READY');
    expectOk(c.call(LEAF.SYS_TDMR_INIT, 1, { rcx: 0n }));
    expect(m.state).toBe('SYS_READY');
    expectOk(c.call(LEAF.SYS_SHUTDOWN, 0));
    expect(m.state).toBe('SYS_SHUTDOWN');
  });

  it('in SYS_SHUTDOWN every leaf but LP.SHUTDOWN gets TDX_SYS_SHUTDOWN', () => {
    const { m, c } = readyModule();
    expectOk(c.call(LEAF.SYS_SHUTDOWN, 0));
    for (const leaf of [...ALL_LEAVES, TDH_MNG_CREATE]) {
      const r = c.call(leaf, 1, { rcx: 0n, field: 0x9100000100000008n, tdmrs: validTdmrs() });
      if (leaf === LEAF.SYS_LP_SHUTDOWN) expect(r.status).toBe(STATUS.TDX_SUCCESS);
      else expect(hexStatus(r.status), `leaf ${leaf}`).toBe('0xc000050600000000');
    }
    expect(m.state).toBe('SYS_SHUTDOWN');
  });

  it('outside SYS_READY only the listed leaves run; the others get TDX_SYS_NOT_READY', () => {
    const cfg = baseConfig();
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    for (const leaf of [LEAF.SYS_TDMR_INIT, LEAF.SYS_SHUTDOWN, TDH_MNG_CREATE]) {
      expect(hexStatus(c.call(leaf, 0, { rcx: 0n }).status)).toBe('0xc000050500000000');
    }
    initAll(c, cfg);
    expectOk(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }));
    keyConfigAll(c, { ...cfg, lps: cfg.lps.filter((l) => l.package === 0) });
    expect(m.state).toBe('SYSCONFIG_DONE');
    expect(c.call(LEAF.SYS_TDMR_INIT, 0, { rcx: 0n }).status).toBe(STATUS.TDX_SYS_NOT_READY);
    expect(m.tdmrProgress()[0]!.initialized).toBe(0n);
  });

  it('the 1.5 pre-ready list is the dispatcher’s; 1.0 lacks SYS.RD, SYS.RDALL and SYS.UPDATE', () => {
    expect([...preReadyLeaves('1.5')].sort((a, b) => a - b)).toEqual([31, 32, 33, 34, 35, 37, 44, 45, 53]);
    expect([...preReadyLeaves('1.0')].sort((a, b) => a - b)).toEqual([31, 32, 33, 35, 44, 45]);
    expect(gate('SYSINIT_DONE', LEAF.SYS_RD, '1.0')).toBe(STATUS.TDX_SYS_NOT_READY);
    expect(gate('SYSINIT_DONE', LEAF.SYS_RD, '1.5')).toBeNull();
    expect(gate('SYS_READY', LEAF.SYS_RD, '1.0')).toBeNull();
  });

  it('maps version strings to semantics', () => {
    expect(semanticsOf('1.0.3')).toBe('1.0');
    expect(semanticsOf('1.0.03.03')).toBe('1.0');
    expect(semanticsOf('1.5.06.00')).toBe('1.5');
    expect(semanticsOf('2.0.08.00')).toBe('1.5');
    expect(() => semanticsOf('beta')).toThrow(RangeError);
  });

  it('a module that is not loaded answers VMFailInvalid to everything', () => {
    const m = new TdxModule(baseConfig({ loaded: false }));
    const c = new Clock(m);
    for (const leaf of [...ALL_LEAVES, TDH_MNG_CREATE]) {
      expect(hexStatus(c.call(leaf, 0, { rcx: 0n }).status)).toBe('0x8000ff00ffff0000');
    }
    expect(m.state).toBe('SYSINIT_PENDING');
  });

  it('refuses, rather than invents, leaves it does not model once past the gate', () => {
    const { c } = readyModule();
    expect(() => c.call(TDH_MNG_CREATE, 0, {})).toThrow(/not modeled/);
  });
});
