// explain recognises a TD guest's own log lines (issue 12.4): each becomes a diagnosis with a
// stable id and its failure class, and a guest-only log is said to be one, not a host whose
// TDX was never enabled.
import { describe, it, expect } from 'vitest';
import { parseSource } from '../src/platform/importers/merge.js';
import { explainSources } from '../src/model/explain.js';
import { explainText } from '../src/report/explainText.js';
import { GUEST_DIAGNOSIS_IDS } from '../src/guest/logs.js';

const GUEST_LOG = [
  '[    0.000000] Linux version 6.8.0-31-generic (buildd@lcy02-amd64-080) #31-Ubuntu SMP',
  '[    0.000000] tdx: Guest detected',
  '[    0.301234] smpboot: Parallel CPU startup disabled by the platform',
  '[   45.102000] tdx_guest: GetQuote request timedout',
  '[   46.000000] Kernel panic - not syncing: TDVMCALL failed. TDX module bug?',
].join('\n');

async function explain(text: string) {
  return explainSources([parseSource({ file: 'td.txt', text })]);
}

describe('guest lines in explain', () => {
  it('a guest-only log: no-tdx-init says it is a TD\'s log, and every guest line is classified with its class', async () => {
    const { result, context } = await explain(GUEST_LOG);
    expect(result.verdict).toBe('no-tdx-init');
    expect(result.diagnosis[0]).toMatchObject({ id: 'no-tdx-init' });
    expect(result.diagnosis[0].cause).toMatch(/TD guest's log/);
    const guest = result.diagnosis.filter((d) => d.id.startsWith('guest-'));
    expect(guest.map((d) => [d.id, d.failureClass, d.evidence.line])).toEqual([
      ['guest-parallel-bringup-disabled', 'info', 3],
      ['guest-getquote-timeout', 'timeout', 4],
      ['guest-tdvmcall-module-bug', 'module-bug', 5],
    ]);
    for (const d of guest) expect(GUEST_DIAGNOSIS_IDS).toContain(d.id);
    expect(explainText(result, context)).toContain('[guest-tdvmcall-module-bug · module-bug]');
  });

  it('guest lines beside a host log are classified too, and the host verdict stands', async () => {
    const host = '[ 15.960879] virt/tdx: CMR: [0x100000, 0x77800000)\n[ 16.0] virt/tdx: 8212 KB allocated for PAMT\n[ 16.0] virt/tdx: module initialized\n';
    const { result } = await explain(host + '[ 20.0] tdx_guest: GetQuote request timedout\n');
    expect(result.verdict).not.toBe('no-tdx-init');
    expect(result.diagnosis.find((d) => d.id === 'guest-getquote-timeout')?.evidence.line).toBe(4);
  });

  it('a host log with no guest line gets no guest diagnosis', async () => {
    const { result } = await explain('[ 1.0] virt/tdx: CMR: [0x100000, 0x77800000)\n[ 1.1] virt/tdx: 8212 KB allocated for PAMT\n[ 1.1] virt/tdx: module initialized\n');
    expect(result.diagnosis.some((d) => d.id.startsWith('guest-'))).toBe(false);
  });
});
