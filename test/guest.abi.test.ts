// The TDCALL/TDVMCALL contract tables: exact values, masks, and the kernel's MapGPA retry rules.
import { describe, it, expect } from 'vitest';
import {
  TDCALL_LEAVES, TDVMCALL_SUBFUNCTIONS, TDVMCALL_STATUSES, TDCALL_STATUSES, GETQUOTE_STATUSES, KERNEL_REACTIONS,
  EXPOSE_MASK_2021, EXPOSE_MASK_NOW, registersOf, replayMapGpa, lookupValue, lookupName, ALL_ENTRIES,
} from '../src/guest/abi.js';

const byName = (rows: readonly { name: string; value: bigint }[]) => Object.fromEntries(rows.map((r) => [r.name, r.value]));

describe('TDCALL leaves and TDVMCALL sub-functions (asm/shared/tdx.h)', () => {
  it('leaf numbers', () => {
    expect(byName(TDCALL_LEAVES)).toMatchObject({
      'TDG.VP.VMCALL': 0n, 'TDG.VP.INFO': 1n, 'TDG.MR.RTMR.EXTEND': 2n, 'TDG.VP.VEINFO.GET': 3n, 'TDG.MR.REPORT': 4n,
      'TDG.MEM.PAGE.ACCEPT': 6n, 'TDG.VM.RD': 7n, 'TDG.VM.WR': 8n, 'TDG.SYS.RD': 11n,
    });
  });

  it('GHCI sub-functions and instruction-emulation exit reasons', () => {
    expect(byName(TDVMCALL_SUBFUNCTIONS)).toMatchObject({
      TDVMCALL_GET_TD_VM_CALL_INFO: 0x10000n, TDVMCALL_MAP_GPA: 0x10001n, TDVMCALL_GET_QUOTE: 0x10002n,
      TDVMCALL_REPORT_FATAL_ERROR: 0x10003n, TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT: 0x10004n,
      EXIT_REASON_CPUID: 10n, EXIT_REASON_HLT: 12n, EXIT_REASON_IO_INSTRUCTION: 30n, EXIT_REASON_MSR_READ: 31n,
      EXIT_REASON_MSR_WRITE: 32n, EXIT_REASON_EPT_VIOLATION: 48n,
    });
  });

  it('no two entries of one kind share a value', () => {
    const seen = new Set<string>();
    for (const e of ALL_ENTRIES) {
      const key = `${e.kind}:${e.value}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });
});

describe('exposed registers', () => {
  it('2021: R10–R15 = 0xFC00', () => {
    expect(EXPOSE_MASK_2021).toBe(0xfc00n);
    expect(registersOf(EXPOSE_MASK_2021)).toEqual(['R10', 'R11', 'R12', 'R13', 'R14', 'R15']);
  });

  it('now: RDX, RBX, RSI, RDI, R8–R15 = 0xFFCC (never RAX, RCX, RSP, RBP)', () => {
    expect(EXPOSE_MASK_NOW).toBe(0xffccn);
    expect(registersOf(EXPOSE_MASK_NOW)).toEqual(['RDX', 'RBX', 'RSI', 'RDI', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15']);
  });
});

describe('status codes of both kinds', () => {
  it('TDVMCALL statuses in R10', () => {
    expect(byName(TDVMCALL_STATUSES)).toEqual({
      TDVMCALL_STATUS_SUCCESS: 0n, TDVMCALL_STATUS_RETRY: 1n, TDVMCALL_STATUS_INVALID_OPERAND: 0x8000000000000000n,
      TDVMCALL_STATUS_GPA_INUSE: 0x8000000000000001n, TDVMCALL_STATUS_ALIGN_ERROR: 0x8000000000000002n,
      TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED: 0x8000000000000003n,
    });
  });

  it('TDX module statuses in RAX carry their class in bits 63:32 (kernel TDCALL_INVALID_OPERAND 0xc0000100, OPERAND_BUSY 0x80000200)', () => {
    const s = byName(TDCALL_STATUSES);
    expect(s.TDX_OPERAND_INVALID >> 32n).toBe(0xc0000100n);
    expect(s.TDX_OPERAND_BUSY >> 32n).toBe(0x80000200n);
    expect(s.TDX_PAGE_ALREADY_ACCEPTED).toBe(0x00000b0a00000000n);
    expect(s.TDX_PAGE_SIZE_MISMATCH).toBe(0xc0000b0b00000000n);
  });

  it('a module status with an operand id in the low bits is matched on its class', () => {
    const m = lookupValue(0xc000010000000008n).find((e) => e.kind === 'tdcall-status');
    expect(m?.name).toBe('TDX_OPERAND_INVALID');
    expect(m?.detail).toBe(8n);
  });

  it('GetQuote buffer statuses (QEMU tdx-quote-generator.h)', () => {
    expect(byName(GETQUOTE_STATUSES)).toEqual({
      GET_QUOTE_SUCCESS: 0n, GET_QUOTE_IN_FLIGHT: 0xffffffffffffffffn, GET_QUOTE_ERROR: 0x8000000000000000n,
      GET_QUOTE_QGS_UNAVAILABLE: 0x8000000000000001n,
    });
  });

  it('names resolve case-insensitively, dots and underscores alike, and by a unique suffix', () => {
    expect(lookupName('tdg_mr_report')[0].value).toBe(4n);
    expect(lookupName('GET_QUOTE').map((e) => e.name)).toContain('TDVMCALL_GET_QUOTE');
  });
});

describe('kernel reaction per failure class', () => {
  const r = Object.fromEntries(KERNEL_REACTIONS.map((x) => [x.id, x]));
  it('a failing TDCALL that carries a TDVMCALL panics (module bug)', () => {
    expect(r['tdvmcall-carrier-fails']).toMatchObject({ failureClass: 'module-bug', fatal: true });
    expect(r['tdvmcall-carrier-fails'].reaction).toContain('TDVMCALL failed. TDX module bug?');
  });

  it('VMM failures are error codes, never fatal', () => {
    for (const x of KERNEL_REACTIONS.filter((k) => k.reportedBy.startsWith('VMM'))) {
      expect(x.fatal, x.id).toBe(false);
      expect(x.failureClass, x.id).toBe('vmm-error');
    }
  });
});

describe('MapGPA retries (tdx_map_gpa)', () => {
  const S = 0x1000n;
  const E = 0x5000n;
  it('SUCCESS on the first call', () => {
    expect(replayMapGpa(S, E, [{ r10: 0n }])).toMatchObject({ ok: true, calls: 1 });
  });

  it('RETRY with progress resumes at R11 and resets the retry count', () => {
    const answers = [{ r10: 1n, r11: S }, { r10: 1n, r11: S }, { r10: 1n, r11: 0x2000n }, { r10: 1n, r11: 0x2000n }, { r10: 1n, r11: 0x2000n }, { r10: 0n }];
    expect(replayMapGpa(S, E, answers)).toMatchObject({ ok: true, calls: 6 });
  });

  it('three RETRYs without progress fail', () => {
    expect(replayMapGpa(S, E, [{ r10: 1n, r11: S }, { r10: 1n, r11: S }, { r10: 1n, r11: S }, { r10: 0n }])).toMatchObject({ ok: false, calls: 3 });
  });

  it('RETRY with R11 outside [start, end) fails at once (R11 is untrusted)', () => {
    expect(replayMapGpa(S, E, [{ r10: 1n, r11: E }])).toMatchObject({ ok: false, calls: 1 });
    expect(replayMapGpa(S, E, [{ r10: 1n, r11: 0x800n }])).toMatchObject({ ok: false, calls: 1 });
  });

  it('any other status fails', () => {
    expect(replayMapGpa(S, E, [{ r10: 0x8000000000000000n }])).toMatchObject({ ok: false, calls: 1 });
  });
});
