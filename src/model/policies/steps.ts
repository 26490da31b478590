// The steps kernel generations share, each modeled once: boot checks, per-CPU enabling,
// metadata, TDMR construction with PAMT allocation, CONFIG, key configuration, TDMR
// initialization and the error path. Policies compose them; none of them decides policy.

import type { Sim } from '../sim.js';
import { LEAF } from '../module/leaves.js';
import { isError, FEATURES0_NO_RBP_MOD, FEATURES0_DYNAMIC_PAMT, type TdmrInfo } from '../module/index.js';
import type { Lp } from '../../platform/types.js';
import type { TdmrTable } from '../../construct/tdmrTable.js';
import { SZ_1M } from '../../construct/constants.js';
import { hex } from '../../construct/hex.js';
import type { Clock } from '../clock.js';
/** GB/s to bytes per µs. */
const GBPS = 1e3;

export function onlineLps(sim: Sim): readonly Lp[] {
  return sim.onlineLps;
}

/** "1 CPU", "224 CPUs". */
export function cpus(n: number): string {
  return `${n} CPU${n === 1 ? '' : 's'}`;
}

export function cpuList(lps: readonly Lp[]): string {
  if (lps.length === 0) return 'none';
  if (lps.length === 1) return `CPU ${lps[0].id}`;
  return `${lps.length} CPUs`;
}

/** tdx_init() at boot: KeyID partitioning, the refusals, the S3 note. */
export function bootChecks(sim: Sim, opts: { requireX2apic: boolean }): boolean {
  const { mktme, tdx } = sim.platform.keyids;
  if (tdx === 0) {
    sim.fail('boot', 'ENODEV', 'the BIOS enabled no TDX KeyIDs (IA32_MKTME_KEYID_PARTITIONING reports 0): TDX is off', null, 'NONE');
    return false;
  }
  const start = mktme + 1;
  sim.print(() => `BIOS enabled: private KeyID range [${start}, ${start + tdx})`);
  if (tdx < 2) {
    sim.print('initialization failed: too few private KeyIDs available.');
    sim.fail('boot', 'ENODEV', 'too few private KeyIDs available (the module needs one global KeyID, guests the rest)', null, 'NONE');
    return false;
  }
  if (opts.requireX2apic && !sim.platform.cpus.x2apic) {
    sim.print('initialization failed: x2APIC is not enabled.');
    sim.fail('boot', 'ENODEV', 'TDX requires x2APIC', null, 'NONE');
    return false;
  }
  if (sim.platform.kernel.hibernation) {
    sim.print('initialization failed: Hibernation support is enabled');
    sim.fail('boot', 'ENODEV', 'hibernation support is enabled (boot with nohibernate)', null, 'NONE');
    return false;
  }
  sim.print('Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.');
  return true;
}

/** Global KeyID: the first TDX KeyID. */
export function globalKeyId(sim: Sim): bigint {
  return BigInt(sim.platform.keyids.mktme + 1);
}

/**
 * TDH.SYS.INIT once, on `lp`, at the current time. Returns false (having failed the run)
 * when it does not succeed; "module not loaded" is printed for VMFailInvalid.
 */
export function sysInit(sim: Sim, lp: number, step = 'TDH.SYS.INIT'): boolean {
  const dur = sim.cost('sysInitUs');
  const start = sim.time((c) => { c.out = c.advance(step, c.costs.sysInitUs); });
  const r = sim.seamcall(LEAF.SYS_INIT, lp, { rcx: 0n }, dur, start);
  sim.describe(() => ({ cpus: `CPU ${lp}`, detail: 'module global initialization', ops: [{ kind: 'fixed', us: dur, sigma: sim.sigma('sysInitUs') }] }));
  if (r.status !== 0n) {
    sim.failSeamcall(step, LEAF.SYS_INIT, r, false);
    if (sim.outcome.error?.code === '-ENODEV') {
      sim.print('module not loaded');
      sim.outcome.error.message = 'the TDX module is not loaded (SEAMCALL VMFailInvalid): check the BIOS TDX settings and the module (seamldr) load';
      sim.outcome.status = 'NONE';
    }
    return false;
  }
  return true;
}

/**
 * TDH.SYS.LP.INIT on every online LP, one after another (mainline's CPU-hotplug callback).
 * The first callback also runs TDH.SYS.INIT.
 */
export function lpInitSerial(sim: Sim): boolean {
  const lps = sim.enabledLps;
  const cb = sim.cost('cpuOnlineCallbackUs');
  const per = sim.cost('lpInitUs');
  const n = lps.length;
  if (n === 0) return true;
  sim.time((c) => { c.now += c.costs.cpuOnlineCallbackUs; });
  if (!sysInit(sim, lps[0].id)) return false;
  sim.time((c) => serialStarts(c, n));
  const { failedAt, result: r } = sim.lpInitSeries(sim.clock.series.starts, per);
  sim.time((c) => lpInitEnds(c, r ? failedAt : n - 1));
  if (r) {
    const lp = lps[failedAt];
    sim.describe(() => ({ cpus: `${cpus(failedAt + 1)} one after another`, detail: `failed on CPU ${lp.id}` }));
    sim.failSeamcall('TDH.SYS.LP.INIT', LEAF.SYS_LP_INIT, r, false);
    sim.outcome.error!.message += ` on CPU ${lp.id} (package ${lp.package}); KVM cannot enable TDX`;
    return false;
  }
  sim.describe(() => ({
    cpus: `${cpus(lps.length)} one after another`,
    detail: 'per-CPU init from the CPU-online callback',
    ops: [
      { kind: 'serial', count: lps.length - 1, fixedUs: cb, medianUs: per, sigma: sim.sigma('lpInitUs') },
      { kind: 'fixed', us: per, sigma: sim.sigma('lpInitUs') },
    ],
  }));
  return true;
}

/** The start of each of n LP.INITs one after another (into c.series.starts): each after the previous one and its own callback overhead. */
function serialStarts(c: Clock, n: number): undefined {
  c.serial(n, c.costs.cpuOnlineCallbackUs, c.costs.lpInitUs);
}

/** The LP.INIT step up to the end of the series' call k (the last, or the one that failed). */
function lpInitEnds(c: Clock, k: number): undefined {
  const start = c.now;
  c.now = c.series.starts[k] + c.costs.lpInitUs;
  c.span('TDH.SYS.LP.INIT', start, c.now);
}

/** TDH.SYS.LP.INIT on all online LPs at once (an IPI broadcast, v7). */
export function lpInitBroadcast(sim: Sim): boolean {
  const lps = sim.enabledLps;
  const ipi = sim.cost('ipiBroadcastUs');
  const per = sim.cost('lpInitUs');
  const n = lps.length;
  const at = sim.now + ipi;
  const { failedAt, result: r } = sim.lpInitSeries(sim.clock.series.all(n, at), per);
  sim.time((c) => broadcastEnds(c, 'TDH.SYS.LP.INIT'));
  if (r) {
    sim.describe(() => ({ cpus: `${cpus(lps.length)} at once`, detail: `failed on CPU ${lps[failedAt].id}` }));
    sim.failSeamcall('TDH.SYS.LP.INIT', LEAF.SYS_LP_INIT, r, false);
    return false;
  }
  sim.describe(() => ({
    cpus: `${cpus(lps.length)} at once`,
    detail: 'IPI broadcast',
    ops: [{ kind: 'parallel', count: lps.length, fixedUs: ipi, medianUs: per, sigma: sim.sigma('lpInitUs') }],
  }));
  return true;
}

/** An IPI broadcast's step: every CPU's call starts after the IPI and takes lpInitUs. */
export function broadcastEnds(c: Clock, step: string): undefined {
  const start = c.now;
  c.now = start + c.costs.ipiBroadcastUs + c.costs.lpInitUs;
  c.span(step, start, c.now);
}

// The TDH.SYS.RD fields mainline reads before building TDMRs: features, then the TDMR limits.
const METADATA_FIELDS = [0x0a00000300000008n, 0x9100000100000008n, 0x9100000100000009n, 0x9100000100000010n, 0x9100000100000011n, 0x9100000100000012n];

export interface Metadata {
  features0: bigint;
  /** False on kernels that never read TDX_FEATURES0 (before 6.14): no feature check, no Dynamic PAMT. */
  featuresRead: boolean;
  maxTdmrs: number;
  maxReservedPerTdmr: number;
  pamtEntrySize: [number, number, number];
}

/**
 * Time in tdx_enable() that no modeled step explains, as fitted by `tdxmodel calibrate`
 * (fixedOverheadUs; 0 by default, when no step is recorded).
 */
export function calibratedOverhead(sim: Sim): void {
  const spent = sim.time((c) => {
    const us = c.costs.fixedOverheadUs;
    c.out = c.decide(us <= 0 ? 0 : 1);
    if (c.out) c.advance('calibrated overhead', us);
  });
  if (!spent) return;
  sim.describe(() => ({ cpus: 'caller CPU', detail: 'fixedOverheadUs: window time the modeled steps do not explain' }));
}

/**
 * Which metadata a kernel release reads first. Up to 6.13, get_tdx_tdmr_sysinfo() in
 * arch/x86/virt/vmx/tdx/tdx.c reads only the TDMR fields, MAX_TDMRS first, and checks no
 * feature bit (so a 1.0 module's refusal names MAX_TDMRS, as 6.8 logs show). From 6.14 the
 * generated tdx_global_metadata.c reads TDX_FEATURES0 first (get_tdx_sys_info_features) and
 * the kernel refuses modules without NO_RBP_MOD. Unknown release: the current behaviour.
 */
export function readsFeatures0(version: string | null): boolean {
  const m = version === null ? null : /^(\d+)\.(\d+)/.exec(version);
  if (!m) return true;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 6 || (major === 6 && minor >= 14);
}

// Boot-time init (2026 kernels) first reads the module version and prints it.
const VERSION_FIELDS = [0x0800000100000003n, 0x0800000100000004n, 0x0800000100000005n];

/**
 * Mainline: one TDH.SYS.RD per field; the first failure ends it (printed with registers).
 * With boot-time init the version fields come first and "Module version: M.m.uu" is printed.
 */
export function readMetadata(sim: Sim, lp: number): Metadata | null {
  const dur = sim.cost('sysRdUs');
  const withVersion = sim.platform.kernel.bootTimeInit;
  const featuresRead = readsFeatures0(sim.platform.kernel.version);
  const tdx = featuresRead ? METADATA_FIELDS : METADATA_FIELDS.slice(1);
  const fields = withVersion ? [...VERSION_FIELDS, ...tdx] : tdx;
  const n = fields.length;
  // The reads' starts in one op (a program's row runs one op, not one per field), the step's end in another.
  sim.time((c) => sysRdStarts(c, n));
  const starts = sim.clock.callStarts;
  const vals: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const field = fields[i];
    const r = sim.seamcall(LEAF.SYS_RD, lp, { rdx: field, field }, dur, starts[i]);
    if (r.status !== 0n) {
      sim.time((c) => sysRdEnds(c, i));
      sim.describe(() => ({ cpus: `CPU ${lp}`, detail: `field ${hex(field)} refused` }));
      sim.failSeamcall('metadata', LEAF.SYS_RD, r, true, { rdx: field });
      return null;
    }
    vals.push(r.r8 ?? 0n);
  }
  sim.time((c) => sysRdEnds(c, n - 1));
  if (withVersion) {
    const [minor, major, update] = vals.splice(0, 3);
    sim.print(() => `Module version: ${major}.${minor}.${String(update).padStart(2, '0')}`);
  }
  sim.describe(() => ({ cpus: `CPU ${lp}`, detail: `${n} global metadata fields` }));
  if (!featuresRead) vals.unshift(0n);
  return {
    features0: vals[0],
    featuresRead,
    maxTdmrs: Number(vals[1]),
    maxReservedPerTdmr: Number(vals[2]),
    pamtEntrySize: [Number(vals[3]), Number(vals[4]), Number(vals[5])],
  };
}

/** The starts of n TDH.SYS.RDs one after another on the caller's CPU from now (into c.callStarts), each where the one before ended. */
function sysRdStarts(c: Clock, n: number): undefined {
  c.callsInSeries(c.begin(), n, 0, c.costs.sysRdUs);
}

/** The TDH.SYS.RD step up to the end of read k (the last, or the one refused). */
function sysRdEnds(c: Clock, k: number): undefined {
  c.now = c.callStarts[k] + c.costs.sysRdUs;
  c.end('TDH.SYS.RD');
}

/** v7: one TDH.SYS.INFO returns the limits, a single PAMT entry size and the CMR array. */
export function readSysInfo(sim: Sim, lp: number): Metadata | null {
  const dur = sim.cost('sysInfoUs');
  const start = sim.time((c) => { c.out = c.advance('TDH.SYS.INFO', c.costs.sysInfoUs); });
  const r = sim.seamcall(LEAF.SYS_INFO, lp, {}, dur, start);
  sim.describe(() => ({ cpus: `CPU ${lp}`, detail: 'TDSYSINFO_STRUCT and the CMR array' }));
  if (r.status !== 0n) {
    sim.failSeamcall('TDH.SYS.INFO', LEAF.SYS_INFO, r, false);
    return null;
  }
  const m = sim.platform.module;
  return { features0: 0n, featuresRead: false, maxTdmrs: m.maxTdmrs, maxReservedPerTdmr: m.maxReservedPerTdmr, pamtEntrySize: [m.pamtEntrySize4k, m.pamtEntrySize4k, m.pamtEntrySize4k] };
}

export function checkNoRbpMod(sim: Sim, md: Metadata): boolean {
  if (!md.featuresRead || md.features0 & FEATURES0_NO_RBP_MOD) return true;
  sim.print('frame pointer (RBP) clobber bug present, upgrade TDX module');
  sim.fail('metadata', 'EINVAL', 'the module lacks the NO_RBP_MOD feature; current kernels refuse it: update the TDX module');
  return false;
}

export function wantsDynamicPamt(sim: Sim, md: Metadata): boolean {
  return (md.features0 & FEATURES0_DYNAMIC_PAMT) !== 0n;
}

export interface Layout {
  /** The TDMRs, flat (what TDMR.INIT, readiness and the PAMT accounting read). */
  table: TdmrTable;
  /** What CONFIG is handed: the table itself, or the register-exact entries a document wrote. */
  config: TdmrTable | readonly TdmrInfo[];
}

/**
 * build_tdx_memlist + construct_tdmrs, with the PAMT allocations' time; or, for a platform
 * that brings its own TDMR layout, that layout as it was written (CONFIG judges it).
 */
export function layoutTdmrs(sim: Sim, md: Metadata, opts: { dynamicPamt: boolean; errnoOnExhaustion: 'ENOSPC' | 'E2BIG' }): Layout | null {
  const written = sim.prepared.writtenLayout();
  if (written) {
    const { table } = written;
    sim.construct = { ok: true, table, pamtBytes: table.totalPamtBytes(), warnings: [] };
    sim.time((c) => { c.advance('construct TDMRs', 0); });
    sim.describe(() => ({ cpus: 'caller CPU', detail: `bring-your-own layout: ${table.count} TDMRs` }));
    return { table, config: written.infos };
  }
  return constructTdmrs(sim, md, opts);
}

/** build_tdx_memlist + construct_tdmrs, with the PAMT allocations' time. */
function constructTdmrs(sim: Sim, md: Metadata, opts: { dynamicPamt: boolean; errnoOnExhaustion: 'ENOSPC' | 'E2BIG' }): Layout | null {
  const limits = { maxTdmrs: md.maxTdmrs, maxReservedPerTdmr: md.maxReservedPerTdmr, pamtEntrySize: md.pamtEntrySize, dynamicPamt: opts.dynamicPamt };
  const result = sim.prepared.construct(limits, sim.engine);
  sim.construct = result;
  const blocks = sim.memlist.length;
  const tdmrCount = result.ok ? result.table.count : Math.max(1, md.maxTdmrs);
  // The kernel's TDMR code walks the memory list and every PAMT once per TDMR.
  sim.time((c) => { c.advance('construct TDMRs', (c.costs.constructPerBlockTdmrNs * blocks * tdmrCount) / 1000); });
  for (const w of result.warnings) sim.print(w);
  sim.describe(() => ({
    cpus: 'caller CPU',
    detail: `${blocks} memory blocks, ${result.ok ? `${result.table.count} TDMRs` : 'no TDMRs (construction failed)'}`,
  }));
  if (!result.ok) {
    const errno = result.error === 'PAMT_ALLOC_FAILED' ? 'ENOMEM' : opts.errnoOnExhaustion;
    const msg = result.error === 'TDMRS_EXHAUSTED'
      ? `TDMRs exhausted: the memory map needs more than the module's ${md.maxTdmrs} TDMRs`
      : result.error === 'RESERVED_AREAS_EXHAUSTED'
        ? `reserved areas exhausted in TDMR [${hex(result.tdmr!.base)}, ${hex(result.tdmr!.base + result.tdmr!.size)}): more than ${md.maxReservedPerTdmr} holes and PAMTs`
        : 'a PAMT could not be allocated (no contiguous free range on any node)';
    sim.fail('construct TDMRs', errno, msg);
    return null;
  }
  const { table } = result;
  const bytes = table.totalPamtBytes();
  const count = table.count;
  sim.time((c) => { c.advance('allocate PAMTs', c.costs.allocFixedUs * count + bytes / (c.costs.allocBandwidthGBps * GBPS)); });
  sim.describe(() => ({ cpus: 'caller CPU', detail: `${count} contiguous allocations, ${Math.floor(bytes / 1024)} KB` }));
  return { table, config: table };
}

/** TDH.SYS.CONFIG with the TDMR array and the global KeyID (+ the Dynamic PAMT request). */
export function config(sim: Sim, lp: number, layout: Layout, dynamicPamt: boolean): boolean {
  const n = layout.table.count;
  const dur = configUs(sim.clock, n);
  const start = sim.time((c) => { c.out = c.advance('TDH.SYS.CONFIG', configUs(c, n)); });
  const r8 = globalKeyId(sim) | (dynamicPamt ? DYNAMIC_PAMT_CONFIG_BIT : 0n);
  const args = { rcx: TDMR_ARRAY_PA, rdx: BigInt(n), r8, tdmrs: layout.config };
  const r = sim.seamcall(LEAF.SYS_CONFIG, lp, args, dur, start);
  sim.describe(() => ({ cpus: `CPU ${lp}`, detail: `${n} TDMRs, global KeyID ${globalKeyId(sim)}${dynamicPamt ? ', Dynamic PAMT' : ''}` }));
  if (r.status !== 0n) {
    sim.failSeamcall('TDH.SYS.CONFIG', LEAF.SYS_CONFIG, r, false, args);
    return false;
  }
  return true;
}

/** TDH.SYS.CONFIG's time for n TDMRs. */
function configUs(c: Clock, n: number): number {
  return c.costs.configUs + c.costs.configPerTdmrUs * n;
}

// A page-aligned kernel address for the TDMR_INFO pointer array (kzalloc'ed, 512-aligned).
const TDMR_ARRAY_PA = 0x100000000n;
// Option bits above the KeyID in R8 (bits 63:16): Dynamic PAMT is requested with bit 16.
export const DYNAMIC_PAMT_CONFIG_BIT = 1n << 16n;

/** WBINVD on all CPUs: they flush at once, so the step costs one package's flush. */
export function wbinvd(sim: Sim, why: string): void {
  sim.time((c) => { c.advance('WBINVD', c.costs.wbinvdUs); });
  sim.describe(() => ({ cpus: 'all CPUs', detail: why, ops: [{ kind: 'fixed', us: sim.cost('wbinvdUs'), sigma: sim.sigma('wbinvdUs') }] }));
}

/** TDH.SYS.KEY.CONFIG on the first online CPU of each package, one package at a time. */
export function keyConfig(sim: Sim): boolean {
  const dur = sim.cost('keyConfigUs');
  const leaders = sim.packageLeaders;
  const n = leaders.length;
  // The calls' starts in one op, the step's end in another (as for the metadata reads).
  sim.time((c) => keyConfigStarts(c, n));
  const starts = sim.clock.callStarts;
  for (let i = 0; i < n; i++) {
    const lp = leaders[i];
    const r = sim.seamcall(LEAF.SYS_KEY_CONFIG, lp.id, {}, dur, starts[i]);
    if (r.status !== 0n) {
      sim.time((c) => keyConfigEnds(c, i));
      sim.describe(() => ({ cpus: `${cpus(i + 1)} one after another`, detail: `failed on package ${lp.package}` }));
      sim.failSeamcall('TDH.SYS.KEY.CONFIG', LEAF.SYS_KEY_CONFIG, r, false);
      return false;
    }
  }
  const missing = sim.platform.cpus.packages - n;
  sim.time((c) => keyConfigEnds(c, n - 1));
  sim.describe(() => ({
    cpus: `${cpus(n)} one after another`,
    detail: missing > 0 ? `${missing} package(s) without an online CPU skipped` : `one per package`,
    ops: [{ kind: 'serial', count: n, fixedUs: sim.cost('smpCallOnCpuUs'), medianUs: sim.cost('keyConfigUs'), sigma: sim.sigma('keyConfigUs') }],
  }));
  return true;
}

/**
 * The starts of n packages' KEY.CONFIGs one after another from now (into c.callStarts), each
 * through smp_call_on_cpu(). The next call starts from this one's own end (start + dur, then
 * + smp), not from t + smp + dur: summed the other way round it can fall an ulp short of it,
 * and the CPU's next call (a TDMR.INIT lane) would start before this one ended.
 */
function keyConfigStarts(c: Clock, n: number): undefined {
  const smp = c.costs.smpCallOnCpuUs;
  c.callsInSeries(c.begin() + smp, n, smp, c.costs.keyConfigUs);
}

/** The KEY.CONFIG step up to the end of call k (the last, or the one that failed; none: -1). */
function keyConfigEnds(c: Clock, k: number): undefined {
  if (k >= 0) c.now = c.callStarts[k] + c.costs.keyConfigUs;
  c.end('TDH.SYS.KEY.CONFIG');
}

/**
 * TDH.SYS.TDMR.INIT for every TDMR, spread over `lanes` CPUs: each CPU takes the next TDMR
 * when it becomes free (lanes = 1: mainline's serial loop). A TDMR is owned by one CPU at a
 * time, as the module's per-TDMR mutex requires.
 */
export function tdmrInit(sim: Sim, tdmrs: TdmrTable, cpus: readonly Lp[], stepName = 'TDH.SYS.TDMR.INIT'): boolean {
  const perCall = sim.cost('tdmrInitCallUs');
  const lanes = cpus.length;
  sim.time((c) => {
    c.lanesFrom(lanes, c.begin());
  });
  // Fixed at CONFIG (4 MiB, or 16 MiB with Dynamic PAMT).
  const chunk = Number(sim.module.chunkBytes());
  const calls: number[] = [];
  for (let i = 0; i < tdmrs.count; i++) {
    // One lane (mainline) takes every TDMR: no time decides it, and a program row runs no op for it.
    const lane = lanes === 1 ? 0 : sim.time((c) => freeLane(c, lanes));
    const lp = cpus[lane].id;
    const at = sim.clock.lanes[lane];
    const base = tdmrs.base(i);
    const rcx = BigInt(base);
    const r = sim.module.tdmrInitBulk(lp, rcx, Infinity, at, perCall);
    const n = r.calls;
    const failed = isError(r.status);
    const done = failed ? null : { base, size: tdmrs.size(i), chunk };
    const doneAt = sim.time((c) => tdmrInitCalls(c, lane, n, done));
    sim.bulk(LEAF.SYS_TDMR_INIT, lp, n, at, doneAt, r.status, { rcx });
    calls.push(n);
    if (failed) {
      sim.time((c) => tdmrInitEnds(c, stepName));
      sim.describe(() => ({ cpus: cpuList(cpus), detail: `failed on TDMR ${i}` }));
      sim.failSeamcall(stepName, LEAF.SYS_TDMR_INIT, { status: r.status, name: '' }, true, { rcx });
      return false;
    }
  }
  sim.time((c) => tdmrInitEnds(c, stepName));
  sim.describe(() => {
    const total = calls.reduce((a, b) => a + b, 0);
    return {
      cpus: cpus.length === 1 ? `CPU ${cpus[0].id}` : `${cpus.length} CPUs in parallel`,
      detail: `${tdmrs.count} TDMRs, ${total} calls of ${chunk / SZ_1M} MiB`,
      ops: [{ kind: 'tdmrs', calls, medianUs: perCall, sigma: sim.sigma('tdmrInitCallUs'), lanes: cpus.length }],
    };
  });
  return true;
}

/** The TDMR.INIT lane free first (the lowest-numbered of equals): the next TDMR goes there. */
function freeLane(c: Clock, lanes: number): undefined {
  const free = c.lanes;
  let lane = 0;
  for (let k = 1; k < lanes; k++) if (free[k] < free[lane]) lane = k;
  c.out = c.decide(lane);
}

/**
 * A TDMR's `calls` TDMR.INITs on `lane`, from when the lane is free; its window (when it
 * succeeded) for readiness. Hands on when the last call ends.
 */
function tdmrInitCalls(c: Clock, lane: number, calls: number, done: { base: number; size: number; chunk: number } | null): undefined {
  const at = c.lanes[lane];
  const perCall = c.costs.tdmrInitCallUs;
  const doneAt = at + calls * perCall;
  c.lanes[lane] = doneAt;
  c.lanesEnd = Math.max(c.lanesEnd, doneAt);
  if (done) c.window(done.base, done.size, at, doneAt, perCall, done.chunk);
  c.out = doneAt;
}

/** The TDMR.INIT step ends when its last lane does. */
function tdmrInitEnds(c: Clock, step: string): undefined {
  c.now = c.lanesEnd;
  c.end(step);
}

const ERRATUM_MODELS = new Set(['sapphirerapids', 'emeraldrapids']);

/** After a failure once KEY.CONFIG began: WBINVD, then (erratum CPUs) MOVDIR64B over all PAMTs. */
export function resetPamts(sim: Sim, tdmrs: TdmrTable, movdir64b: boolean): void {
  wbinvd(sim, 'flush PAMT cache lines before freeing them');
  if (!movdir64b || !ERRATUM_MODELS.has(sim.platform.cpus.model)) return;
  const bytes = tdmrs.totalPamtBytes();
  sim.time((c) => { c.advance('MOVDIR64B PAMT reset', bytes / (c.costs.movdir64bBandwidthGBps * GBPS)); });
  sim.describe(() => ({ cpus: 'caller CPU', detail: `${Math.floor(bytes / 1024)} KB, partial-write #MC erratum` }));
}

export function pamtKbLine(sim: Sim, tdmrs: TdmrTable, fmt: 'mainline' | 'v7'): void {
  sim.print(() => {
    const kb = Math.floor(tdmrs.totalPamtBytes() / 1024);
    return fmt === 'mainline' ? `${kb} KB allocated for PAMT` : `${kb} KBs allocated for PAMT.`;
  });
}

/** The memory-hotplug notifier's rule after a successful init. */
export function insideTdxMemlist(sim: Sim, start: number, end: number): boolean {
  return sim.memlist.some((b) => start >= b.start && end <= b.end);
}

