// The boot and memory model of one TD: from firmware to init, and to "all memory accepted".
// Rules (each from the source named beside it) decide what happens; cost parameters
// (src/guest/costs.ts) say how long it takes. Page acceptance by several vCPUs at once is
// simulated per 4K page (assembly/accept.ts); everything else is a sum.
//
// planBoot() turns a TD into fixed phase lengths plus up to three acceptance jobs; the caller
// runs the jobs (one trial or many, in this thread or on workers) and assembleBoot() puts the
// timeline together from their results.

import type { TdDocument } from '../document.js';
import { ACCEPT_UNITS_MAX, type AcceptJob } from './acceptJob.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
const PAGE = 4096;
/** Points on each acceptance curve. */
export const CURVE_SAMPLES = 64;

export type AcceptPhase = 'firmware' | 'kernelEager' | 'afterInit';

export interface PlannedJob {
  phase: AcceptPhase;
  job: AcceptJob;
  /** 4K pages per simulated unit (1 unless the range is over ACCEPT_UNITS_MAX pages). */
  pagesPerUnit: number;
  bytes: number;
}

export interface MemoryCosts {
  swiotlbBytes: number;
  swiotlbAreas: number;
  swiotlbSlotMetadataBytes: number;
  quoteBufferBytes: number;
  unacceptedBitmapBytes: number;
  /** Upper bound: direct-map large pages split by the boot-time private→shared conversions. */
  directMapSplitsMax: number;
  sharedBytes: number;
}

export interface HostWork {
  /** EPT-violation TD exits + TDH.MEM.PAGE.AUG, one per 4K page at 4K host mapping (per 2 MiB at 2M). */
  acceptExits: number;
  /** Private pages made shared at boot (each BLOCK + TRACK + REMOVE + WBINVD on the host). */
  pagesRemoved: number;
  /** vCPU kicks by tdx_track(): removed pages × running vCPUs at the time. */
  vcpuKicks: number;
  mapGpaCalls: number;
}

export interface BootPlan {
  memoryBytes: number;
  firmwareFixedS: number;
  firmwareAcceptBytes: number;
  kernelEarlyS: number;
  swiotlbS: number;
  smpS: number;
  stormS: number;
  stormBytes: number;
  /** Storm progress through bring-up: seconds from its start, bytes accepted by the storm. */
  smpCurve: { seconds: number[]; bytes: number[] };
  initcallsS: number;
  quoteBufferS: number;
  /** Accepted at init, not counting the kernel-eager job (added when it runs). */
  acceptedBeforeEagerBytes: number;
  jobs: PlannedJob[];
  memory: MemoryCosts;
  host: HostWork;
  notes: string[];
  /** Which vCPUs run the post-init acceptance (0 = nobody: an idle TD). */
  allocators: number;
}

export interface Phase {
  id: string;
  label: string;
  startSeconds: number;
  seconds: number;
}

export interface BootResult {
  phases: Phase[];
  firmwareSeconds: number;
  toInitSeconds: number;
  acceptedAtInitBytes: number;
  /** null: an idle TD never accepts the rest. */
  fullyAcceptedSeconds: number | null;
  unacceptedAtInitBytes: number;
  stormSeconds: number;
  stormBytes: number;
  /** Cumulative accepted memory: [seconds, bytes] points from power-on. */
  acceptedCurve: { seconds: number[]; bytes: number[] };
}

/** Kernel versions compare as MAJOR*100 + MINOR. */
export function versionCode(v: string): number {
  const [a, b] = v.split('.').map(Number);
  return a * 100 + b;
}

/** 6 % of RAM clamped to [64 MiB, 1 GiB], rounded up to a 256 KiB segment (mem_encrypt_setup_arch, swiotlb_adjust_size). */
export function swiotlbBytes(memoryBytes: number, overrideMiB: number | null): number {
  if (overrideMiB !== null) return overrideMiB * MiB;
  const seg = 256 * KiB;
  const size = Math.min(Math.max(Math.floor((memoryBytes * 6) / 100), 64 * MiB), GiB);
  return Math.ceil(size / seg) * seg;
}

/**
 * Areas: possible CPUs rounded up to a power of two, fewer if an area would hold under one
 * IO_TLB_SEGSIZE (128 slots of 2 KiB) (kernel/dma/swiotlb.c swiotlb_adjust_nareas, limit_nareas).
 */
export function swiotlbAreas(vcpus: number, poolBytes: number): number {
  let areas = 1;
  while (areas < vcpus) areas *= 2;
  const slots = poolBytes / 2048;
  while (areas > 1 && slots < areas * 128) areas /= 2;
  return areas;
}

/** GET_QUOTE_BUF_SIZE: none before configfs-tsm quotes (6.7), 8 KiB to 6.19, 128 KiB from 7.0 (commit 43185067c6fd). */
export function quoteBufferBytes(kernelVersion: string): number {
  const v = versionCode(kernelVersion);
  if (v < 607) return 0;
  return v >= 700 ? 128 * KiB : 8 * KiB;
}

/**
 * One accept fault during SMP bring-up with `online` vCPUs up, the idle ones taking HZ ticks
 * (each a TD exit the host serves while the BSP accepts): acceptFaultUs with one vCPU, growing
 * linearly to acceptFaultLateUs when acceptFaultLateVcpus - 1 are up at HZ=1000, the last AP's
 * turn in the measured 248-vCPU TD (dstack PR #1220: 8 µs normally, 153 µs late in bring-up).
 */
export function stormFaultUs(c: Record<string, number>, online: number, hz: number): number {
  const span = c.acceptFaultLateVcpus - 2;
  const perVcpu = span > 0 ? (c.acceptFaultLateUs / c.acceptFaultUs - 1) / span : 0;
  return c.acceptFaultUs * (1 + perVcpu * (online - 1) * (hz / 1000));
}

interface PageCosts {
  parallelUs: number;
  serialUs: number;
}

/**
 * Per-4K costs split into the part vCPUs do at once and the part the host serializes. With 2M
 * host mappings one exit + AUG covers 512 pages; only the zeroing stays per 4K.
 */
function pageCosts(totalUs: number, serialUs: number, zeroUs: number, hostPage: '4K' | '2M'): PageCosts {
  const serial = Math.min(serialUs, totalUs);
  const parallel = totalUs - serial;
  if (hostPage === '4K') return { parallelUs: parallel, serialUs: serial };
  const zero = Math.min(zeroUs, parallel);
  return { parallelUs: zero + (parallel - zero) / 512, serialUs: serial / 512 };
}

function plannedJob(phase: AcceptPhase, bytes: number, vcpus: number, pc: PageCosts, jitter: number, seed: number): PlannedJob {
  const pages = Math.ceil(bytes / PAGE);
  let ppu = 1;
  while (Math.ceil(pages / ppu) > ACCEPT_UNITS_MAX) ppu *= 2;
  const units = Math.ceil(pages / ppu);
  return {
    phase, bytes, pagesPerUnit: ppu,
    job: { vcpus, units, parallelUs: pc.parallelUs * ppu, serialUs: pc.serialUs * ppu, jitter, seed, samples: CURVE_SAMPLES },
  };
}

/** Everything that does not need the acceptance simulation. `c` = resolved cost values. */
export function planBoot(td: TdDocument, c: Record<string, number>, seed: number): BootPlan {
  const notes: string[] = [];
  const mem = td.memoryGiB * GiB;
  const kv = versionCode(td.kernel.version);
  const hostPage = td.host.privatePageSize;
  const v = td.vcpus;
  const jitter = c.acceptJitter;
  const bulk = pageCosts(c.acceptPageUs, c.acceptSerialUs, c.acceptZeroUs, hostPage);
  const fault = pageCosts(c.acceptFaultUs, c.acceptSerialUs, c.acceptZeroUs, hostPage);
  const perExit = hostPage === '4K' ? 1 : 512;
  const jobs: PlannedJob[] = [];
  const host: HostWork = { acceptExits: 0, pagesRemoved: 0, vcpuKicks: 0, mapGpaCalls: 0 };

  // Firmware. Kernels before 6.5 cannot take unaccepted memory, so the firmware accepts it all.
  const unacceptedOk = kv >= 605;
  if (!unacceptedOk && td.firmware.accept === 'lazy') notes.push(`kernel ${td.kernel.version} predates unaccepted-memory support (6.5): the firmware accepts all memory`);
  // EDK2 accepts PcdLazyAcceptPartialMemorySize MiB when lazy, everything when that PCD is 0
  // (an OVMF built so hangs large TDs in firmware: kata-containers #13535).
  if (td.firmware.accept === 'lazy' && td.firmware.lazyAcceptMiB === 0) notes.push('firmware.lazyAcceptMiB = 0: the firmware accepts all memory (lazy accept disabled)');
  const fwBytes = td.firmware.accept === 'eager' || !unacceptedOk || td.firmware.lazyAcceptMiB === 0
    ? mem
    : Math.min(mem, td.firmware.lazyAcceptMiB * MiB);
  // TDVF accepts with the BSP and every AP in parallel (tianocore/edk2 PR #3813).
  jobs.push(plannedJob('firmware', fwBytes, v, bulk, jitter, seed));
  host.acceptExits += Math.ceil(fwBytes / PAGE / perExit);
  let accepted = fwBytes;

  // SWIOTLB: allocated from memblock (which accepts what it hands out, mm/memblock.c) and made
  // shared in mem_encrypt_init(), before smp_init(): one vCPU is running when tdx_track() kicks.
  const pool = swiotlbBytes(mem, td.kernel.swiotlbMiB);
  const poolPages = pool / PAGE;
  // memblock allocates top-down, so with lazy firmware the pool lands in unaccepted memory.
  const poolUnaccepted = Math.min(pool, mem - accepted);
  // memblock accepts the range in one accept_memory() call on the BSP: a bulk accept.
  const poolAcceptS = (Math.ceil(poolUnaccepted / PAGE) * (bulk.parallelUs + bulk.serialUs)) / 1e6;
  host.acceptExits += Math.ceil(poolUnaccepted / PAGE / perExit);
  accepted += poolUnaccepted;
  const chunks = Math.ceil(pool / (2 * MiB));
  const removals = hostPage === '4K' ? poolPages : chunks;
  const swiotlbS = poolAcceptS + (chunks * c.attMapGpaCallUs + removals * (c.attHostRemovePageUs + c.attKickPerVcpuUs * 1)) / 1e6;
  host.pagesRemoved += removals;
  host.vcpuKicks += removals;
  host.mapGpaCalls += chunks;

  // SMP bring-up: serial (TDX disables parallel bring-up). Until init_per_zone_wmark_min() runs
  // (a postcore initcall, after smp_init) the watermarks are 0 and every allocation that finds
  // only unaccepted memory accepts one MAX_ORDER (4 MiB) block: the accept storm.
  const lazyKernel = unacceptedOk && td.kernel.acceptMemory === 'lazy';
  let smpS = 0;
  let stormS = 0;
  let stormBytes = 0;
  const smpCurve = { seconds: [] as number[], bytes: [] as number[] };
  const every = Math.max(1, Math.ceil((v - 1) / CURVE_SAMPLES));
  for (let k = 1; k < v; k++) {
    if (k % every === 0 || k === v - 1) {
      smpCurve.seconds.push(smpS + stormS);
      smpCurve.bytes.push(stormBytes);
    }
    smpS += (c.apBringupMs + c.apBringupPerOnlineMs * (k - 1)) / 1e3;
    if (!lazyKernel) continue;
    const bytes = Math.min(c.stormBytesPerAp, mem - accepted);
    if (bytes <= 0) continue;
    const faultUs = stormFaultUs(c, k, td.kernel.hz);
    const perPage = hostPage === '4K' ? faultUs : Math.min(c.acceptZeroUs, faultUs) + (faultUs - Math.min(c.acceptZeroUs, faultUs)) / 512;
    const s = (Math.ceil(bytes / PAGE) * perPage) / 1e6;
    stormS += s;
    stormBytes += bytes;
    accepted += bytes;
    host.acceptExits += Math.ceil(bytes / PAGE / perExit);
  }
  smpS += stormS;
  smpCurve.seconds.push(smpS);
  smpCurve.bytes.push(stormBytes);
  if (v > 1) notes.push('smpboot: parallel CPU bring-up is disabled in TDX guests; APs come up one at a time');
  // The bring-up and storm terms were fitted on 64- and 248-vCPU TDs (dstack PR #1220).
  if (v > c.acceptFaultLateVcpus) notes.push(`${v} vCPUs is beyond the largest measured TD (${c.acceptFaultLateVcpus}): bring-up and storm times are extrapolated`);

  // accept_memory=eager: the rest is accepted at boot by the deferred page-init threads, one
  // per vCPU (after smp_init); nothing is left for a storm.
  if (unacceptedOk && td.kernel.acceptMemory === 'eager' && mem - accepted > 0) {
    jobs.push(plannedJob('kernelEager', mem - accepted, v, bulk, jitter, (seed + 1) >>> 0));
    host.acceptExits += Math.ceil((mem - accepted) / PAGE / perExit);
  }

  // The quote buffer is made shared at driver init, all vCPUs up: every removed page kicks all.
  const qb = td.attestation.bufferStrategy === 'preallocate' ? quoteBufferBytes(td.kernel.version) : 0;
  const qbPages = hostPage === '4K' ? qb / PAGE : Math.ceil(qb / (2 * MiB));
  const quoteBufferS = qb > 0 ? (c.attMapGpaCallUs + qbPages * (c.attHostRemovePageUs + c.attKickPerVcpuUs * v)) / 1e6 : 0;
  if (qb > 0) {
    host.pagesRemoved += qbPages;
    host.vcpuKicks += qbPages * v;
    host.mapGpaCalls += 1;
  }

  const allocators = Math.min(td.workload.allocators, v);
  const eagerBytes = jobs.find((j) => j.phase === 'kernelEager')?.bytes ?? 0;
  const left = mem - accepted - eagerBytes;
  if (left > 0 && allocators > 0) {
    jobs.push(plannedJob('afterInit', left, allocators, fault, jitter, (seed + 2) >>> 0));
    host.acceptExits += Math.ceil(left / PAGE / perExit);
  }
  if (left > 0 && allocators === 0) notes.push(`idle TD (workload.allocators = 0): ${(left / GiB).toFixed(2)} GiB stay unaccepted`);
  if (td.workload.allocators > v) notes.push(`workload.allocators ${td.workload.allocators} > vcpus ${v}: at most ${v} accept at once`);

  const unaccepted = mem - fwBytes;
  const memory: MemoryCosts = {
    swiotlbBytes: pool,
    swiotlbAreas: swiotlbAreas(v, pool),
    // struct io_tlb_slot: orig_addr, alloc_size, list, pad_slots = 24 bytes with padding, per 2 KiB slot.
    swiotlbSlotMetadataBytes: (pool / 2048) * 24,
    quoteBufferBytes: quoteBufferBytes(td.kernel.version),
    // One bit per 2 MiB of the unaccepted range (drivers/firmware/efi/unaccepted_memory.c).
    unacceptedBitmapBytes: unacceptedOk && unaccepted > 0 ? Math.ceil(mem / (2 * MiB) / 8) : 0,
    // Each conversion splits at most the large pages at its two ends, at both levels (1G→2M, 2M→4K).
    directMapSplitsMax: 4 + (qb > 0 ? 2 : 0),
    sharedBytes: pool + qb,
  };
  return {
    memoryBytes: mem, firmwareFixedS: c.firmwareFixedS, firmwareAcceptBytes: fwBytes, kernelEarlyS: c.kernelEarlyS,
    swiotlbS, smpS, stormS, stormBytes, smpCurve, initcallsS: c.initcallsS, quoteBufferS,
    acceptedBeforeEagerBytes: accepted, jobs, memory, host, notes, allocators,
  };
}

/** One trial's job outputs: per job (same order as plan.jobs) [makespanUs, sample1Us, ...]. */
export function assembleBoot(plan: BootPlan, results: Float64Array[]): BootResult {
  const phases: Phase[] = [];
  let t = 0;
  const curveS: number[] = [0];
  const curveB: number[] = [0];
  let acc = 0;
  const add = (id: string, label: string, seconds: number): number => {
    phases.push({ id, label, startSeconds: t, seconds });
    t += seconds;
    return t;
  };
  // results[i] may carry the job's samples or only its makespan (trials beyond the first).
  const runJob = (i: number, start: number, base: number): number => {
    const r = results[i];
    const pj = plan.jobs[i];
    const n = r.length - 1;
    for (let j = 0; j < n; j++) {
      const units = Math.floor(((j + 1) * pj.job.units) / n);
      curveS.push(start + r[1 + j] / 1e6);
      curveB.push(base + Math.min(pj.bytes, units * pj.pagesPerUnit * PAGE));
    }
    pushPoint(curveS, curveB, start + r[0] / 1e6, base + pj.bytes);
    return r[0] / 1e6;
  };
  const jobIndex = (phase: AcceptPhase): number => plan.jobs.findIndex((j) => j.phase === phase);

  add('firmware.fixed', 'firmware (TDVF, no accept)', plan.firmwareFixedS);
  const fw = jobIndex('firmware');
  const fwS = runJob(fw, t, 0);
  add('firmware.accept', 'firmware accept (BSP + APs)', fwS);
  acc = plan.firmwareAcceptBytes;
  const firmwareSeconds = t;
  add('kernel.early', 'kernel early boot', plan.kernelEarlyS);
  add('kernel.swiotlb', 'SWIOTLB made shared', plan.swiotlbS);
  const poolAcc = plan.acceptedBeforeEagerBytes - plan.firmwareAcceptBytes - plan.stormBytes;
  acc += poolAcc;
  pushPoint(curveS, curveB, t, acc);
  const smpStart = t;
  add('kernel.smp', plan.stormS > 0 ? 'serial AP bring-up (with the storm)' : 'serial AP bring-up', plan.smpS);
  // The storm happens inside bring-up, AP by AP: a bar of its total length from the same start.
  if (plan.stormS > 0) phases.push({ id: 'kernel.storm', label: 'of which: accept storm (4 MiB a time)', startSeconds: smpStart, seconds: plan.stormS });
  for (let i = 0; i < plan.smpCurve.seconds.length; i++) pushPoint(curveS, curveB, smpStart + plan.smpCurve.seconds[i], acc + plan.smpCurve.bytes[i]);
  acc += plan.stormBytes;
  const eg = jobIndex('kernelEager');
  if (eg >= 0) {
    const s = runJob(eg, t, acc);
    add('kernel.eagerAccept', 'accept_memory=eager (all vCPUs)', s);
    acc += plan.jobs[eg].bytes;
  }
  add('kernel.initcalls', 'initcalls to init', plan.initcallsS + plan.quoteBufferS);
  const toInit = t;
  pushPoint(curveS, curveB, t, acc);
  const acceptedAtInit = acc;
  // All memory accepted before init: the first point of the curve that reaches it.
  let fully: number | null = acc >= plan.memoryBytes ? curveS[curveB.findIndex((b) => b >= plan.memoryBytes)] : null;
  const ai = jobIndex('afterInit');
  if (ai >= 0) {
    const s = runJob(ai, t, acc);
    phases.push({ id: 'memory.lazyAccept', label: `lazy accept by ${plan.allocators} allocating process(es)`, startSeconds: t, seconds: s });
    acc += plan.jobs[ai].bytes;
    fully = t + s;
  }
  return {
    phases, firmwareSeconds, toInitSeconds: toInit, acceptedAtInitBytes: acceptedAtInit, fullyAcceptedSeconds: fully,
    unacceptedAtInitBytes: plan.memoryBytes - acceptedAtInit, stormSeconds: plan.stormS, stormBytes: plan.stormBytes,
    acceptedCurve: { seconds: curveS, bytes: curveB },
  };
}

function pushPoint(s: number[], b: number[], t: number, bytes: number): void {
  s.push(t);
  b.push(bytes);
}
