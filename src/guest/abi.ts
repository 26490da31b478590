// The TDCALL/TDVMCALL contract a Linux TD guest lives by, as tables: TDCALL leaves, TDVMCALL
// sub-functions, the registers a TDVMCALL exposes to the VMM (2021 and today), the status codes
// of both kinds (the TDX module's in RAX, the VMM's in R10), GetQuote buffer statuses, and the
// kernel's reaction to each failure class. Nothing here is timed; it classifies and explains.
//
// Sources: arch/x86/include/asm/shared/tdx.h (leaf and sub-function ids, TDVMCALL status
// codes, TDVMCALL_EXPOSE_REGS_MASK), arch/x86/coco/tdx/tdx.c and tdx-shared.c (wrappers,
// tdx_map_gpa, tdx_panic), drivers/virt/coco/tdx-guest/tdx-guest.c (GetQuote), the TDX module's
// error-code header (TDX_PAGE_ALREADY_ACCEPTED / TDX_PAGE_SIZE_MISMATCH), QEMU
// tdx-quote-generator.h (GetQuote buffer statuses), the 2021 "__tdcall() and __tdvmcall()
// helper functions" patch (mask R10–R15).

import { STATUS } from '../model/module/status.js';

/** Who is to blame when a call fails, and so how the kernel should react (Dave Hansen's three cases, plus timeouts). */
export type FailureClass = 'module-bug' | 'vmm-error' | 'guest-misuse' | 'timeout' | 'info';

export type AbiKind = 'tdcall-leaf' | 'tdvmcall-subfunction' | 'tdcall-status' | 'tdvmcall-status' | 'getquote-status' | 'register-mask';

export interface AbiEntry {
  kind: AbiKind;
  name: string;
  value: bigint;
  summary: string;
  source: string;
  /** For statuses: whose failure it is. */
  failureClass?: FailureClass;
  /** For statuses: what the Linux guest does when it sees it. */
  kernelReaction?: string;
  since?: string;
}

const SHARED_TDX_H = 'arch/x86/include/asm/shared/tdx.h';

export const TDCALL_LEAVES: readonly AbiEntry[] = [
  { kind: 'tdcall-leaf', name: 'TDG.VP.VMCALL', value: 0n, summary: 'TDVMCALL: hand the exposed registers to the VMM (RCX = mask, R10 = 0 for GHCI, R11 = sub-function)', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.VP.INFO', value: 1n, summary: 'TD execution info (GPA width → shared bit, attributes, vCPU counts); early boot', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.MR.RTMR.EXTEND', value: 2n, summary: 'extend a runtime measurement register (RTMR)', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.VP.VEINFO.GET', value: 3n, summary: 'read the #VE information (exit reason, qualification, GPA) in the #VE handler', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.MR.REPORT', value: 4n, summary: 'build the 1024-byte TDREPORT over 64 bytes of REPORTDATA (first step of a quote)', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.VP.CPUIDVE.SET', value: 5n, summary: 'choose which CPUID leaves raise #VE', source: 'TDX module ABI' },
  { kind: 'tdcall-leaf', name: 'TDG.MEM.PAGE.ACCEPT', value: 6n, summary: 'accept a pending private page (1G/2M/4K); an EPT-violation TD exit first if the host has not added it', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.VM.RD', value: 7n, summary: 'read a TD-scope metadata field (e.g. TDCS_QUOTE_MAX_SIZE, notify/#VE settings)', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.VM.WR', value: 8n, summary: 'write a TD-scope metadata field (e.g. disable NOTIFY_ENABLES, SEPT #VE)', source: SHARED_TDX_H },
  { kind: 'tdcall-leaf', name: 'TDG.VP.RD', value: 9n, summary: 'read a vCPU-scope metadata field', source: 'TDX module ABI' },
  { kind: 'tdcall-leaf', name: 'TDG.VP.WR', value: 10n, summary: 'write a vCPU-scope metadata field', source: 'TDX module ABI' },
  { kind: 'tdcall-leaf', name: 'TDG.SYS.RD', value: 11n, summary: 'read a module-global metadata field (module 1.5+)', source: SHARED_TDX_H, since: 'TDX module 1.5' },
];

export const TDVMCALL_SUBFUNCTIONS: readonly AbiEntry[] = [
  { kind: 'tdvmcall-subfunction', name: 'TDVMCALL_GET_TD_VM_CALL_INFO', value: 0x10000n, summary: 'ask the VMM which TDVMCALLs it supports', source: SHARED_TDX_H },
  { kind: 'tdvmcall-subfunction', name: 'TDVMCALL_MAP_GPA', value: 0x10001n, summary: 'convert a GPA range private↔shared (R12 start with the shared bit set for shared, R13 size); KVM does ≤ 2 MiB per exit and may answer RETRY with the next GPA in R11', source: SHARED_TDX_H },
  { kind: 'tdvmcall-subfunction', name: 'TDVMCALL_GET_QUOTE', value: 0x10002n, summary: 'ask the VMM to turn the TDREPORT in a shared buffer (R12 GPA, R13 size) into a quote; completion is polled in the buffer header', source: SHARED_TDX_H, since: '6.7' },
  { kind: 'tdvmcall-subfunction', name: 'TDVMCALL_REPORT_FATAL_ERROR', value: 0x10003n, summary: 'tdx_panic(): tell the VMM the TD is dying, 64-byte message in R14,R15,RBX,RDI,RSI,R8,R9,RDX', source: SHARED_TDX_H, since: '6.3' },
  { kind: 'tdvmcall-subfunction', name: 'TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT', value: 0x10004n, summary: 'register a completion interrupt vector; used by 2022 out-of-tree quote drivers, never by the merged Linux driver (it polls)', source: 'GHCI; QEMU tdx.c' },
  { kind: 'tdvmcall-subfunction', name: 'EXIT_REASON_CPUID', value: 10n, summary: 'instruction emulation: CPUID (#VE handler); sub-function = VMX exit reason', source: 'arch/x86/coco/tdx/tdx.c hcall_func()' },
  { kind: 'tdvmcall-subfunction', name: 'EXIT_REASON_HLT', value: 12n, summary: 'instruction emulation: HLT (idle); every idle halt is a TD exit', source: 'arch/x86/coco/tdx/tdx.c' },
  { kind: 'tdvmcall-subfunction', name: 'EXIT_REASON_IO_INSTRUCTION', value: 30n, summary: 'instruction emulation: port I/O', source: 'arch/x86/coco/tdx/tdx.c' },
  { kind: 'tdvmcall-subfunction', name: 'EXIT_REASON_MSR_READ', value: 31n, summary: 'instruction emulation: RDMSR', source: 'arch/x86/coco/tdx/tdx.c' },
  { kind: 'tdvmcall-subfunction', name: 'EXIT_REASON_MSR_WRITE', value: 32n, summary: 'instruction emulation: WRMSR (e.g. x2APIC ICR: every IPI)', source: 'arch/x86/coco/tdx/tdx.c' },
  { kind: 'tdvmcall-subfunction', name: 'EXIT_REASON_EPT_VIOLATION', value: 48n, summary: 'instruction emulation: MMIO on a shared GPA', source: 'arch/x86/coco/tdx/tdx.c' },
];

const VMM_REACTION = 'returned to the caller, never fatal by itself: #VE handlers fail the instruction (-EIO), HLT → WARN_ONCE, MapGPA → set_memory_*crypted() fails, GetQuote → -EIO ("GetQuote hypercall failed")';

export const TDVMCALL_STATUSES: readonly AbiEntry[] = [
  { kind: 'tdvmcall-status', name: 'TDVMCALL_STATUS_SUCCESS', value: 0n, summary: 'the VMM did it', source: SHARED_TDX_H, failureClass: 'info', kernelReaction: 'continue' },
  { kind: 'tdvmcall-status', name: 'TDVMCALL_STATUS_RETRY', value: 1n, summary: 'try again: MapGPA resumes at the GPA in R11 (checked to lie inside the range); QEMU answers GetQuote with it when 16 requests are in flight', source: SHARED_TDX_H, failureClass: 'vmm-error', kernelReaction: 'MapGPA: retry from R11, at most 3 times without progress, R11 outside [start, end) = failure; GetQuote: -EIO' },
  { kind: 'tdvmcall-status', name: 'TDVMCALL_STATUS_INVALID_OPERAND', value: 0x8000000000000000n, summary: 'the VMM rejected an operand (or, before 2025, did not implement the sub-function)', source: SHARED_TDX_H, failureClass: 'vmm-error', kernelReaction: VMM_REACTION },
  { kind: 'tdvmcall-status', name: 'TDVMCALL_STATUS_GPA_INUSE', value: 0x8000000000000001n, summary: 'MapGPA: the GPA range is in use', source: 'GHCI', failureClass: 'vmm-error', kernelReaction: VMM_REACTION },
  { kind: 'tdvmcall-status', name: 'TDVMCALL_STATUS_ALIGN_ERROR', value: 0x8000000000000002n, summary: 'GPA or length not aligned (QEMU: GetQuote buffer must be 4 KiB aligned)', source: SHARED_TDX_H, failureClass: 'guest-misuse', kernelReaction: VMM_REACTION },
  { kind: 'tdvmcall-status', name: 'TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED', value: 0x8000000000000003n, summary: 'the VMM does not implement this sub-function (KVM default for GetQuote unless userspace handles KVM_EXIT_TDX)', source: `${SHARED_TDX_H} (Binbin Wu, 2025)`, failureClass: 'vmm-error', kernelReaction: VMM_REACTION, since: '≈6.16' },
];


/** TDX module completion statuses a guest sees in RAX (class in bits 63:32, operand id in the low bits). */
export const TDCALL_STATUSES: readonly AbiEntry[] = [
  { kind: 'tdcall-status', name: 'TDX_SUCCESS', value: STATUS.TDX_SUCCESS, summary: 'the TDX module did it', source: 'TDX module error codes', failureClass: 'info', kernelReaction: 'continue' },
  { kind: 'tdcall-status', name: 'TDX_OPERAND_INVALID', value: STATUS.TDX_OPERAND_INVALID, summary: 'an operand is invalid (the kernel macro TDCALL_INVALID_OPERAND is its upper half, 0xc0000100)', source: 'TDX module error codes; arch/x86/coco/tdx/tdx.c', failureClass: 'guest-misuse', kernelReaction: 'TDG.MR.REPORT → -EINVAL; on a TDVMCALL or a boot-time call → panic (module bug)' },
  { kind: 'tdcall-status', name: 'TDX_OPERAND_BUSY', value: STATUS.TDX_OPERAND_BUSY, summary: 'a resource is busy (kernel TDCALL_OPERAND_BUSY 0x80000200): e.g. TDG.MR.REPORT racing an RTMR extend', source: 'TDX module error codes; tdx-guest.c (6.16+)', failureClass: 'guest-misuse', kernelReaction: 'TDG.MR.REPORT → -EBUSY (6.16+); the caller retries' },
  { kind: 'tdcall-status', name: 'TDX_PAGE_ALREADY_ACCEPTED', value: 0x00000b0a00000000n, summary: 'TDG.MEM.PAGE.ACCEPT on a page already accepted (a warning class: bit 63 clear)', source: 'TDX module tdg_mem_page_accept.c', failureClass: 'guest-misuse', kernelReaction: 'try_accept_one() treats any non-zero status as failure of that size and falls back to a smaller one; at 4K it is fatal (accept_memory panics)' },
  { kind: 'tdcall-status', name: 'TDX_PAGE_SIZE_MISMATCH', value: 0xc0000b0b00000000n, summary: 'TDG.MEM.PAGE.ACCEPT at a size larger than the host mapped (host maps private memory at 4K): accept smaller', source: 'TDX module tdg_mem_page_accept.c', failureClass: 'info', kernelReaction: 'try_accept_one() falls back 1G → 2M → 4K' },
];

export const GETQUOTE_STATUSES: readonly AbiEntry[] = [
  { kind: 'getquote-status', name: 'GET_QUOTE_SUCCESS', value: 0n, summary: 'quote written after the 24-byte header (out_len bytes)', source: 'tdx-guest.c; QEMU tdx-quote-generator.h', failureClass: 'info', kernelReaction: 'outblob = the quote' },
  { kind: 'getquote-status', name: 'GET_QUOTE_IN_FLIGHT', value: 0xffffffffffffffffn, summary: 'the VMM still owns the buffer', source: 'tdx-guest.c', failureClass: 'timeout', kernelReaction: 'driver keeps polling (30 × 1 s); a new request while it is set gets -EBUSY' },
  { kind: 'getquote-status', name: 'GET_QUOTE_ERROR', value: 0x8000000000000000n, summary: 'quote generation failed (QGS error, or QEMU\'s 30 s transaction timer)', source: 'QEMU tdx-quote-generator.h', failureClass: 'vmm-error', kernelReaction: '-EIO since 2024 (payload status check); empty outblob before' },
  { kind: 'getquote-status', name: 'GET_QUOTE_QGS_UNAVAILABLE', value: 0x8000000000000001n, summary: 'no quote service configured for this TD (QEMU quote-generation-socket unset)', source: 'QEMU tdx-quote-generator.h', failureClass: 'vmm-error', kernelReaction: '-EIO at once since 2024; empty outblob before' },
];

/** Register numbers as the TDX module's RCX mask counts them. */
export const REGISTER_BITS = ['RAX', 'RCX', 'RDX', 'RBX', 'RSP', 'RBP', 'RSI', 'RDI', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15'] as const;

/** TDVMCALL_EXPOSE_REGS_MASK in the 2021 helper patch: R10–R15. */
export const EXPOSE_MASK_2021 = 0xfc00n;
/** TDVMCALL_EXPOSE_REGS_MASK since 6.3: RDX, RBX, RSI, RDI, R8–R15 (for ReportFatalError and Hyper-V). */
export const EXPOSE_MASK_NOW = 0xffccn;

export const REGISTER_MASKS: readonly AbiEntry[] = [
  { kind: 'register-mask', name: 'TDVMCALL_EXPOSE_REGS_MASK (2021)', value: EXPOSE_MASK_2021, summary: `exposes ${registersOf(EXPOSE_MASK_2021).join(', ')}`, source: '"[PATCH v2 1/1] x86/tdx: Add __tdcall() and __tdvmcall() helper functions", April 2021' },
  { kind: 'register-mask', name: 'TDVMCALL_EXPOSE_REGS_MASK', value: EXPOSE_MASK_NOW, summary: `exposes ${registersOf(EXPOSE_MASK_NOW).join(', ')}; every exposed register is zeroed after the call`, source: SHARED_TDX_H, since: '6.3' },
];

/** The registers a TDVMCALL RCX mask hands to the VMM. */
export function registersOf(mask: bigint): string[] {
  return REGISTER_BITS.filter((_, bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}

export const ALL_ENTRIES: readonly AbiEntry[] = [
  ...TDCALL_LEAVES, ...TDVMCALL_SUBFUNCTIONS, ...TDVMCALL_STATUSES, ...TDCALL_STATUSES, ...GETQUOTE_STATUSES, ...REGISTER_MASKS,
];

// ---------------------------------------------------------------------------------------------
// Failure classes and the kernel's reaction (arch/x86/coco/tdx/tdx.c, tdx-guest.c).

export interface KernelReaction {
  id: string;
  failure: string;
  reportedBy: 'TDX module (RAX)' | 'VMM (R10)' | 'VMM (buffer header)' | 'guest';
  failureClass: FailureClass;
  reaction: string;
  fatal: boolean;
}

export const KERNEL_REACTIONS: readonly KernelReaction[] = [
  { id: 'tdvmcall-carrier-fails', failure: 'the TDCALL that carries a TDVMCALL fails', reportedBy: 'TDX module (RAX)', failureClass: 'module-bug', reaction: '__tdx_hypercall_failed() → panic("TDVMCALL failed. TDX module bug?")', fatal: true },
  { id: 'tdcall-no-legitimate-failure', failure: 'VP.INFO, VEINFO.GET, VM.WR at boot (calls with no legitimate reason to fail)', reportedBy: 'TDX module (RAX)', failureClass: 'module-bug', reaction: 'tdcall() → panic("TDCALL %lld failed (Buggy TDX module!)")', fatal: true },
  { id: 'mr-report-fails', failure: 'TDG.MR.REPORT fails', reportedBy: 'TDX module (RAX)', failureClass: 'guest-misuse', reaction: 'TDCALL_INVALID_OPERAND → -EINVAL, TDCALL_OPERAND_BUSY → -EBUSY (6.16+), else -EIO', fatal: false },
  { id: 'tdvmcall-vmm-status', failure: 'a TDVMCALL returns non-zero R10', reportedBy: 'VMM (R10)', failureClass: 'vmm-error', reaction: VMM_REACTION, fatal: false },
  { id: 'mapgpa-retry-out-of-range', failure: 'MapGPA RETRY with R11 outside [start, end)', reportedBy: 'VMM (R10)', failureClass: 'vmm-error', reaction: 'tdx_map_gpa() fails (R11 comes from the untrusted VMM)', fatal: false },
  { id: 'mapgpa-retry-no-progress', failure: 'MapGPA RETRY with R11 = start, 3 times in a row', reportedBy: 'VMM (R10)', failureClass: 'vmm-error', reaction: 'tdx_map_gpa() fails (max_retries_per_page = 3, reset on progress)', fatal: false },
  { id: 'getquote-payload', failure: 'GetQuote buffer status ≠ GET_QUOTE_SUCCESS', reportedBy: 'VMM (buffer header)', failureClass: 'vmm-error', reaction: '-EIO since 2024 ("GetQuote request failed"); before: an empty outblob', fatal: false },
  { id: 'getquote-timeout', failure: 'GetQuote completes during the 30th poll', reportedBy: 'guest', failureClass: 'timeout', reaction: '-ETIMEDOUT ("GetQuote request timedout"); a quote still in flight after 30 polls instead falls through to the payload check', fatal: false },
  { id: 'guest-must-die', failure: 'the guest decides to die', reportedBy: 'guest', failureClass: 'info', reaction: 'tdx_panic(): TDVMCALL<ReportFatalError> in an endless loop', fatal: true },
];

// ---------------------------------------------------------------------------------------------
// MapGPA as the kernel drives it (tdx_map_gpa in arch/x86/coco/tdx/tdx.c).

export interface MapGpaAnswer { r10: bigint; r11?: bigint }
export interface MapGpaOutcome { ok: boolean; calls: number; reason: string }

export const MAPGPA_MAX_RETRIES_PER_PAGE = 3;

/**
 * Replays tdx_map_gpa() against a scripted VMM: `answers[i]` is the VMM's reply to call i.
 * Success on R10 = 0; any status other than RETRY fails; RETRY must name a GPA in [start, end)
 * in R11 and resumes there; three RETRYs in a row without progress fail.
 */
export function replayMapGpa(start: bigint, end: bigint, answers: readonly MapGpaAnswer[]): MapGpaOutcome {
  let retries = 0;
  let calls = 0;
  while (retries < MAPGPA_MAX_RETRIES_PER_PAGE) {
    const a = answers[calls];
    if (!a) return { ok: false, calls, reason: 'the VMM script ran out of answers' };
    calls++;
    if (a.r10 !== 1n) return a.r10 === 0n ? { ok: true, calls, reason: 'SUCCESS' } : { ok: false, calls, reason: `status ${hex(a.r10)}` };
    const at = a.r11 ?? 0n;
    if (at < start || at >= end) return { ok: false, calls, reason: `RETRY with R11 ${hex(at)} outside [${hex(start)}, ${hex(end)})` };
    if (at === start) {
      retries++;
      continue;
    }
    start = at;
    retries = 0;
  }
  return { ok: false, calls, reason: `${MAPGPA_MAX_RETRIES_PER_PAGE} RETRYs without progress` };
}

export function hex(v: bigint): string {
  return `0x${v.toString(16).toUpperCase().padStart(v > 0xffffffffn ? 16 : 1, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Lookup

export interface AbiMatch extends AbiEntry {
  /** For a TDCALL status matched on its class: the detail bits (operand id) it carried. */
  detail?: bigint;
}

const HIGH = 0xffffffff00000000n;

/** Every table entry a 64-bit value can mean (leaves and statuses share small numbers). */
export function lookupValue(v: bigint): AbiMatch[] {
  const out: AbiMatch[] = [];
  for (const e of ALL_ENTRIES) {
    if (e.value === v) out.push(e);
    else if (e.kind === 'tdcall-status' && e.value !== 0n && (v & HIGH) === e.value) out.push({ ...e, detail: v & ~HIGH });
  }
  return out;
}

/** Upper case, letters and digits only: "TDG.MR.REPORT", "tdg_mr_report" and "GetQuote" compare alike. */
function compact(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Entries whose name matches (case, dots and underscores ignored), else whose name ends with it ("GetQuote", "RETRY"). */
export function lookupName(name: string): AbiEntry[] {
  const n = compact(name);
  if (n === '') return [];
  const exact = ALL_ENTRIES.filter((e) => compact(e.name) === n);
  if (exact.length > 0) return exact;
  return ALL_ENTRIES.filter((e) => compact(e.name).endsWith(n));
}

/** The class bits of a TDX module status: bit 63 error, bit 62 non-recoverable. */
export function tdcallStatusClass(v: bigint): { error: boolean; nonRecoverable: boolean; code: bigint } {
  return { error: ((v >> 63n) & 1n) === 1n, nonRecoverable: ((v >> 62n) & 1n) === 1n, code: v >> 32n };
}
