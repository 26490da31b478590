import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, hexStatus } from '../src/model/module/index.js';
import { Clock, baseConfig, configPendingModule, expectOk, readyModule } from './module.fixture.js';

describe('TDH.SYS.LP.SHUTDOWN', () => {
  it('1.0 modules shut down, in any state', () => {
    for (const prepare of ['pending', 'ready'] as const) {
      const cfg = baseConfig({ version: '1.0.3' });
      const { m, c } = prepare === 'ready' ? readyModule(cfg) : { m: new TdxModule(cfg), c: null };
      const clock = c ?? new Clock(m);
      expectOk(clock.call(LEAF.SYS_LP_SHUTDOWN, 1));
      expect(m.state).toBe('SYS_SHUTDOWN');
      expect(hexStatus(clock.call(LEAF.SYS_INIT, 0).status)).toBe('0xc000050600000000');
      // LP.SHUTDOWN itself still runs.
      expectOk(clock.call(LEAF.SYS_LP_SHUTDOWN, 2));
    }
  });

  it('1.5 and later: success, no state change', () => {
    const { m, c } = readyModule();
    expectOk(c.call(LEAF.SYS_LP_SHUTDOWN, 1));
    expect(m.state).toBe('SYS_READY');
    const { m: m2, c: c2 } = configPendingModule(baseConfig({ version: '2.0.08.00' }));
    expectOk(c2.call(LEAF.SYS_LP_SHUTDOWN, 0));
    expect(m2.state).toBe('SYSINIT_DONE');
  });
});

describe('TDH.SYS.SHUTDOWN and TDH.SYS.UPDATE', () => {
  it('SHUTDOWN runs only from SYS_READY', () => {
    const { m, c } = configPendingModule();
    expect(c.call(LEAF.SYS_SHUTDOWN, 0).status).toBe(STATUS.TDX_SYS_NOT_READY);
    expect(m.state).toBe('SYSINIT_DONE');
    const r = readyModule();
    expectOk(r.c.call(LEAF.SYS_SHUTDOWN, 0));
    expect(r.m.state).toBe('SYS_SHUTDOWN');
  });

  it('SHUTDOWN refuses while another LP is inside a SEAMCALL → TDX_SYS_BUSY, stays SYS_READY', () => {
    const { m, c } = readyModule();
    const t = c.t;
    expectOk(m.call(LEAF.SYS_TDMR_INIT, 1, { rcx: 0n }, t, t + 10));
    expect(hexStatus(m.call(LEAF.SYS_SHUTDOWN, 0, {}, t + 5, t + 6).status)).toBe('0x8000020200000000');
    expect(m.state).toBe('SYS_READY');
    expectOk(m.call(LEAF.SYS_SHUTDOWN, 0, {}, t + 10, t + 11));
  });

  it('UPDATE: SYSINIT_DONE with every LP initialized and a valid hand-off → SYS_READY', () => {
    const m = new TdxModule(baseConfig({ handoffValid: true }));
    const c = new Clock(m);
    expectOk(c.call(LEAF.SYS_INIT, 0));
    expectOk(c.call(LEAF.SYS_LP_INIT, 0));
    expect(hexStatus(c.call(LEAF.SYS_UPDATE, 0).status)).toBe('0xc000050800000000');
    for (const lp of [1, 2, 3]) expectOk(c.call(LEAF.SYS_LP_INIT, lp));
    expectOk(c.call(LEAF.SYS_UPDATE, 0));
    expect(m.state).toBe('SYS_READY');
    const { c: c2 } = configPendingModule();
    expect(hexStatus(c2.call(LEAF.SYS_UPDATE, 0).status)).toBe('0xc000050900000000');
  });
});
