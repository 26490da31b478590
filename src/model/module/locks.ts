// The module's locks as modeled intervals. Every lock in the initialization leaves is a
// try-lock: contention is reported to the caller (TDX_SYS_BUSY / TDX_OPERAND_BUSY), never waited
// on. A call occupies [t0, t1); a lock it acquires is held for that whole interval, and a later
// call conflicts with it iff it starts before t1. Because callers issue calls in nondecreasing
// t0 order, every recorded holder started at or before the new call, so "still open at t0" is
// just "ends after t0".

/**
 * Shared/exclusive lock (the module's sharex_lock_t on the global data). An exclusive request
 * fails if any shared holder is still open at its t0, i.e. iff the latest shared end is after
 * t0, so the shared holders reduce to that one number (thousands of LPs run LP.INIT).
 */
export class SharexLock {
  private exclusiveUntil = -Infinity;
  private sharedUntil = -Infinity;

  /** Acquire shared for [t0, t1); false if an exclusive holder is open at t0. */
  tryShared(t0: number, t1: number): boolean {
    if (this.exclusiveUntil > t0) return false;
    if (t1 > this.sharedUntil) this.sharedUntil = t1;
    return true;
  }

  /** Whether a shared request at t0 would be granted (no exclusive holder open at t0). */
  admitsShared(t0: number): boolean {
    return !(this.exclusiveUntil > t0);
  }

  /** Acquire exclusive for [t0, t1); false if any holder is open at t0. */
  tryExclusive(t0: number, t1: number): boolean {
    if (this.exclusiveUntil > t0 || this.sharedUntil > t0) return false;
    this.exclusiveUntil = Math.max(this.exclusiveUntil, t1);
    return true;
  }
}

/** Mutex (the module's mutex_lock_t, one per TDMR). */
export class MutexLock {
  private until = -Infinity;

  tryAcquire(t0: number, t1: number): boolean {
    if (this.until > t0) return false;
    this.until = t1;
    return true;
  }

  /** Keep holding it until t (a run of back-to-back calls by the same holder). */
  holdUntil(t: number): void {
    if (t > this.until) this.until = t;
  }

  /** When the current holder releases it (for reports). */
  heldUntil(): number {
    return this.until;
  }
}
