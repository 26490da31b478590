// Experimental: mainline with TDH.SYS.TDMR.INIT spread over K CPUs, one TDMR per CPU at a time
// (the module's per-TDMR mutex forbids more). Intel's 2021 out-of-tree host code did this with
// a work queue. K = kernel.initCpus, else one CPU per NUMA node, capped by CPUs and TDMRs.

import { makeMainline } from './mainline.js';
import { onlineLps } from './steps.js';

export const parallelTdmr = makeMainline({
  name: 'parallel-tdmr',
  description: 'experimental: mainline with TDMR.INIT spread over K CPUs (kernel.initCpus; default one per NUMA node)',
  tdmrInitCpus(sim, tdmrs) {
    const online = onlineLps(sim);
    const requested = sim.platform.kernel.initCpus;
    // Default: the first online CPU of each NUMA node, so each node's PAMT is written locally.
    const cpus = requested > 0 ? online.slice(0, requested) : sim.nodeLeaders;
    const k = Math.max(1, Math.min(cpus.length, tdmrs.count));
    return cpus.slice(0, k);
  },
});
