// A sweep worker killed mid-chunk: the chunk is retried on a fresh worker and the output is the
// same as an undisturbed run; killed twice, the sweep rejects with a clear message, the rows
// written before are whole and in order, and no thread is left.
import { describe, it, expect } from 'vitest';
import { parseSpecText, parseSweepSpec } from '../src/model/sweep/spec.js';
import { runSweep, sweepText } from '../src/workers/sweepRun.js';
import { FAULT_EXIT_CODE, liveWorkers } from '../src/workers/chunkPool.js';
import { textOf } from '../src/util/byteText.js';

const plan = parseSweepSpec(parseSpecText(JSON.stringify({
  base: 'preset:1s-emr-64g',
  grid: { memoryPerSocket: ['16G', '64G'], policy: ['mainline', 'parallel-tdmr'], 'costs.tdmrInitCallUs': [5, 7, 9, 11, 13, 15] },
}), 'spec'), 'spec', { readFile: () => '' });
const opts = { format: 'csv' as const, chunkRows: 4 };

describe('sweep worker faults', () => {
  it('a worker killed once: chunk retried, output identical', async () => {
    const clean = await sweepText(plan, { ...opts, workers: 1 });
    for (const killChunk of [0, 3, 5]) {
      expect(await sweepText(plan, { ...opts, workers: 2, faultInjection: { killChunk, times: 1 } })).toBe(clean);
    }
    // One thread, killed: the pool replaces it even with workers = 1.
    expect(await sweepText(plan, { ...opts, workers: 1, faultInjection: { killChunk: 1, times: 1 } })).toBe(clean);
    expect(liveWorkers()).toBe(0);
  }, 120_000);

  it('the same chunk killed twice: a clear error, whole rows before it, no hang, no thread left', async () => {
    const clean = await sweepText(plan, { ...opts, workers: 1 });
    let written = '';
    const started = Date.now();
    await expect(runSweep(plan, { ...opts, workers: 2, faultInjection: { killChunk: 3, times: 2 }, write: (t) => { written += textOf(t); } }))
      .rejects.toThrow(new RegExp(`^sweep chunk 3 \\(rows 12\\.\\.15\\) failed twice: sweep worker \\d+ exited with code ${FAULT_EXIT_CODE}$`));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(liveWorkers()).toBe(0);
    expect(clean.startsWith(written)).toBe(true);
    expect(written.endsWith('\n')).toBe(true);
    // Rows after the failed chunk never come out ahead of it.
    expect(written.split('\n').length - 2).toBeLessThanOrEqual(12);
  }, 60_000);
});
