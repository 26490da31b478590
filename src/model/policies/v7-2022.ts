// The "TDX host kernel support" v7 series (November 2022): tdx_enable() does everything,
// refuses offline CPUs up front, broadcasts LP.INIT, reads TDH.SYS.INFO, checks memory
// against the CMRs, and shuts the module down (LP.SHUTDOWN everywhere) after any failure.

import type { KernelPolicy } from './policy.js';
import type { Sim } from '../sim.js';
import { ERRNO } from '../errno.js';
import { LEAF } from '../module/leaves.js';
import {
  bootChecks, onlineLps, sysInit, lpInitBroadcast, readSysInfo, layoutTdmrs, config, wbinvd, keyConfig, calibratedOverhead,
  tdmrInit, resetPamts, pamtKbLine, insideTdxMemlist, broadcastEnds,
  cpus,
} from './steps.js';
import { hex } from '../../construct/hex.js';

/** Each memblock range must lie inside one CMR (adjacent CMRs are not merged). */
function checkConvertible(sim: Sim): boolean {
  const cmrs = sim.platform.cmrs;
  if (cmrs.length === 0) {
    sim.fail('CMR check', 'EINVAL', 'the module reported no CMRs');
    return false;
  }
  for (const b of sim.memlist) {
    if (!cmrs.some((c) => b.start >= c.start && b.end <= c.end)) {
      sim.print(() => `Memory region [${hex(b.start)}, ${hex(b.end)}) is not TDX convertible memory.`);
      sim.fail('memory list', 'EINVAL', `memory [${hex(b.start)}, ${hex(b.end)}) is not inside one CMR: not TDX convertible memory`);
      return false;
    }
  }
  return true;
}

/** The v7 error path: every online CPU leaves SEAM mode with TDH.SYS.LP.SHUTDOWN at once. */
function shutdownModule(sim: Sim): void {
  const lps = onlineLps(sim);
  const at = sim.now + sim.cost('ipiBroadcastUs');
  const per = sim.cost('lpInitUs');
  for (const lp of lps) sim.seamcall(LEAF.SYS_LP_SHUTDOWN, lp.id, {}, per, at);
  sim.time((c) => broadcastEnds(c, 'TDH.SYS.LP.SHUTDOWN'));
  sim.describe(() => ({ cpus: `${cpus(lps.length)} at once`, detail: 'shut the module down after the failure' }));
}

function failV7(sim: Sim, sysInitDone: boolean): void {
  const inner = sim.outcome.error;
  if (!inner) return;
  sim.print(() => `initialization failed (${inner.errno})`);
  if (!sysInitDone) return;
  shutdownModule(sim);
  sim.outcome = {
    initialized: false,
    status: 'SHUTDOWN',
    error: { ...inner, code: '-EFAULT', errno: -ERRNO.EFAULT, message: `${inner.message}; module shut down (inner error ${inner.code})` },
  };
}

export const v7_2022: KernelPolicy = {
  name: 'v7-2022',
  description: 'the 2022 "TDX host kernel support" v7 series: offline-CPU refusal, LP.INIT broadcast, TDH.SYS.INFO, CMR check, shutdown on failure',
  statuses: ['UNKNOWN', 'NONE', 'INITIALIZED', 'SHUTDOWN'],
  // The broadcast LP.INIT and LP.SHUTDOWN start on every CPU after its previous call ended and
  // take the global lock shared; every other call runs alone on the caller's CPU.
  replayable: true,

  boot(sim: Sim): boolean {
    sim.prefix = 'tdx: ';
    sim.outcome.status = 'UNKNOWN';
    return bootChecks(sim, { requireX2apic: true });
  },

  initialize(sim: Sim): void {
    const all = sim.platform.cpus.lps;
    const online = onlineLps(sim);
    if (online.length < all.length) {
      sim.print("Unable to initialize the TDX module when there's offline CPU(s).");
      sim.fail('tdx_enable', 'EINVAL', `${all.length - online.length} of ${all.length} CPUs are offline; v7 refuses before any SEAMCALL`, null, 'UNKNOWN');
      return;
    }
    const caller = online[0].id;
    if (!sysInit(sim, caller)) {
      if (sim.outcome.error?.code === '-ENODEV') return;
      return failV7(sim, false);
    }
    if (!lpInitBroadcast(sim)) return failV7(sim, true);
    const md = readSysInfo(sim, caller);
    if (!md || !checkConvertible(sim)) return failV7(sim, true);
    const built = layoutTdmrs(sim, md, { dynamicPamt: false, errnoOnExhaustion: 'E2BIG' });
    if (!built) return failV7(sim, true);
    if (!config(sim, caller, built, false)) return failV7(sim, true);
    calibratedOverhead(sim);
    wbinvd(sim, 'flush PAMT cache lines written with KeyID 0');
    if (!keyConfig(sim) || !tdmrInit(sim, built.table, [online[0]])) {
      resetPamts(sim, built.table, false);
      return failV7(sim, true);
    }
    pamtKbLine(sim, built.table, 'v7');
    sim.succeed();
    sim.print('module initialized.');
  },

  laterCallerResult(sim: Sim): number {
    if (sim.outcome.initialized) return 0;
    if (sim.outcome.status === 'NONE') return -ERRNO.ENODEV;
    if (sim.outcome.status === 'SHUTDOWN') return -ERRNO.EFAULT;
    return sim.outcome.error?.errno ?? -ERRNO.EINVAL;
  },

  acceptsHotplug(sim: Sim, start: number, end: number): boolean {
    if (!sim.outcome.initialized) return true;
    return insideTdxMemlist(sim, start, end);
  },
};
