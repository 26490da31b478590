// Built-in platforms (`preset:NAME`, `tdxmodel presets`). Each is a platform document in the
// platform-format.md shape, so a user can dump one, edit it and feed it back. The `source`
// of each says which numbers come from a real machine (CMR lists and PAMT figures of the logs in
// test/data/real-logs, vendor specifications) and which are representative choices.

import { usageError } from './errors.js';
import type { PlatformDocument } from './document.js';
import { buildLayout, distances, type LowMap, type SocketLayout } from './presets/socketMemoryMap.js';

export interface Preset {
  name: string;
  description: string;
  source: string;
  doc: Record<string, unknown>;
}

const M = 0x100000;

/**
 * Sapphire Rapids (Eagle Stream) low memory: e820 usable [0, 0x9f000), [1 MiB, 0x5d169000)
 * (the e820 line quoted in real-logs/README.md ends at 0x5d168fff), a one-page usable run at
 * the top of the firmware area, ACPI/EFI/firmware reserved in between. Page 0 is trimmed by
 * the kernel, so memblock starts at 0x1000. The low CMR ends at 0x77800000 in every SPR log.
 */
const SPR_LOW: LowMap = {
  usable: [[0x1000, 0x9f000], [M, 0x5d169000], [0x6dfff000, 0x6e000000]],
  cmrEnd: 0x77800000,
  reserved: [
    { start: 0x1000000, end: 0x4000000, label: 'kernel' },
    { start: 0x55a00000, end: 0x5a600000, label: 'initrd' },
  ],
};

/** Emerald Rapids shares the Eagle Stream platform: same shape, different firmware sizes. */
const EMR_LOW: LowMap = {
  usable: [[0x1000, 0x9f000], [M, 0x61e8f000], [0x6f7ff000, 0x6f800000]],
  cmrEnd: 0x77800000,
  reserved: [
    { start: 0x1000000, end: 0x4000000, label: 'kernel' },
    { start: 0x5b000000, end: 0x5fc00000, label: 'initrd' },
  ],
};

/**
 * An Emerald Rapids firmware that scatters small runtime/ACPI/error-log reservations through
 * low memory: 16 usable runs above 1 MiB below 2 GiB. The first run crosses 1 GiB, so one TDMR
 * [0, 2 GiB) covers them all (the real failure names that TDMR); with memblock holes it needs
 * 17 reserved areas ([0, 1 MiB), 15 gaps, [0x6c000000, 2 GiB)), one more than the module's 16.
 */
const EMR_17_HOLES_LOW: LowMap = {
  usable: [
    [0x1000, 0x9d000],
    [M, 0x4a1c7000],
    [0x4a1cf000, 0x4a5e5000],
    [0x4a5ef000, 0x4b932000],
    [0x4b933000, 0x5208a000],
    [0x5208c000, 0x52d44000],
    [0x52d46000, 0x56f1e000],
    [0x56f20000, 0x5a6d9000],
    [0x5a6db000, 0x5e0b7000],
    [0x5e0bd000, 0x60c31000],
    [0x60c33000, 0x63d26000],
    [0x63d2a000, 0x6590c000],
    [0x65920000, 0x66a3d000],
    [0x66a3f000, 0x6a9bf000],
    [0x6a9c4000, 0x6af01000],
    [0x6af08000, 0x6b2c7000],
    [0x6bfff000, 0x6c000000],
  ],
  cmrEnd: 0x77800000,
  reserved: [
    { start: 0x1000000, end: 0x4000000, label: 'kernel' },
    { start: 0x5300000, end: 0x9f00000, label: 'initrd' },
  ],
};

/** Granite Rapids (Birch Stream): same scheme; the sizes below 2 GiB are representative. */
const GNR_LOW: LowMap = {
  usable: [[0x1000, 0x9d000], [M, 0x4f6ac000], [0x5e7ff000, 0x5e800000]],
  cmrEnd: 0x6f800000,
  reserved: [
    { start: 0x1000000, end: 0x4400000, label: 'kernel' },
    { start: 0x48000000, end: 0x4e000000, label: 'initrd' },
  ],
};

interface Spec {
  name: string;
  description: string;
  source: string;
  low: LowMap;
  sockets: SocketLayout;
  cpus: { coresPerPackage: number; threadsPerCore: number; model: string; offline?: 'smt' | number[] };
  nodeDistance?: number[][];
  module?: Record<string, unknown>;
  keyids: { mktme: number; tdx: number };
  kernel?: Record<string, unknown>;
  hotplug?: { start: string; end: string; node: number; kind: string }[];
}

function make(s: Spec): Preset {
  const layout = buildLayout(s.low, s.sockets);
  const doc: Record<string, unknown> = {
    name: s.name,
    memory: layout.memory,
    reserved: layout.reserved,
    cmrs: layout.cmrs,
    nodeDistance: s.nodeDistance ?? distances(s.sockets, 12, 21),
    cpus: {
      packages: s.sockets.sockets,
      coresPerPackage: s.cpus.coresPerPackage,
      threadsPerCore: s.cpus.threadsPerCore,
      ...(s.cpus.offline !== undefined ? { offline: s.cpus.offline } : {}),
      x2apic: true,
      model: s.cpus.model,
    },
    module: { loaded: true, version: '1.5.06', ...(s.module ?? {}) },
    keyids: s.keyids,
    kernel: { policy: 'mainline', holes: 'memblock', hibernation: false, ...(s.kernel ?? {}) },
  };
  if (s.hotplug) doc.hotplug = s.hotplug;
  return { name: s.name, description: s.description, source: s.source, doc };
}

const SPR_2S_512G: SocketLayout = { sockets: 2, dramPerSocketGiB: 256, snc: 1, topGapMiB: [288, 256] };
const CASE_15 = 'CMR list and PAMT figure of real-logs/case-15 (canonical/tdx issue 206: [0x100000, 0x77800000), [4G, 0x406e000000), [0x4080000000, 0x8070000000); 2101260 KB; KeyID range [32, 64))';
const INTEL_2S_SLIT = 'node distances 10/21 as in the SLIT of 2-socket Intel servers';

// The Emerald Rapids machine of the reserved-areas failure; a second preset runs it under
// CMR-based hole finding.
const EMR_17_HOLES: Spec = {
  name: '2s-emr-17holes',
  description: '2-socket Emerald Rapids, 512 GiB, with 17 memory holes below 2 GiB: mainline fails with "TDMR [0x0, 0x80000000): reserved areas exhausted" (-28)',
  source: 'init-flow.md §2.1 and Kai Huang\'s 2024 patch "Reduce TDMR\'s reserved areas by using CMRs to find memory holes" (a real EMR machine, 17 holes below 2 GiB); the exact e820 of that machine is not public: the 16 usable runs here are constructed to give 17 holes; CMRs as in the SPR logs',
  low: EMR_17_HOLES_LOW,
  sockets: { sockets: 2, dramPerSocketGiB: 256, snc: 1, topGapMiB: [288, 256] },
  cpus: { coresPerPackage: 60, threadsPerCore: 2, model: 'emeraldrapids' },
  keyids: { mktme: 31, tdx: 32 },
};

export const PRESETS: readonly Preset[] = [
  make({
    name: 'default',
    description: '2-socket Sapphire Rapids (Xeon Platinum 8480+, 56 cores × 2 threads), 512 GiB, 2 NUMA nodes, TDX module 1.5',
    source: `${CASE_15}; 56-core 8480+ per Intel ARK; 8 × 32 GiB DDR5 per socket; low memory: e820 shape of real-logs/README.md; ${INTEL_2S_SLIT}`,
    low: SPR_LOW,
    sockets: SPR_2S_512G,
    cpus: { coresPerPackage: 56, threadsPerCore: 2, model: 'sapphirerapids' },
    keyids: { mktme: 31, tdx: 32 },
  }),
  make({
    name: '1s-emr-64g',
    description: '1-socket Emerald Rapids (Xeon Gold, 16 cores × 2 threads), 64 GiB (8 × 8 GiB), 1 NUMA node',
    source: 'Eagle Stream low-memory shape and per-socket top gap as in real-logs case-14/15 (288 MiB on socket 0); core count of a 16-core 5th-gen Xeon Gold (Intel ARK); KeyID split [16, 32) as in real-logs/case-05; the 1-socket machine itself is representative, not a logged host',
    low: EMR_LOW,
    sockets: { sockets: 1, dramPerSocketGiB: 64, snc: 1, topGapMiB: [288, 256] },
    cpus: { coresPerPackage: 16, threadsPerCore: 2, model: 'emeraldrapids' },
    nodeDistance: [[10]],
    keyids: { mktme: 15, tdx: 16 },
  }),
  make({
    name: '2s-spr-256g',
    description: '2-socket Sapphire Rapids (Xeon Platinum 8480C, 56 cores × 2 threads), 256 GiB: the host of real-logs/case-14',
    source: 'real-logs/case-14 (canonical/tdx issue 285): CPU "Xeon Platinum 8480CTDX", CMRs [0x100000, 0x77800000), [4G, 0x206e000000), [0x2080000000, 0x4070000000), KeyID range [64, 128), 1050636 KB PAMT, module 1.5 build 698; LP and node counts not in the log (≥ 132 LPs online), 2 × 56 × 2 = 224 assumed; low e820 shape representative',
    low: SPR_LOW,
    sockets: { sockets: 2, dramPerSocketGiB: 128, snc: 1, topGapMiB: [288, 256] },
    cpus: { coresPerPackage: 56, threadsPerCore: 2, model: 'sapphirerapids' },
    keyids: { mktme: 63, tdx: 64 },
  }),
  make({
    name: '4s-spr-1t',
    description: '4-socket Sapphire Rapids (Xeon Platinum 8490H, 60 cores × 2 threads), 1 TiB, 4 NUMA nodes: the CMR layout of real-logs/case-05',
    source: 'real-logs/case-05 (canonical/tdx README, 2023): CMRs [0x100000, 0x77800000), [4G, 0x407a000000), then 256 GiB sockets ending 64 MiB short, KeyID range [16, 32), 4202516 KB PAMT, module 1.5 build 481; CPU and node count not in the log: four 256 GiB regions read as four sockets of 8490H (60 cores, 4S/8S capable per Intel ARK)',
    low: SPR_LOW,
    sockets: { sockets: 4, dramPerSocketGiB: 256, snc: 1, topGapMiB: [96, 64] },
    cpus: { coresPerPackage: 60, threadsPerCore: 2, model: 'sapphirerapids' },
    module: { version: '1.5.01' },
    keyids: { mktme: 15, tdx: 16 },
  }),
  make({
    name: '2s-spr-tdx10',
    description: 'The default machine with a TDX 1.0 module: a 6.8+ kernel fails at TDH.SYS.RD (SEAMCALL 0x22 failed: 0xc000050500000000)',
    source: `init-flow.md §1.3 (1.0 modules answer TDX_SYS_NOT_READY to TDH.SYS.RD before init; a real failure); 1.0 modules lack the NO_RBP_MOD feature; memory as the default preset (${CASE_15})`,
    low: SPR_LOW,
    sockets: SPR_2S_512G,
    cpus: { coresPerPackage: 56, threadsPerCore: 2, model: 'sapphirerapids' },
    module: { version: '1.0.03', features: { noRbpMod: false, dynamicPamt: false } },
    keyids: { mktme: 31, tdx: 32 },
  }),
  make({
    name: '2s-spr-512g-nosmt',
    description: 'The default machine booted with nosmt: half the BIOS-enabled LPs never run LP.INIT, so TDH.SYS.CONFIG fails',
    source: 'init-flow.md §1.4 (MCHECK counts every BIOS-enabled LP; CONFIG needs LP.INIT on all of them); memory and CPUs as the default preset',
    low: SPR_LOW,
    sockets: SPR_2S_512G,
    cpus: { coresPerPackage: 56, threadsPerCore: 2, model: 'sapphirerapids', offline: 'smt' },
    keyids: { mktme: 31, tdx: 32 },
  }),
  make({
    name: '2s-spr-cxl',
    description: 'The default machine plus a 128 GiB CXL Type-3 memory expander (CPU-less NUMA node 2) onlined after TDX init: the hotplug notifier refuses it',
    source: `init-flow.md §2.1 (memory hot-added after init must lie inside one TDX memory-list entry); Sapphire Rapids supports CXL 1.1 Type-3 memory; CXL window placed at 1 TiB above DRAM as BIOSes do for CFMWS; CXL node distances are assumptions (no SLIT in hand); DRAM as the default preset (${CASE_15})`,
    low: SPR_LOW,
    sockets: SPR_2S_512G,
    cpus: { coresPerPackage: 56, threadsPerCore: 2, model: 'sapphirerapids' },
    nodeDistance: [[10, 21, 30], [21, 10, 40], [30, 40, 10]],
    keyids: { mktme: 31, tdx: 32 },
    hotplug: [{ start: '0x10000000000', end: '0x12000000000', node: 2, kind: 'cxl' }],
  }),
  make({
    name: '2s-emr-1t',
    description: '2-socket Emerald Rapids (Xeon Platinum 8592+, 64 cores × 2 threads), 1 TiB, 2 NUMA nodes',
    source: '64-core 8592+ per Intel ARK; 8 × 64 GiB DDR5 per socket; Eagle Stream socket layout and top gaps as in real-logs case-14/15; KeyID split [64, 128) as in case-14; low e820 shape representative',
    low: EMR_LOW,
    sockets: { sockets: 2, dramPerSocketGiB: 512, snc: 1, topGapMiB: [288, 256] },
    cpus: { coresPerPackage: 64, threadsPerCore: 2, model: 'emeraldrapids' },
    keyids: { mktme: 63, tdx: 64 },
  }),
  make(EMR_17_HOLES),
  make({
    ...EMR_17_HOLES,
    name: '2s-emr-17holes-cmr',
    description: 'The 17-hole Emerald Rapids machine under a kernel that takes holes from the CMRs (kernel.holes = "cmr"): 2 reserved areas below 2 GiB, init succeeds',
    source: 'as 2s-emr-17holes; the CMR-holes variant of init-flow.md §2.1, carried by some distribution kernels',
    kernel: { holes: 'cmr' },
  }),
  make({
    name: '2s-gnr-1536g',
    description: '2-socket Granite Rapids-AP (Xeon 6980P, 128 cores × 2 threads), 1.5 TiB, SNC3: 6 NUMA nodes, TDX module 2.0',
    source: '128-core 6980P, 12 DDR5-6400 channels per socket (Intel ARK); 12 × 64 GiB per socket; SNC3 is the 6900P default (one node per compute die); module version format "TDX module 2.0.08.00" from real-logs/README.md; SNC distances 12/21 representative; low memory shape representative',
    low: GNR_LOW,
    sockets: { sockets: 2, dramPerSocketGiB: 768, snc: 3, topGapMiB: [288, 256] },
    cpus: { coresPerPackage: 128, threadsPerCore: 2, model: 'graniterapids' },
    module: { version: '2.0.08' },
    keyids: { mktme: 63, tdx: 64 },
  }),
  make({
    name: '8s-gnr-64t',
    description: 'HYPOTHETICAL stress machine: 8 sockets of a projected 240-core Granite Rapids-class part (× 2 threads = 3840 LPs), 64 TiB (8 TiB per socket), 8 NUMA nodes',
    source: 'hypothetical, no shipping part: Granite Rapids-AP tops out at 128 cores and 2 sockets, the 8-socket-capable 6700P parts at 86 cores. Chosen to sit at the model\'s limits: 8 packages (the module\'s MAX_PKGS), 3840 LPs, 64 TiB. KeyIDs kept to 32 ([16, 32)) because KeyID bits are taken from the top of the 52-bit physical address: 5 bits leave 2^47 = 128 TiB, while 64 KeyIDs (6 bits) would leave exactly 64 TiB, below the top of memory',
    low: GNR_LOW,
    sockets: { sockets: 8, dramPerSocketGiB: 8192, snc: 1, topGapMiB: [288, 256] },
    cpus: { coresPerPackage: 240, threadsPerCore: 2, model: 'graniterapids' },
    module: { version: '2.0.08' },
    keyids: { mktme: 15, tdx: 16 },
  }),
];

/** Every preset in table order; documents are copies, so callers may edit them. */
export function listPresets(): Preset[] {
  return PRESETS.map((p) => ({ ...p, doc: structuredClone(p.doc) }));
}

/** A preset with a fresh copy of its document. */
export function getPresetInfo(name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw usageError(`unknown preset "${name}" (valid: ${PRESETS.map((x) => x.name).join(', ')})`);
  return { ...p, doc: structuredClone(p.doc) };
}

/** A fresh copy of a preset's document: callers may edit it (`--set`) without touching the table. */
export function getPreset(name: string): PlatformDocument {
  return getPresetInfo(name).doc as unknown as PlatformDocument;
}
