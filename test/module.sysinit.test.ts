import { describe, expect, it } from 'vitest';
import { LEAF, STATUS, TdxModule, cmrListValid, hexStatus, keyIdLayout, type CmrEntry } from '../src/model/module/index.js';
import { Clock, GiB, baseConfig, expectOk } from './module.fixture.js';

function sysInit(over: Parameters<typeof baseConfig>[0]) {
  const m = new TdxModule(baseConfig(over));
  const c = new Clock(m);
  return { m, c, r: c.call(LEAF.SYS_INIT, 0) };
}

const K = keyIdLayout({ mktme: 31, tdx: 32 });
const cmr = (start: bigint, end: bigint): CmrEntry => ({ start, end });

describe('TDH.SYS.INIT', () => {
  it('runs once per module lifetime', () => {
    const { m, c, r } = sysInit({});
    expectOk(r);
    expect(m.state).toBe('SYSINIT_DONE');
    expect(hexStatus(c.call(LEAF.SYS_INIT, 1).status)).toBe('0xc000050000000000');
  });

  it('records totalLps and totalPkgs from MCHECK', () => {
    const { m } = sysInit({});
    expect(m.totalLps).toBe(4);
    expect(m.totalPkgs).toBe(2);
    expect(m.initLps).toBe(0);
  });

  it('refuses a TDX KeyID range reaching 2048, with MAX_HKIDS as the operand', () => {
    const { m, r } = sysInit({ keyids: { mktme: 1000, tdx: 1048 } });
    expect(statusClass(r.status)).toBe(STATUS.TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED);
    expect(hexStatus(r.status)).toBe('0xc000082500000800');
    expect(m.state).toBe('SYSINIT_PENDING');
    expectOk(sysInit({ keyids: { mktme: 1000, tdx: 1047 } }).r);
  });

  it('reports a platform-check failure and stays SYSINIT_PENDING', () => {
    const { m, r } = sysInit({ sysInitPlatformOk: false });
    expect(r.name).toBe('TDX_INCORRECT_MSR_VALUE');
    expect(hexStatus(r.status)).toBe('0xc00009210000010a');
    expect(m.state).toBe('SYSINIT_PENDING');
  });

  it('RCX is reserved: non-zero → TDX_OPERAND_INVALID(RCX)', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expect(hexStatus(c.call(LEAF.SYS_INIT, 0, { rcx: 1n }).status)).toBe('0xc000010000000001');
    expectOk(c.call(LEAF.SYS_INIT, 0));
  });

  describe('CMR list → TDX_CMR_LIST_INVALID, module stays SYSINIT_PENDING', () => {
    const bad: [string, CmrEntry[]][] = [
      ['more than 32 entries', Array.from({ length: 33 }, (_, i) => cmr(BigInt(i) * GiB, BigInt(i) * GiB + 4096n))],
      ['unaligned start', [cmr(0x800n, 2n * GiB)]],
      ['unaligned size', [cmr(0n, 2n * GiB + 0x800n)]],
      ['unordered', [cmr(4n * GiB, 8n * GiB), cmr(0n, 2n * GiB)]],
      ['overlapping', [cmr(0n, 2n * GiB), cmr(2n * GiB - 4096n, 4n * GiB)]],
      ['KeyID bits set', [cmr(0n, 2n * GiB), cmr(1n << 46n, (1n << 46n) + GiB)]],
      ['beyond 2^52', [cmr(0n, 2n * GiB), cmr((1n << 52n) - GiB, (1n << 52n) + GiB)]],
    ];
    for (const [what, cmrs] of bad) {
      it(what, () => {
        const { m, c, r } = sysInit({ cmrs, keyids: what === 'beyond 2^52' ? { mktme: 0, tdx: 0 } : { mktme: 31, tdx: 32 } });
        expect(hexStatus(r.status)).toBe('0xc0000a2200000000');
        expect(m.state).toBe('SYSINIT_PENDING');
        // Failure leaves SYSINIT_PENDING, so SYS.INIT can be called again (and fails the same way).
        expect(c.call(LEAF.SYS_INIT, 0).status).toBe(STATUS.TDX_CMR_LIST_INVALID);
      });
    }
  });

  it('accepts touching CMRs, exactly 32 entries, and empty slots anywhere (the module skips them)', () => {
    expect(cmrListValid([cmr(0n, GiB), cmr(GiB, 2n * GiB)], K)).toBe(true);
    expect(cmrListValid(Array.from({ length: 32 }, (_, i) => cmr(BigInt(i) * GiB, BigInt(i) * GiB + 4096n)), K)).toBe(true);
    // init-flow.md / README call an empty entry before a used one invalid; tdh_sys_init.c's
    // check_cmrs only looks at non-empty slots, so the module accepts this list.
    expectOk(sysInit({ cmrs: [cmr(0n, 2n * GiB), cmr(0n, 0n), cmr(4n * GiB, 12n * GiB)] }).r);
    expect(cmrListValid([cmr(0n, 0n), cmr(0n, 2n * GiB)], K)).toBe(true);
  });
});

function statusClass(s: bigint): bigint {
  return s & 0xffffffff00000000n;
}
