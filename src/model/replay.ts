// Replaying the module's answers: one platform under many cost settings (a capacity sweep) asks
// the module the same questions in every row, and only the times differ. A policy that declares
// itself `replayable` (policies/policy.ts) promises that its SEAMCALLs never contend for a lock
// or an LP for any non-negative cost values: each call starts after the calls it could conflict
// with have ended, whatever the costs. Then the module's answers do not depend on the costs
// (time enters the module only through its try-locks and the caller-contract checks, module.ts
// and locks.ts), and a run under other costs gets the answers a first, live run recorded.
//
// The policy code still runs in full, so every time is computed by the same code in the same
// order as in a live run: the replay is bit-exact, not an approximation. Only the module's work
// is skipped (its per-LP state, TDMR table, CONFIG checks and results: about half a row).
// The run that records the answers also records its time program (clock.ts), which most rows
// run instead of the policy; a row whose time decisions differ from the recorded run's replays.
//
// A question is checked against the one recorded at its place (leaf, LP, the registers, the
// TDMR array); a run that asks something else (a policy whose calls depend on a cost, say)
// stops with ReplayDiverged and the caller runs it live. test/replay.test.ts holds replayed runs
// equal to live ones for every built-in policy on every preset under random costs.

import type { SeamcallArgs, SeamcallResult, TdmrInitBulkResult, LpInitBulkResult } from './module/index.js';
import { TDMR_INIT_CHUNK } from './module/index.js';
import type { Clock, TimeProgram } from './clock.js';
import type { Outcome } from './outcome.js';
import type { RunLayout } from '../kernels/readiness.js';

/** What a simulation asks of the module: TdxModule implements it, and so does a replay. */
export interface SeamcallPort {
  call(leaf: number, lp: number, args: SeamcallArgs, t0: number, t1: number): SeamcallResult;
  lpInitBulk(lps: readonly number[], starts: ArrayLike<number>, perUs: number): LpInitBulkResult;
  tdmrInitBulk(lp: number, base: bigint, maxCalls: number, t0: number, perCallUs: number): TdmrInitBulkResult;
  /** Bytes of TDMR one TDH.SYS.TDMR.INIT covers (fixed at CONFIG). */
  chunkBytes(): bigint;
}

type Entry =
  | { kind: 'call'; leaf: number; lp: number; args: SeamcallArgs; answer: SeamcallResult; chunk: bigint }
  | { kind: 'lpInit'; lps: readonly number[]; answer: LpInitBulkResult }
  | { kind: 'tdmrInit'; lp: number; base: bigint; maxCalls: number; answer: TdmrInitBulkResult };

/**
 * The module's answers to one live run, in the order they were given, and what else of the run
 * holds under other costs: its time program (clock.ts; null when the run changed time outside
 * its ops) and the facts a summary reads. Read-only once recorded.
 */
export class CallTape {
  readonly entries: Entry[] = [];
  /**
   * The time programs of runs that replayed this tape (or recorded it), most recently useful
   * first: one per set of time decisions met (a sweep over fixedOverheadUs 0 and 5, say, has
   * two), at most MAX_PROGRAMS. Empty when the runs changed time outside their ops.
   */
  readonly programs: TimeProgram[] = [];
  facts: RunFacts | null = null;

  /** `policy`: the policy whose run is recorded (a tape replays only to that very policy). */
  constructor(readonly policy: { readonly name: string }) {}

  /** Keeps a run's time program (null: it has none), while there is room. */
  keepProgram(program: TimeProgram | null): void {
    if (program && this.programs.length < MAX_PROGRAMS) this.programs.unshift(program);
  }

  /**
   * Runs the first kept program whose decisions hold under `costs` on `clock`, and moves it to
   * the front; false when none holds (the caller replays, and keeps that run's program).
   */
  runProgram(clock: Clock, costs: Record<string, number>): boolean {
    const { programs } = this;
    for (let i = 0; i < programs.length; i++) {
      const p = programs[i];
      if (!p.run(clock, costs)) continue;
      if (i > 0) {
        programs.splice(i, 1);
        programs.unshift(p);
      }
      return true;
    }
    return false;
  }
}

/**
 * Time programs a tape keeps: a few sets of decisions cover the sweeps that change them
 * (an overhead on or off, a caller waiting or not); a row whose decisions are new each time
 * tries these, then replays.
 */
const MAX_PROGRAMS = 4;

/**
 * What a summary reads of a run besides its clock: under a replayable policy none of it
 * depends on the costs, so the rows a recorded run's time program times share it.
 */
export interface RunFacts {
  outcome: Outcome;
  tdmrsUsed: number;
  reservedAreasUsed: number;
  /** PAMT bytes of every TDMR built, held or not. */
  allPamt: number;
  /** Where the TDX memory lies in the TDMR.INIT windows (readiness, without times); null: not kept. */
  layout: RunLayout | null;
}

/** Thrown by a replay asked a question the live run did not ask at that place. */
export class ReplayDiverged extends Error {
  constructor(at: number, what: string) {
    super(`replay diverged at call ${at}: ${what}`);
    this.name = 'ReplayDiverged';
  }
}

/** A live module whose answers go onto `tape`. */
export function recording(module: SeamcallPort, tape: CallTape): SeamcallPort {
  const { entries } = tape;
  return {
    call(leaf, lp, args, t0, t1) {
      const answer = module.call(leaf, lp, args, t0, t1);
      // The chunk size after the call: CONFIG is what sets it.
      entries.push({ kind: 'call', leaf, lp, args, answer, chunk: module.chunkBytes() });
      return answer;
    },
    lpInitBulk(lps, starts, perUs) {
      const answer = module.lpInitBulk(lps, starts, perUs);
      entries.push({ kind: 'lpInit', lps, answer });
      return answer;
    },
    tdmrInitBulk(lp, base, maxCalls, t0, perCallUs) {
      const answer = module.tdmrInitBulk(lp, base, maxCalls, t0, perCallUs);
      entries.push({ kind: 'tdmrInit', lp, base, maxCalls, answer });
      return answer;
    },
    chunkBytes: () => module.chunkBytes(),
  };
}

function sameArgs(a: SeamcallArgs, b: SeamcallArgs): boolean {
  return a.rcx === b.rcx && a.rdx === b.rdx && a.r8 === b.r8 && a.r9 === b.r9 && a.field === b.field && a.tdmrs === b.tdmrs && a.tdmrPas === b.tdmrPas;
}

/** The answers of `tape`, given again to a run that asks the same questions at other times. */
export class ReplayPort implements SeamcallPort {
  private next = 0;
  private chunk = TDMR_INIT_CHUNK;

  constructor(private readonly tape: CallTape) {}

  /** The next recorded entry; undefined past the end (the caller says what it asked). */
  private take(): Entry | undefined {
    return this.tape.entries[this.next++];
  }

  call(leaf: number, lp: number, args: SeamcallArgs): SeamcallResult {
    const e = this.take();
    if (e?.kind !== 'call' || e.leaf !== leaf || e.lp !== lp || !sameArgs(e.args, args)) throw new ReplayDiverged(this.next - 1, `leaf ${leaf} on LP ${lp}`);
    this.chunk = e.chunk;
    return e.answer;
  }

  lpInitBulk(lps: readonly number[]): LpInitBulkResult {
    const e = this.take();
    if (e?.kind !== 'lpInit' || e.lps !== lps) throw new ReplayDiverged(this.next - 1, 'an LP.INIT series');
    return e.answer;
  }

  tdmrInitBulk(lp: number, base: bigint, maxCalls: number, t0: number, perCallUs: number): TdmrInitBulkResult {
    const e = this.take();
    if (e?.kind !== 'tdmrInit' || e.lp !== lp || e.base !== base || e.maxCalls !== maxCalls) throw new ReplayDiverged(this.next - 1, `TDMR.INIT of ${base} on LP ${lp}`);
    // The end of the calls at this run's times, as TdxModule.tdmrInitBulk computes it.
    const a = e.answer;
    return { calls: a.calls, status: a.status, name: a.name, done: a.done, rdx: a.rdx, t1: t0 + a.calls * perCallUs };
  }

  chunkBytes(): bigint {
    return this.chunk;
  }
}
