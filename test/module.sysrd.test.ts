import { describe, expect, it } from 'vitest';
import { LEAF, MD_FIELD, STATUS, TdxModule, cmrBaseField, cmrSizeField, hexStatus } from '../src/model/module/index.js';
import { Clock, GiB, baseConfig, expectOk, initAll, readyModule } from './module.fixture.js';

describe('TDH.SYS.RD and TDH.SYS.INFO', () => {
  it('need LP.INIT on the calling LP: TDX_SYS_LP_INIT_NOT_DONE', () => {
    const m = new TdxModule(baseConfig());
    const c = new Clock(m);
    expect(hexStatus(c.call(LEAF.SYS_RD, 0, { field: MD_FIELD.MAX_TDMRS }).status)).toBe('0xc000050200000000');
    expectOk(c.call(LEAF.SYS_INIT, 0));
    expect(c.call(LEAF.SYS_INFO, 0).status).toBe(STATUS.TDX_SYS_LP_INIT_NOT_DONE);
    expectOk(c.call(LEAF.SYS_LP_INIT, 0));
    expectOk(c.call(LEAF.SYS_RD, 0, { field: MD_FIELD.MAX_TDMRS }));
    expect(c.call(LEAF.SYS_RD, 1, { field: MD_FIELD.MAX_TDMRS }).status).toBe(STATUS.TDX_SYS_LP_INIT_NOT_DONE);
  });

  it('reads the fields the kernel reads, from the module config', () => {
    const cfg = baseConfig({ maxTdmrs: 32, maxReservedPerTdmr: 8, pamtEntrySize: [16, 8, 4], features0: (1n << 18n) | (1n << 36n), version: '2.0.08.00', buildNum: 882 });
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    initAll(c, cfg);
    const rd = (field: bigint) => expectOk(c.call(LEAF.SYS_RD, 0, { field })).r8;
    expect(rd(MD_FIELD.TDX_FEATURES0)).toBe((1n << 18n) | (1n << 36n));
    expect(rd(MD_FIELD.MAX_TDMRS)).toBe(32n);
    expect(rd(MD_FIELD.MAX_RESERVED_PER_TDMR)).toBe(8n);
    expect([rd(MD_FIELD.PAMT_4K_ENTRY_SIZE), rd(MD_FIELD.PAMT_2M_ENTRY_SIZE), rd(MD_FIELD.PAMT_1G_ENTRY_SIZE)]).toEqual([16n, 8n, 4n]);
    expect([rd(MD_FIELD.MAJOR_VERSION), rd(MD_FIELD.MINOR_VERSION), rd(MD_FIELD.UPDATE_VERSION)]).toEqual([2n, 0n, 8n]);
    expect(rd(MD_FIELD.BUILD_NUM)).toBe(882n);
    expect(rd(MD_FIELD.NUM_CMRS)).toBe(2n);
    expect([rd(cmrBaseField(1)), rd(cmrSizeField(1)), rd(cmrSizeField(2))]).toEqual([4n * GiB, 8n * GiB, 0n]);
    // RDX walks the context in field-id order.
    expect(c.call(LEAF.SYS_RD, 0, { field: MD_FIELD.MAX_TDMRS }).rdx).toBe(MD_FIELD.MAX_RESERVED_PER_TDMR);
    // The field id may come in RDX, as on the real ABI.
    expect(c.call(LEAF.SYS_RD, 0, { rdx: MD_FIELD.MAX_TDMRS }).r8).toBe(32n);
    expect(c.call(LEAF.SYS_RD, 0, { field: 0x9100000100000099n }).name).toBe('TDX_METADATA_FIELD_ID_INCORRECT');
  });

  it('1.0 modules answer SYS.RD with TDX_SYS_NOT_READY until SYS_READY', () => {
    const cfg = baseConfig({ version: '1.0.3' });
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    initAll(c, cfg);
    // The failure 6.8+ kernels hit: "SEAMCALL (0x22) failed 0xc000050500000000".
    const r = c.call(LEAF.SYS_RD, 0, { field: MD_FIELD.TDX_FEATURES0 });
    expect(LEAF.SYS_RD).toBe(0x22);
    expect(hexStatus(r.status)).toBe('0xc000050500000000');
    expectOk(c.call(LEAF.SYS_INFO, 0));
    const ready = readyModule(cfg);
    expectOk(ready.c.call(LEAF.SYS_RD, 0, { field: MD_FIELD.MAX_TDMRS }));
  });

  it('SYS.INFO returns the 1024-byte struct and all 32 CMR slots', () => {
    const cfg = baseConfig();
    const m = new TdxModule(cfg);
    const c = new Clock(m);
    initAll(c, cfg);
    const r = expectOk(c.call(LEAF.SYS_INFO, 1));
    expect(r.rdx).toBe(1024n);
    expect(r.r9).toBe(32n);
    expect(r.info!.cmrs).toHaveLength(32);
    expect(r.info!.cmrs[0]).toEqual({ base: 0n, size: 2n * GiB });
    expect(r.info!.cmrs[31]).toEqual({ base: 0n, size: 0n });
    expect(r.info!).toMatchObject({ vendorId: 0x8086, majorVersion: 1, minorVersion: 5, maxTdmrs: 64, maxReservedPerTdmr: 16, pamtEntrySize: 16, sysRd: true });
    expect(hexStatus(c.call(LEAF.SYS_INFO, 1, { rdx: 512n }).status)).toBe('0xc000010000000002');
    expect(hexStatus(c.call(LEAF.SYS_INFO, 1, { r9: 16n }).status)).toBe('0xc000010000000009');
  });
});
