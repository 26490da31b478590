// The platform document as a user writes it (before validation): the input side of
// validatePlatform(). Field rules and defaults: docs/platform-format.md; src/platform/validate.ts
// enforces them. Addresses are JSON integers below 2^53 or "0x…" hex strings; sizes also take
// binary units ("64G").

/** An address: an integer below 2^53 or a "0x…" hex string. */
export type Address = number | string;
/** A size: an integer, a "0x…" hex string or a binary unit string such as "64G". */
export type Size = number | string;

export interface RangeDoc {
  start: Address;
  end: Address;
}

export interface PlatformDocument {
  name?: string;
  description?: string;
  /** Free-form provenance (tdxmodel import writes where each part came from). */
  source?: unknown;
  memory: (RangeDoc & { node?: number; label?: string })[];
  reserved?: (RangeDoc & { label?: string })[];
  cmrs?: RangeDoc[];
  nodeDistance?: number[][];
  cpus?: {
    packages?: number;
    coresPerPackage?: number;
    threadsPerCore?: number;
    offline?: 'smt' | number[];
    offlinedAfterLpInit?: number[];
    x2apic?: boolean;
    model?: string;
    lps?: { id: number; package?: number; core?: number; thread?: number; node?: number; online?: boolean }[];
  };
  module?: {
    loaded?: boolean;
    version?: string;
    maxTdmrs?: number;
    maxReservedPerTdmr?: number;
    pamtEntrySize4k?: number;
    pamtEntrySize2m?: number;
    pamtEntrySize1g?: number;
    features?: { noRbpMod?: boolean; dynamicPamt?: boolean };
  };
  keyids?: { mktme?: number; tdx?: number };
  kernel?: {
    policy?: string;
    holes?: 'memblock' | 'cmr';
    hibernation?: boolean;
    bootTimeInit?: boolean;
    initCpus?: number;
    callers?: { at?: number }[];
  };
  costs?: Record<string, number>;
  hotplug?: (RangeDoc & { node?: number; kind?: string })[];
  tdmrs?: {
    base: Size;
    size: Size;
    nid?: number;
    pamt4k: { base: Size; size: Size };
    pamt2m: { base: Size; size: Size };
    pamt1g: { base: Size; size: Size };
    reserved?: { offset: Size; size: Size }[];
  }[];
}
