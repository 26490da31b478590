import { describe, expect, it } from 'vitest';
import {
  PS,
  STATUS,
  hexStatus,
  isError,
  isNonRecoverable,
  packIndex,
  statusBase,
  statusName,
  unpackIndex,
  withOperand,
} from '../src/model/module/index.js';

describe('status codes', () => {
  it('packs index bytes as the module does: byte 0 = i, byte 1 = ps or j, byte 2 = other TDMR', () => {
    // TDMR 2's 2M PAMT overlapping TDMR 0.
    const s = packIndex(STATUS.TDX_PAMT_OVERLAP, 2, PS.M2, 0);
    expect(hexStatus(s)).toBe('0xc0000a1200000102');
    expect(unpackIndex(s)).toEqual([2, 1, 0, 0]);
    expect(hexStatus(packIndex(STATUS.TDX_PAMT_OVERLAP, 1, PS.G1, 3))).toBe('0xc0000a1200030201');
  });

  it('wraps indexes at 256 like the module’s uint8_t casts', () => {
    expect(hexStatus(packIndex(STATUS.TDX_INVALID_TDMR, 257))).toBe('0xc0000a0000000001');
  });

  it('adds operand ids', () => {
    expect(hexStatus(withOperand(STATUS.TDX_OPERAND_INVALID, 8))).toBe('0xc000010000000008');
    expect(hexStatus(withOperand(STATUS.TDX_OPERAND_BUSY, 1))).toBe('0x8000020000000001');
  });

  it('names statuses by class, ignoring detail bits', () => {
    expect(statusName(0xc0000a1200000102n)).toBe('TDX_PAMT_OVERLAP');
    expect(statusName(0xc000010000000002n)).toBe('TDX_OPERAND_INVALID');
    expect(statusName(0n)).toBe('TDX_SUCCESS');
    expect(statusName(0xc000050500000000n)).toBe('TDX_SYS_NOT_READY');
    expect(statusName(STATUS.VMFAILINVALID)).toBe('VMFAILINVALID');
    expect(statusName(0xc0ffee0000000000n)).toMatch(/^UNKNOWN_/);
    expect(statusBase(0xc0000a1200000102n)).toBe(STATUS.TDX_PAMT_OVERLAP);
  });

  it('every code in the table has a distinct class', () => {
    const seen = new Map<bigint, string>();
    for (const [name, v] of Object.entries(STATUS)) {
      const base = statusBase(v);
      expect(seen.get(base), name).toBeUndefined();
      seen.set(base, name);
      expect(statusName(v)).toBe(name);
    }
  });

  it('bit 63 is the error bit; two “informational” statuses lack it', () => {
    expect(isError(STATUS.TDX_KEY_CONFIGURED)).toBe(false);
    expect(isError(STATUS.TDX_TDMR_ALREADY_INITIALIZED)).toBe(false);
    expect(isError(STATUS.TDX_SUCCESS)).toBe(false);
    expect(isError(STATUS.TDX_SYS_BUSY)).toBe(true);
    expect(isError(STATUS.VMFAILINVALID)).toBe(true);
    expect(isNonRecoverable(STATUS.TDX_SYS_BUSY)).toBe(false);
    expect(isNonRecoverable(STATUS.TDX_PAMT_OVERLAP)).toBe(true);
  });
});
