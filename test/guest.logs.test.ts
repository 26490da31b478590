// Guest log lines → stable diagnosis ids, failure classes, line numbers, cause and remedy.
import { describe, it, expect } from 'vitest';
import { classifyGuestLog, GUEST_DIAGNOSIS_IDS } from '../src/guest/logs.js';

const LOG = [
  '[    0.000000] Linux version 6.8.0-tdx',
  '[    0.412345] smpboot: Parallel CPU startup disabled by the platform',
  '[   12.000001] tdx_guest: GetQuote hypercall failed, status:1',
  '[   45.123456] tdx_guest: GetQuote request timedout',
  '[   46.000000] tdx_guest: GetQuote request failed, status:8000000000000001',
  '[   47.000000] TDVMCALL failed. TDX module bug?',
  '[   48.000000] TDCALL 1 failed (Buggy TDX module!)',
  'Unaccepted:     8388608 kB',
].join('\n');

describe('classifyGuestLog', () => {
  const d = classifyGuestLog(LOG);
  const by = (id: string) => d.find((x) => x.id === id)!;

  it('finds every recognised line, in order, with its 1-based line number', () => {
    expect(d.map((x) => [x.id, x.line])).toEqual([
      ['guest-parallel-bringup-disabled', 2], ['guest-getquote-failed', 3], ['guest-getquote-timeout', 4],
      ['guest-getquote-payload-failed', 5], ['guest-tdvmcall-module-bug', 6], ['guest-tdcall-module-bug', 7],
      ['guest-unaccepted-memory', 8],
    ]);
  });

  it('classes: module bug, VMM error, timeout, info', () => {
    expect(by('guest-tdvmcall-module-bug').failureClass).toBe('module-bug');
    expect(by('guest-tdcall-module-bug').failureClass).toBe('module-bug');
    expect(by('guest-getquote-failed').failureClass).toBe('vmm-error');
    expect(by('guest-getquote-timeout').failureClass).toBe('timeout');
    expect(by('guest-unaccepted-memory').failureClass).toBe('info');
  });

  it('decodes the statuses the lines carry', () => {
    expect(by('guest-getquote-failed').cause).toContain('TDVMCALL_STATUS_RETRY');
    expect(by('guest-getquote-payload-failed').cause).toContain('GET_QUOTE_QGS_UNAVAILABLE');
    expect(by('guest-tdcall-module-bug').cause).toContain('TDG.VP.INFO');
  });

  it('quantifies unaccepted memory', () => {
    expect(by('guest-unaccepted-memory').cause).toContain('8.00 GiB');
    expect(classifyGuestLog('Unaccepted:           0 kB')[0].cause).toContain('all memory has been accepted');
  });

  it('every diagnosis has a cause and a remedy; ids are stable', () => {
    for (const x of d) {
      expect(x.cause.length).toBeGreaterThan(10);
      expect(x.remedy.length).toBeGreaterThan(5);
    }
    expect(GUEST_DIAGNOSIS_IDS).toContain('guest-getquote-timeout');
  });

  it('a quote client giving up is classified with the common host-side causes', () => {
    const [x] = classifyGuestLog('Jan 01 00:00:00 td app[12]: libtdx_attest: failed to read outblob.');
    expect(x.id).toBe('guest-quote-client-failed');
    expect(x.cause).toContain('qgs.conf');
  });

  it('a host log yields nothing', () => {
    expect(classifyGuestLog('virt/tdx: module initialized\nkvm: TDX enabled')).toEqual([]);
  });
});
