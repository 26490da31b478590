import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, hexStatus, isError } from '../src/model/module/index.js';
import { Clock, baseConfig, configPendingModule, expectOk, validTdmrs } from './module.fixture.js';

function configured(cfg = baseConfig()) {
  const { m, c } = configPendingModule(cfg);
  expectOk(c.call(LEAF.SYS_CONFIG, 0, { tdmrs: validTdmrs() }));
  return { m, c };
}

describe('TDH.SYS.KEY.CONFIG', () => {
  it('only in SYSCONFIG_DONE → TDX_SYS_KEY_CONFIG_NOT_PENDING', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expect(hexStatus(c.call(LEAF.SYS_KEY_CONFIG, 0).status)).toBe('0xc000050700000000');
    const { c: c2 } = configPendingModule();
    expect(c2.call(LEAF.SYS_KEY_CONFIG, 0).status).toBe(STATUS.TDX_SYS_KEY_CONFIG_NOT_PENDING);
  });

  it('once per package: a repeat from any LP of that package → TDX_KEY_CONFIGURED, no error bit', () => {
    const { m, c } = configured();
    expectOk(c.call(LEAF.SYS_KEY_CONFIG, 0));
    const again = c.call(LEAF.SYS_KEY_CONFIG, 1); // LP 1 is in package 0 too
    expect(hexStatus(again.status)).toBe('0x0000081500000000');
    expect(isError(again.status)).toBe(false);
    expect(m.configuredPkgs).toEqual([0]);
    expect(m.state).toBe('SYSCONFIG_DONE');
  });

  it('the last package flips the module to SYS_READY, whatever the order', () => {
    const { m, c } = configured();
    expectOk(c.call(LEAF.SYS_KEY_CONFIG, 3));
    expect(m.state).toBe('SYSCONFIG_DONE');
    expectOk(c.call(LEAF.SYS_KEY_CONFIG, 1));
    expect(m.state).toBe('SYS_READY');
    expect(m.configuredPkgs).toEqual([0, 1]);
    // Now outside SYSCONFIG_DONE.
    expect(c.call(LEAF.SYS_KEY_CONFIG, 0).status).toBe(STATUS.TDX_SYS_KEY_CONFIG_NOT_PENDING);
  });

  it('takes the global lock exclusively: overlapping calls on two packages → TDX_SYS_BUSY', () => {
    const { m, c } = configured();
    const t = c.t;
    expectOk(m.call(LEAF.SYS_KEY_CONFIG, 0, {}, t, t + 100));
    expect(hexStatus(m.call(LEAF.SYS_KEY_CONFIG, 2, {}, t + 50, t + 150).status)).toBe('0x8000020200000000');
    expect(m.configuredPkgs).toEqual([0]);
    expectOk(m.call(LEAF.SYS_KEY_CONFIG, 3, {}, t + 150, t + 250));
    expect(m.state).toBe('SYS_READY');
  });
});
