// The chunk pool with this thread as one of the workers: it takes chunks from the same queue,
// starts one thread fewer, and every chunk is delivered once.
import { describe, expect, it } from 'vitest';
import { liveWorkers, runChunkPool } from '../src/workers/chunkPool.js';
import type { TrialsWorkerApi } from '../src/workers/trialsWorker.js';

describe('runChunkPool with runHere', () => {
  it('runs every chunk in this thread when it is the only worker, starting no thread', async () => {
    const seen: number[] = [];
    await runChunkPool<TrialsWorkerApi, number>({
      label: 'pool-test', workerModule: 'trialsWorker', workers: 1, chunks: 5,
      run: () => Promise.reject(new Error('no thread should run a chunk')),
      runHere: (c) => {
        expect(liveWorkers('pool-test')).toBe(0);
        return c * 10;
      },
      describe: String,
      onChunk: (c, r) => seen.push(r / 10 === c ? c : -1),
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('ends when this thread has run every chunk, without waiting for a worker still setting up', async () => {
    const seen: number[] = [];
    await runChunkPool<TrialsWorkerApi, number>({
      label: 'pool-test', workerModule: 'trialsWorker', workers: 2, chunks: 3,
      setup: () => new Promise<void>(() => undefined), // never ready
      run: () => Promise.reject(new Error('no thread should run a chunk')),
      runHere: (c) => c,
      describe: String,
      onChunk: (c) => seen.push(c),
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(liveWorkers('pool-test')).toBe(0);
  });

  it('names the chunk when this thread fails one', async () => {
    await expect(runChunkPool<TrialsWorkerApi, void>({
      label: 'pool-test', workerModule: 'trialsWorker', workers: 1, chunks: 3,
      run: () => Promise.resolve(),
      runHere: (c) => {
        if (c === 1) throw new Error('boom');
      },
      describe: (c) => `item ${c}`,
      onChunk: () => undefined,
    })).rejects.toThrow(/^pool-test chunk 1 \(item 1\) failed: boom$/);
  });
});
