// The boot/memory cost parameters (see src/guest/costs.ts for how they were fitted). Host work per
// converted page (MapGPA, BLOCK/TRACK/REMOVE/WBINVD, vCPU kicks) uses the attestation model's
// parameters attMapGpaCallUs, attHostRemovePageUs and attKickPerVcpuUs: one idea, one number.

import type { CostParameter } from '../../model/costs.js';

const positive = { value: 0, exclusive: true };
const nonNegative = { value: 0, exclusive: false };
const GiB = 2 ** 30;
const PAGES_90G = (90 * GiB) / 4096;

export const BOOT_COST_PARAMETERS: readonly CostParameter[] = [
  {
    name: 'acceptPageUs', default: Number((60e6 / PAGES_90G).toFixed(4)), unit: 'µs', label: 'derived', range: { min: 0.001, max: 1e5 }, min: positive,
    source: 'one 4K TDG.MEM.PAGE.ACCEPT incl. EPT-violation exit + TDH.MEM.PAGE.AUG + zeroing, bulk: 60 s / 90 GiB with 1 vCPU (Kirill Shutemov, LKML 2024-10-25)',
  },
  {
    name: 'acceptSerialUs', default: Number((40e6 / PAGES_90G).toFixed(4)), unit: 'µs', label: 'derived', range: { min: 0, max: 1e5 }, min: nonNegative,
    source: 'per-4K host work serialized per TD (caps a TD at ≈ 2.25 GiB/s): 40 s / 90 GiB with 4 vCPUs, "doesn\'t scale past that" (Kirill Shutemov, LKML 2024-10-25, 2025-02-14)',
  },
  {
    name: 'acceptZeroUs', default: 0.4, unit: 'µs', label: 'assumed', range: { min: 0, max: 1e5 }, min: nonNegative,
    source: 'the part of a 4K accept that is zeroing with the TD key (64 cache lines, ~10 GB/s per core); kept per 4K with 2M host mappings; no public number',
  },
  {
    name: 'acceptFaultUs', default: 8, unit: 'µs', label: 'measured', range: { min: 0.001, max: 1e6 }, min: positive,
    source: 'accept fault in the kernel (4K accept inside a 4 MiB block), normal: Dstack-TEE/dstack PR #1220 (GNR, kernel 7.0, host 4K-only)',
  },
  {
    name: 'acceptFaultLateUs', default: 153, unit: 'µs', label: 'measured', range: { min: 0.001, max: 1e6 }, min: positive,
    source: 'the same accept fault late in SMP bring-up of a 248-vCPU TD at HZ=1000, idle APs ticking: Dstack-TEE/dstack PR #1220',
  },
  {
    name: 'acceptFaultLateVcpus', default: 248, unit: 'vCPUs', label: 'source', range: { min: 1, max: 65536 }, min: positive,
    source: 'online vCPUs when acceptFaultLateUs was measured (dstack PR #1220); with acceptFaultLateUs it fixes the slowdown per online vCPU',
  },
  {
    name: 'stormBytesPerAp', default: Math.round((13 * GiB) / 247), unit: 'bytes', label: 'derived', range: { min: 0, max: 2 ** 50 }, min: nonNegative,
    source: 'memory accepted as one 4 MiB block per allocation while one AP comes up (watermarks still 0): ~13 GiB over 247 APs (dstack PR #1220)',
  },
  {
    name: 'apBringupMs', default: 17.5, unit: 'ms', label: 'measured', range: { min: 0, max: 1e5 }, min: nonNegative,
    source: 'serial AP bring-up in a small TD, ~17–18 ms per AP (CPU #1 at 0.306 s, #8 at 0.449 s; flashbots/yocto-manifests #25, guest clock)',
  },
  {
    name: 'apBringupPerOnlineMs', default: 11.2, unit: 'ms', label: 'derived', range: { min: 0, max: 1e5 }, min: nonNegative,
    source: 'extra bring-up time per AP for each vCPU already online (IPIs/TLB shootdowns, each a TD exit): fitted to the midpoint of 575–680 s for a 32 GiB, 248-vCPU TD to reach init (dstack PR #1220); the 64-vCPU case (~50 s) is then a check',
  },
  {
    name: 'firmwareFixedS', default: 1.5, unit: 's', label: 'assumed', range: { min: 0, max: 86400 }, min: nonNegative,
    source: 'TDVF/OVMF work other than page acceptance (SEC/PEI/DXE, boot loader); no public TD figure',
  },
  {
    name: 'kernelEarlyS', default: 1.0, unit: 's', label: 'assumed', range: { min: 0, max: 86400 }, min: nonNegative,
    source: 'decompression and start_kernel() up to smp_init(), excluding accept and SWIOTLB conversion; no public TD figure',
  },
  {
    name: 'initcallsS', default: 1.5, unit: 's', label: 'assumed', range: { min: 0, max: 86400 }, min: nonNegative,
    source: 'from smp_init() done to starting init (initcalls, rootfs); no public TD figure',
  },
  {
    name: 'acceptJitter', default: 0, unit: '± fraction', label: 'assumed', range: { min: 0, max: 1 }, min: nonNegative,
    source: 'uniform spread of each accept unit\'s cost in trials; 0 = deterministic',
  },
];

