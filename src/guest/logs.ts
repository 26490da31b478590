// Guest log classification: lines a TD guest (dmesg, /proc/meminfo) prints about the quote
// path, the TDCALL/TDVMCALL contract and memory acceptance, mapped to stable diagnosis ids and
// the failure classes of src/guest/abi.ts. `tdxmodel explain` calls classifyGuestLog.
//
// Message texts as the kernel prints them: drivers/virt/coco/tdx-guest/tdx-guest.c
// ("GetQuote hypercall failed, status:%lx", "GetQuote request timedout", "GetQuote request
// failed, status:%llx" (pr_debug since 2024; "ret %llx" with pr_err in the v4 patch)),
// arch/x86/coco/tdx/tdx.c ("TDVMCALL failed. TDX module bug?", "TDCALL %lld failed (Buggy TDX
// module!)", "HLT instruction emulation failed"), arch/x86/kernel/smpboot.c ("Parallel CPU
// startup disabled by the platform"), fs/proc/meminfo.c ("Unaccepted:").

import { lookupValue, TDCALL_LEAVES, type FailureClass } from './abi.js';

export interface GuestDiagnosis {
  id: string;
  failureClass: FailureClass;
  /** 1-based line number in the text. */
  line: number;
  text: string;
  cause: string;
  remedy: string;
}

interface Rule {
  id: string;
  failureClass: FailureClass;
  pattern: RegExp;
  explain: (m: RegExpExecArray) => { cause: string; remedy: string };
}

function statusMeaning(hexDigits: string, kinds: readonly string[]): string {
  let v: bigint;
  try {
    v = BigInt(`0x${hexDigits.replace(/^0x/i, '')}`);
  } catch {
    return `status ${hexDigits}`;
  }
  const names = lookupValue(v).filter((e) => kinds.includes(e.kind)).map((e) => e.name);
  return names.length > 0 ? `status ${hexDigits} = ${names.join(' / ')}` : `status ${hexDigits} (not a known code)`;
}

const RULES: readonly Rule[] = [
  {
    id: 'guest-getquote-failed',
    failureClass: 'vmm-error',
    pattern: /GetQuote hypercall failed, status:\s*(?:0x)?([0-9a-fA-F]+)/,
    explain: (m) => ({
      cause: `the VMM refused the GetQuote TDVMCALL (${statusMeaning(m[1], ['tdvmcall-status'])}); the driver returned -EIO. RETRY means QEMU already has 16 quote requests in flight for this TD; SUBFUNC_UNSUPPORTED/INVALID_OPERAND means the VMM does not handle GetQuote (KVM without a userspace handler, or an old QEMU)`,
      remedy: 'use a QEMU with TDX quote generation (quote-generation-socket) and a KVM that forwards KVM_EXIT_TDX; on RETRY, lower the number of concurrent quote requests',
    }),
  },
  {
    id: 'guest-getquote-payload-failed',
    failureClass: 'vmm-error',
    pattern: /GetQuote request failed, (?:status:|ret )\s*(?:0x)?([0-9a-fA-F]+)/,
    explain: (m) => ({
      cause: `the quote service answered with an error in the buffer header (${statusMeaning(m[1], ['getquote-status'])}); the driver returned -EIO. QGS_UNAVAILABLE = no quote service configured for this TD; ERROR = the QGS failed or QEMU's 30 s transaction timer fired`,
      remedy: 'check that the host runs QGS (qgsd) and that QEMU\'s quote-generation-socket points at it (vsock port or /var/run/tdx-qgs/qgs.socket); check the QGS log for PCCS/QPL errors',
    }),
  },
  {
    id: 'guest-getquote-timeout',
    failureClass: 'timeout',
    pattern: /GetQuote request timedout/,
    explain: () => ({
      cause: 'wait_for_quote_completion() returned -ETIMEDOUT: its counter was exactly 30, i.e. the buffer changed state during the 30th 1-second sleep (≈30.7 s after the call). With QEMU this is typically its 30 s transaction timer writing GET_QUOTE_ERROR for a quote service that never answered; a quote still in flight after the 30th sleep would instead leave the loop with the counter at 31 and fail the status check (-EIO)',
      remedy: 'make the quote service answer within 30 s: check that QGS is running and reachable and not overloaded (its thread pool and its own 30 s timeout); libtdx_attest retries -ETIMEDOUT at once, up to 3 reads',
    }),
  },
  {
    id: 'guest-quote-client-failed',
    failureClass: 'vmm-error',
    pattern: /libtdx_attest: failed to (?:read outblob|write configFS inblob)|Failed to get the quote/i,
    explain: () => ({
      cause: 'a quote client gave up (libtdx_attest / trustee attester). The usual causes on a TDX host: QGS not listening where the guest looks (newer packages ship the vsock "port" line commented out in qgs.conf), a wrong vsock CID/port in /etc/tdx-attest.conf, PCCS unreachable or rejecting TLS (use_secure_cert, QPL 0xb033), an outdated TDX module/BIOS, or several readers in one TD turning -EBUSY into 10 s retries',
      remedy: 'look for the kernel line just before it (GetQuote hypercall failed / request failed / timedout) and the host QGS log; check qgs.conf port, /etc/tdx-attest.conf, PCCS reachability',
    }),
  },
  {
    id: 'guest-tdvmcall-module-bug',
    failureClass: 'module-bug',
    pattern: /TDVMCALL failed\. TDX module bug\?/,
    explain: () => ({
      cause: 'the TDCALL that carries a TDVMCALL (TDG.VP.VMCALL) itself failed: the TDX module rejected it, which the kernel treats as a module bug and panics (__tdx_hypercall_failed)',
      remedy: 'update the TDX module (and BIOS) on the host; report the module version and the last TDVMCALL to the platform vendor',
    }),
  },
  {
    id: 'guest-tdcall-module-bug',
    failureClass: 'module-bug',
    pattern: /TDCALL (\d+) failed \(Buggy TDX module!\)/,
    explain: (m) => {
      const leaf = TDCALL_LEAVES.find((e) => e.value === BigInt(m[1]));
      return {
        cause: `TDCALL leaf ${m[1]}${leaf ? ` (${leaf.name})` : ''} failed although it has no legitimate reason to: the kernel panics (tdcall() wrapper)`,
        remedy: 'update the TDX module (and BIOS) on the host; this is not a guest configuration problem',
      };
    },
  },
  {
    id: 'guest-hlt-emulation-failed',
    failureClass: 'vmm-error',
    pattern: /HLT instruction emulation failed/,
    explain: () => ({
      cause: 'the VMM returned an error for the HLT TDVMCALL; the kernel warns once and carries on',
      remedy: 'check the host KVM/VMM version; a VMM that fails HLT is misbehaving',
    }),
  },
  {
    id: 'guest-parallel-bringup-disabled',
    failureClass: 'info',
    pattern: /Parallel CPU startup disabled by the platform/,
    explain: () => ({
      cause: 'TDX guests opt out of parallel CPU bring-up (the parallel path reads the x2APIC ID with an RDMSR the TDX module intercepts): APs come up one at a time, so bring-up time grows with the vCPU count',
      remedy: 'expected on TDX; for many-vCPU TDs budget boot time accordingly (see tdxmodel guest) or use fewer vCPUs',
    }),
  },
  {
    id: 'guest-unaccepted-memory',
    failureClass: 'info',
    pattern: /^\s*Unaccepted:\s+(\d+)\s*kB/,
    explain: (m) => {
      const kb = Number(m[1]);
      return kb === 0
        ? { cause: 'all memory has been accepted (lazy accept finished, or accept_memory=eager)', remedy: 'nothing to do' }
        : {
          cause: `${(kb / 1048576).toFixed(2)} GiB of memory is not yet accepted: the kernel accepts it lazily (4 MiB blocks up to the promo watermark), each 4K page costing a TDCALL and an EPT-violation exit on first use`,
          remedy: 'expected with accept_memory=lazy (the default); if allocation latency matters, boot with accept_memory=eager (slower boot) or pre-touch memory',
        };
    },
  },
];

/** Every guest line the rules recognise, in line order; unrecognised lines are skipped. */
export function classifyGuestLog(text: string): GuestDiagnosis[] {
  return classifyGuestLines(text.split(/\r?\n/));
}

/** The same over lines already split (line numbers are 1-based positions in `lines`). */
export function classifyGuestLines(lines: readonly string[]): GuestDiagnosis[] {
  const out: GuestDiagnosis[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    for (const r of RULES) {
      const m = r.pattern.exec(line);
      if (!m) continue;
      out.push({ id: r.id, failureClass: r.failureClass, line: i + 1, text: line.trim(), ...r.explain(m) });
      break;
    }
  }
  return out;
}

/** The diagnosis ids this module can produce (stable; documented for `tdxmodel explain`). */
export const GUEST_DIAGNOSIS_IDS: readonly string[] = RULES.map((r) => r.id);
