// How every worker script answers the pool (chunkPool.ts): its api exposed over comlink on the
// thread's port, and the pool's fault-injection hook, written once.

import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

/** What every worker answers besides its own api: the pool asks it once, to know the thread is up. */
export interface Served {
  ready(): true;
}

/** Exposes `api` to the parent; `script` names the file in the error when it is not a worker. */
export function serve(script: string, api: object): void {
  if (!parentPort) throw new Error(`${script} must run as a worker thread`);
  const served: Served = { ready: () => true };
  Comlink.expose({ ...api, ...served }, nodeEndpoint(parentPort));
}

/**
 * The pool's fault-injection hook: when the parent passes an exit code, the thread dies with it
 * while the parent waits for this chunk, as a crash would.
 */
export function dieIfAsked(exitCode: number | undefined): void {
  if (exitCode !== undefined) process.exit(exitCode);
}

/** Hands typed arrays to the parent without a copy (their buffers move with the reply). */
export function transferred<T extends Float64Array | Float64Array[]>(out: T): T {
  const arrays: Float64Array[] = Array.isArray(out) ? out : [out as Float64Array];
  return Comlink.transfer(out, arrays.map((a) => a.buffer as ArrayBuffer));
}

/** A reply that carries `bytes`, handed over without a copy (its buffer moves with it; the bytes own all of it). */
export function transferredWith<T extends { bytes: Uint8Array }>(reply: T): T {
  return Comlink.transfer(reply, [reply.bytes.buffer as ArrayBuffer]);
}
