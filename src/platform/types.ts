// A validated, normalized platform document (platform-format.md §1). Defaults are filled in;
// memory is merged the way memblock merges touching same-node ranges.

import type { MemRange, NodeRange, HolesMode } from '../construct/types.js';

export interface LabelledRange extends MemRange {
  label?: string;
}

export interface Lp {
  id: number;
  package: number;
  core: number;
  thread: number;
  node: number;
  /** Online when tdx_enable() runs. */
  online: boolean;
  /** Online during per-CPU enabling (so it ran LP.INIT), offlined before tdx_enable(). */
  offlinedAfterLpInit: boolean;
}

export interface Cpus {
  packages: number;
  coresPerPackage: number;
  threadsPerCore: number;
  /** Every BIOS-enabled LP (MCHECK counts them all), sorted by id. */
  lps: Lp[];
  x2apic: boolean;
  model: string;
}

export interface ModuleInfo {
  loaded: boolean;
  version: string;
  maxTdmrs: number;
  maxReservedPerTdmr: number;
  pamtEntrySize4k: number;
  pamtEntrySize2m: number;
  pamtEntrySize1g: number;
  features: { noRbpMod: boolean; dynamicPamt: boolean };
}

export interface KeyIds {
  mktme: number;
  tdx: number;
}

export interface Caller {
  at: number;
}

export interface KernelConfig {
  policy: string;
  holes: HolesMode;
  hibernation: boolean;
  bootTimeInit: boolean;
  /** parallel-tdmr: CPUs doing TDMR.INIT; 0 = the policy's default. */
  initCpus: number;
  callers: Caller[];
  /** The kernel release (`uname -r`, e.g. "6.8.0-1007-intel"); null when not known. */
  version: string | null;
}

export interface HotplugEvent extends NodeRange {
  kind: string;
}

/** A bring-your-own TDMR: kept as bigint so CONFIG's overflow checks see what was written. */
export interface TdmrSpec {
  base: bigint;
  size: bigint;
  pamt4k: { base: bigint; size: bigint };
  pamt2m: { base: bigint; size: bigint };
  pamt1g: { base: bigint; size: bigint };
  reserved: { offset: bigint; size: bigint }[];
}

export interface Platform {
  name: string;
  memory: NodeRange[];
  reserved: LabelledRange[];
  cmrs: MemRange[];
  /** True when the document listed CMRs; false when they were derived from memory. */
  cmrsGiven: boolean;
  nodeDistance: number[][];
  cpus: Cpus;
  module: ModuleInfo;
  keyids: KeyIds;
  kernel: KernelConfig;
  costs: Record<string, number>;
  hotplug: HotplugEvent[];
  tdmrs: TdmrSpec[] | null;
}
