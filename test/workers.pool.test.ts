// The chunk pool with this thread as one of the workers: it takes chunks from the same queue,
// starts one thread fewer, and every chunk is delivered once.
import { describe, expect, it } from 'vitest';
import { guidedChunks, liveWorkers, runChunkPool, threadsAtMost, workersStarted } from '../src/workers/chunkPool.js';
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

describe('the threads a pool runs', () => {
  it('are the CPUs at most, but two on any machine', () => {
    expect(threadsAtMost(1)).toBe(2);
    expect(threadsAtMost(2)).toBe(2);
    expect(threadsAtMost(64)).toBe(64);
  });

  it('never more than threadsAtMost(), however many workers are asked for: every chunk still runs once', async () => {
    const seen: number[] = [];
    const before = workersStarted();
    await runChunkPool<TrialsWorkerApi, number>({
      label: 'pool-test', workerModule: 'trialsWorker', workers: 256, chunks: 300,
      run: (_remote, c) => Promise.resolve(c),
      runHere: (c) => c,
      describe: String,
      onChunk: (c, r) => seen.push(r === c ? c : -1),
    });
    expect(workersStarted() - before).toBe(threadsAtMost() - 1);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(liveWorkers('pool-test')).toBe(0);
  });
});

describe('guidedChunks', () => {
  const sizes = (starts: number[]): number[] => starts.slice(1).map((s, i) => s - starts[i]);

  it('covers every item once, from 0 to the total', () => {
    for (const total of [0, 1, 7, 1000, 123_457]) {
      const starts = guidedChunks(total, 2, 256, 16);
      expect(starts[0]).toBe(0);
      expect(starts[starts.length - 1]).toBe(total);
      expect(sizes(starts).every((n) => n > 0)).toBe(true);
    }
  });

  it('shrinks chunks towards the end, between the minimum and the maximum', () => {
    const s = sizes(guidedChunks(100_000, 2, 256, 16));
    expect(Math.max(...s)).toBe(256);
    expect(s.slice(0, -1).every((n) => n >= 16)).toBe(true);
    expect(s.every((n, i) => i === 0 || n <= s[i - 1])).toBe(true);
    expect(s[s.length - 2]).toBe(16);
  });

  it('gives equal chunks when the minimum is the maximum', () => {
    expect(guidedChunks(10, 4, 3, 3)).toEqual([0, 3, 6, 9, 10]);
  });

  it('ramps up from rampFrom, doubling, until the guided size takes over', () => {
    const s = sizes(guidedChunks(100_000, 2, 256, 16, 16));
    expect(s.slice(0, 6)).toEqual([16, 32, 64, 128, 256, 256]);
    expect(s.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(sizes(guidedChunks(100, 2, 256, 1, 4))).toEqual([4, 8, 16, 18, 14, 10, 8, 6, 4, 3, 3, 2, 1, 1, 1, 1]);
  });
});
