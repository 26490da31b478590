// The readable summary of a simulation: outcome, TDMRs, PAMT per node, time per step,
// readiness, and which parameters the numbers rest on.

import type { SimulationReport } from '../model/run.js';
import { getPolicy } from '../model/policies/registry.js';
import { formatBytes, formatUs, table } from './units.js';
import { green, red, bold } from './color.js';
import { printable } from '../platform/errors.js';

/** Whether the report's policy lets a TD use memory before tdx_enable() returns (none modeled does). */
function guestsEarly(r: SimulationReport): boolean {
  try {
    return getPolicy(r.policy.name).guestsBeforeEnableReturns === true;
  } catch {
    return false;
  }
}

/** When guests can use TDX under the report's policy: the end of the initializing tdx_enable(). */
function guestsLine(r: SimulationReport): string {
  const ran = r.callers.find((c) => c.ran);
  const at = ran ? formatUs(ran.returnedUs) : formatUs(r.totals.initUs);
  return guestsEarly(r)
    ? `guests can use TDX from ${r.readiness ? formatUs(r.readiness.curve[1].tUs) : at}: the ${r.policy.name} policy lets KVM create a TD before tdx_enable() returns (${at}), on the GiBs TDMR.INIT has finished`
    : `guests can use TDX from ${at}, when tdx_enable() returns (no TD before it under the ${r.policy.name} policy)`;
}

export function simulateText(r: SimulationReport): string {
  const p = r.platform;
  const out: string[] = [];
  out.push(bold(`tdxmodel: ${printable(p.name)} under the ${r.policy.name} policy`));
  // The memory the kernel sees (memblock), not the DRAM installed: firmware reservations and the
  // address holes below 4 GiB take the rest, so a "512 GiB" machine shows about 511 GiB here.
  out.push(`  ${formatBytes(p.memoryBytes)} of usable memory (memblock: installed DRAM less firmware reservations) on ${p.nodes} node(s), ${p.packages} package(s), ${p.onlineLps}/${p.lps} LPs online, ${printable(p.cpuModel)}, module ${printable(p.moduleVersion)}`);
  out.push('');
  if (r.outcome.initialized) {
    out.push(`OUTCOME  ${green('initialized')}${r.outcome.status === 'INITIALIZED' ? '' : ` (module state ${r.outcome.status})`} in ${formatUs(r.totals.initUs)} modeled; tdx_enable() ${formatUs(r.totals.tdxEnableUs)}; ${guestsLine(r)}`);
  } else {
    const e = r.outcome.error;
    out.push(`OUTCOME  ${red('FAILED')} (${r.outcome.status}) at ${e?.step ?? '?'}: ${e?.code ?? ''}${e?.statusName ? ` ${e.statusName} ${e.status}` : ''}`);
    if (e) out.push(`         ${e.message}`);
  }
  out.push('');
  out.push(`TDMRs    ${r.construct.tdmrsUsed} of ${r.construct.maxTdmrs} used; most reserved areas in one TDMR: ${r.construct.reservedAreasUsed} of ${r.construct.maxReservedPerTdmr}`);
  if (r.pamt.totalKb > 0) {
    out.push(`PAMT     ${r.pamt.totalKb} KB (${formatBytes(r.pamt.totalKb * 1024)}), ${(r.pamt.totalKb * 1024 / Math.max(1, p.tdxMemoryBytes) * 100).toFixed(3)}% of TDX memory`);
    out.push(table(['node', 'PAMT KB', 'PAMT'], r.pamt.perNode.map((n) => [String(n.node), String(n.kb), formatBytes(n.kb * 1024)])).replace(/^/gm, '         '));
  }
  out.push('');
  const steps = r.timeline.map((s) => [s.step, formatUs(s.startUs), formatUs(s.durationUs), s.cpus, s.detail]);
  out.push(table(['step', 'start', 'duration', 'CPUs', 'detail'], steps));
  out.push('');
  const iv = r.intervals;
  const w = iv.windowUs ? `, window (TDMR construction → last TDMR.INIT) ${formatUs(iv.windowUs[0])}–${formatUs(iv.windowUs[1])}` : '';
  out.push(`80%      init ${formatUs(iv.initUs[0])}–${formatUs(iv.initUs[1])}${w}: boot-to-boot spread of the TDMR.INIT phase, σ ${iv.bootSigma} (costs.tdmrInitBootSigma)`);
  if (r.readiness) {
    const who = guestsEarly(r) ? 'guests may use each GiB as it completes' : 'module progress, not memory a guest can use before tdx_enable() returns';
    out.push(`PROGRESS TDMR.INIT initialized 50% of TDX memory at ${formatUs(r.readiness.p50Us)}, 90% at ${formatUs(r.readiness.p90Us)}, 100% at ${formatUs(r.readiness.p100Us)} (${who})`);
  }
  const f = r.physicalFloor;
  if (f.floorUs > 0 && f.modeledTdmrInitUs > 0) {
    out.push(`FLOOR    writing ${formatBytes(f.pamtBytes)} of PAMT at ${f.bandwidthGBps} GB/s × ${f.packages} package(s) takes ${formatUs(f.floorUs)}; modeled TDMR.INIT ${formatUs(f.modeledTdmrInitUs)} (${f.ratio}× the floor)`);
  }
  const calls = Object.entries(r.seamcalls.perLeaf).map(([k, v]) => `${k} ${v}`).join(', ');
  out.push(`SEAMCALLs ${r.seamcalls.total}: ${calls}`);
  if (r.trials) {
    out.push('');
    out.push(`TRIALS   ${r.trials.trials} (seed ${r.trials.seed})`);
    const rows = r.trials.steps.map((s) => [s.name, formatUs(s.stats.p50), formatUs(s.stats.p95), formatUs(s.stats.p99)]);
    rows.push(['total', formatUs(r.trials.total.p50), formatUs(r.trials.total.p95), formatUs(r.trials.total.p99)]);
    out.push(table(['step', 'p50', 'p95', 'p99'], rows));
  }
  if (r.callers.length > 1) {
    out.push('');
    out.push(table(['caller', 'at', 'waited', 'returned', 'result'], r.callers.map((c) => [String(c.caller), formatUs(c.atUs), formatUs(c.waitUs), formatUs(c.returnedUs), String(c.result)])));
  }
  if (r.hotplug.length) {
    out.push('');
    for (const h of r.hotplug) out.push(`HOTPLUG  ${h.kind} [${h.start}, ${h.end}) node ${h.node}: ${h.accepted ? 'accepted' : 'REFUSED'} — ${h.message}`);
  }
  out.push('');
  out.push('kernel log (modeled timestamps):');
  for (const l of r.log) out.push(`  ${l}`);
  if (r.trace) {
    out.push('');
    out.push(`SEAMCALL trace (--trace): ${r.trace.length} entries; a TDMR.INIT loop is one entry with its call count`);
    out.push(table(['leaf', 'CPU', 'start', 'end', 'calls', 'status', 'args'],
      r.trace.map((t) => [t.leaf, String(t.lp), formatUs(t.startUs), formatUs(t.endUs), String(t.calls), t.status, t.args])));
  }
  const assumed = r.parameters.filter((x) => x.label === 'assumed' && !x.name.endsWith('Sigma')).map((x) => x.name);
  const changed = r.parameters.filter((x) => x.label === 'set' || x.label === 'override').map((x) => `${x.name}=${x.value}`);
  out.push('');
  out.push(`assumed parameters (no public number; calibrate or --set costs.NAME=V): ${assumed.join(', ')}`);
  if (changed.length) out.push(`set by you: ${changed.join(', ')}`);
  if (r.timing) {
    const t = r.timing;
    out.push(`TIMING   tdxmodel's own run (--timing, host wall clock, not modeled): load ${t.loadMs} ms, simulate ${t.simulateMs} ms, trials ${t.trialsMs} ms on ${t.workers} worker(s)`);
  }
  return out.join('\n');
}
