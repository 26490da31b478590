// A kernel policy is one kernel generation's way of driving the TDX module. It is code with a
// small interface, so an experimental policy is a new file registered in registry.ts, not a
// new flag threaded through every function.

import type { Sim } from '../sim.js';

export interface KernelPolicy {
  readonly name: string;
  readonly description: string;
  /** The kernel's status enum for this generation, for documentation and outputs. */
  readonly statuses: readonly string[];
  /** Boot-time work (tdx_init and the per-CPU enabling). Returns false when TDX is off. */
  boot(sim: Sim): boolean;
  /** One tdx_enable() call that finds the module uninitialized: the whole initialization. */
  initialize(sim: Sim): void;
  /** What a later tdx_enable() caller gets back, given the first one's outcome. */
  laterCallerResult(sim: Sim): number;
  /** Whether hot-added memory [start, end) may go online after this policy's outcome. */
  acceptsHotplug(sim: Sim, start: number, end: number): boolean;
  /**
   * Whether KVM can create a TD before tdx_enable() returns, using the GiBs TDMR.INIT has
   * finished so far. Absent = no: in every modeled kernel kvm_intel sets up TDX only after
   * tdx_enable() returned 0, so TDMR.INIT progress is module progress, not memory a guest has.
   */
  readonly guestsBeforeEnableReturns?: boolean;
  /**
   * The policy's SEAMCALLs never contend for a lock or an LP, whatever the (non-negative) cost
   * values: each starts after every call it could conflict with has ended. The module's answers
   * then do not depend on the costs, and a run under other costs may replay them instead of
   * running the module again (model/replay.ts). A replayable policy also takes no decision on
   * a time or a cost outside a time op (model/clock.ts: time ops decide through the clock), so
   * that a recorded run's time program gives any other row's times without running the policy.
   * Absent = no: the module always runs. test/replay.test.ts holds every policy that says so to it.
   */
  readonly replayable?: boolean;
}
