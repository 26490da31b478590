// torvalds/linux from 6.8 on (arch/x86/virt/vmx/tdx/tdx.c): per-CPU enabling from KVM's
// CPU-online callback, then init_tdx_module() under a mutex, serial TDMR.INIT, no retry.

import type { KernelPolicy } from './policy.js';
import type { Sim } from '../sim.js';
import { ERRNO } from '../errno.js';
import {
  bootChecks, lpInitSerial, onlineLps, readMetadata, checkNoRbpMod, wantsDynamicPamt, layoutTdmrs,
  config, wbinvd, keyConfig, calibratedOverhead, tdmrInit, resetPamts, pamtKbLine, insideTdxMemlist,
} from './steps.js';
import type { Lp } from '../../platform/types.js';
import type { TdmrTable } from '../../construct/tdmrTable.js';

export interface MainlineOptions {
  name: string;
  description: string;
  /** CPUs for TDH.SYS.TDMR.INIT; mainline uses the caller's CPU alone. */
  tdmrInitCpus(sim: Sim, tdmrs: TdmrTable): Lp[];
}

export function makeMainline(opts: MainlineOptions): KernelPolicy {
  return {
    name: opts.name,
    description: opts.description,
    statuses: ['UNINITIALIZED', 'INITIALIZED', 'ERROR'],
    // Calls go one after another on the caller's CPU; LP.INIT and TDMR.INIT lanes run on
    // distinct CPUs, each after that CPU's previous call, and share only shared locks; a TDMR
    // goes to one lane (steps.ts, lpInitSerial and tdmrInit).
    replayable: true,

    boot(sim: Sim): boolean {
      if (!bootChecks(sim, { requireX2apic: false })) return false;
      // KVM enables every online CPU through its CPU-hotplug callback before tdx_enable().
      return lpInitSerial(sim);
    },

    initialize(sim: Sim): void {
      const online = onlineLps(sim);
      if (online.length === 0) {
        sim.fail('tdx_enable', 'ENODEV', 'no CPU is online to run tdx_enable()');
        return finish(sim);
      }
      const caller = online[0].id;
      const md = readMetadata(sim, caller);
      if (!md || !checkNoRbpMod(sim, md)) return finish(sim);
      const dynamicPamt = wantsDynamicPamt(sim, md);
      const built = layoutTdmrs(sim, md, { dynamicPamt, errnoOnExhaustion: 'ENOSPC' });
      if (!built) return finish(sim);
      if (!config(sim, caller, built, dynamicPamt)) return finish(sim);
      calibratedOverhead(sim);
      wbinvd(sim, 'flush PAMT cache lines written with KeyID 0');
      if (!keyConfig(sim) || !tdmrInit(sim, built.table, opts.tdmrInitCpus(sim, built.table))) {
        resetPamts(sim, built.table, true);
        return finish(sim);
      }
      pamtKbLine(sim, built.table, 'mainline');
      sim.succeed();
      finish(sim);
    },

    laterCallerResult(sim: Sim): number {
      return sim.outcome.initialized ? 0 : -ERRNO.EINVAL;
    },

    acceptsHotplug(sim: Sim, start: number, end: number): boolean {
      // An empty TDX memory list (never initialized, or freed after a failure) accepts all.
      if (!sim.outcome.initialized) return true;
      return insideTdxMemlist(sim, start, end);
    },
  };
}

function finish(sim: Sim): void {
  if (sim.outcome.initialized) {
    sim.print(sim.platform.kernel.bootTimeInit ? 'TDX-Module initialized' : 'module initialized');
  } else if (sim.outcome.error) {
    sim.outcome.status = 'ERROR';
    const errno = sim.outcome.error.errno;
    sim.print(() => `module initialization failed (${errno})`);
  }
}

export const mainline = makeMainline({
  name: 'mainline',
  description: 'torvalds/linux 6.8 onwards: serial TDMR.INIT on the caller CPU; options kernel.holes, kernel.bootTimeInit; Dynamic PAMT when the module offers it',
  tdmrInitCpus: (sim) => [onlineLps(sim)[0]],
});
