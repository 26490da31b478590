// The TD document: one TD on a host, as JSON or YAML (schema/guest.schema.json). Validation
// gives one-line errors naming the field path and the rule, like platform documents. Every
// field not given gets the value a current Ubuntu/upstream TD gets, and the validated document
// lists which fields were defaulted so a report can say so.

import { InputError } from '../platform/errors.js';
import { parseJsonStrict } from '../platform/json.js';

export const GUEST_SCHEMA_VERSION = 1;

export type FirmwareAccept = 'eager' | 'lazy';
export type KernelAccept = 'lazy' | 'eager';
export type PrivatePageSize = '4K' | '2M';
export const HOST_PLATFORMS = ['sapphirerapids', 'emeraldrapids', 'graniterapids'] as const;
export type HostPlatform = (typeof HOST_PLATFORMS)[number];

export interface TdDocument {
  name: string;
  vcpus: number;
  memoryGiB: number;
  firmware: { accept: FirmwareAccept; lazyAcceptMiB: number };
  kernel: { version: string; acceptMemory: KernelAccept; hz: number; swiotlbMiB: number | null };
  host: { privatePageSize: PrivatePageSize; platform: HostPlatform };
  workload: { allocators: number };
  attestation: {
    path: 'configfs' | 'vsock';
    pollMs: number;
    qgs: 'ok' | 'absent' | 'silent';
    qgsThreads: number;
    requests: number;
    concurrency: number;
    tds: number;
    bufferStrategy: 'preallocate' | 'per-request' | 'swiotlb';
  };
  costs: Record<string, number>;
}

export interface ValidatedTd {
  td: TdDocument;
  /** Dotted paths of the fields that took their default, in document order. */
  defaulted: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Field {
  /** Default, or undefined when the field is required. */
  dflt?: unknown;
  why: string;
  check: (v: unknown, path: string) => unknown;
}

const MAX_VCPUS = 4096;
const MAX_MEMORY_GIB = 16384;

const int = (min: number, max: number) => (v: unknown, path: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new InputError(path, `must be a whole number, got ${show(v)}`);
  if (v < min || v > max) throw new InputError(path, `must be from ${min} to ${max}, got ${v}`);
  return v;
};
const oneOf = <T extends string>(choices: readonly T[]) => (v: unknown, path: string): T => {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) throw new InputError(path, `must be one of ${choices.join(', ')}, got ${show(v)}`);
  return v as T;
};
const memoryGiB = (v: unknown, path: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(path, `must be a number of GiB, got ${show(v)}`);
  if (v < 0.5 || v > MAX_MEMORY_GIB) throw new InputError(path, `must be from 0.5 to ${MAX_MEMORY_GIB} GiB, got ${v}`);
  // The kernel tracks unaccepted memory per 2 MiB (one bitmap bit each).
  if (!Number.isInteger(v * 512)) throw new InputError(path, `must be a whole number of 2 MiB units (GiB × 512 whole), got ${v}`);
  return v;
};
const kernelVersion = (v: unknown, path: string): string => {
  // A YAML `version: 6.10` is the number 6.1: say to quote it rather than guess.
  if (typeof v === 'number') throw new InputError(path, `must be a string MAJOR.MINOR such as "6.8" (quote it), got the number ${v}`);
  if (typeof v !== 'string' || !/^[1-9][0-9]?\.[0-9]{1,2}$/.test(v)) throw new InputError(path, `must be MAJOR.MINOR such as "6.8", got ${show(v)}`);
  const [maj, min] = v.split('.').map(Number);
  // arch/x86/coco/tdx/ (TDX guest support) was merged in 5.19.
  if (maj < 5 || (maj === 5 && min < 19)) throw new InputError(path, `must be 5.19 or later (TDX guest support was merged in 5.19), got "${v}"`);
  return v;
};
const hz = (v: unknown, path: string): number => {
  if (v !== 100 && v !== 250 && v !== 300 && v !== 1000) throw new InputError(path, `must be one of 100, 250, 300, 1000 (CONFIG_HZ), got ${show(v)}`);
  return v;
};
const swiotlbMiB = (v: unknown, path: string): number | null => {
  if (v === null) return null;
  return int(1, 1 << 20)(v, path);
};
const name = (v: unknown, path: string): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new InputError(path, `must be a string of 1 to 200 characters, got ${show(v)}`);
  return v;
};

/** Field tree: leaf = Field, inner = sub-tree. Order = document order for the defaulted list. */
type Tree = { [k: string]: Field | Tree };
const isField = (x: Field | Tree): x is Field => typeof (x as Field).check === 'function';

export const TD_FIELDS: Tree = {
  name: { dflt: 'td', why: 'a label', check: name },
  vcpus: { why: 'required: the TD shape has no default', check: int(1, MAX_VCPUS) },
  memoryGiB: { why: 'required: the TD shape has no default', check: memoryGiB },
  firmware: {
    accept: { dflt: 'lazy', why: 'EDK2 TDVF lazy accept (tianocore/edk2 #3572, 2022)', check: oneOf(['eager', 'lazy'] as const) },
    lazyAcceptMiB: { dflt: 512, why: 'Ubuntu ovmf-inteltdx: PcdLazyAcceptPartialMemorySize = 512 (0 = accept everything, as the OVMF of kata-deploy v4.0.0 did: kata-containers #13535)', check: int(0, MAX_MEMORY_GIB * 1024) },
  },
  kernel: {
    version: { dflt: '6.8', why: 'Ubuntu 24.04 LTS guest kernel (canonical/tdx)', check: kernelVersion },
    acceptMemory: { dflt: 'lazy', why: 'accept_memory=lazy is the kernel default (6.5+)', check: oneOf(['lazy', 'eager'] as const) },
    hz: { dflt: 1000, why: 'Ubuntu 24.04 generic kernels: CONFIG_HZ=1000', check: hz },
    swiotlbMiB: { dflt: null, why: 'null = the kernel rule, 6 % of RAM clamped to [64 MiB, 1 GiB] (mem_encrypt_setup_arch)', check: swiotlbMiB },
  },
  host: {
    privatePageSize: { dflt: '4K', why: 'upstream KVM maps private memory at 4K only (KVM_BUG_ON(level != PG_LEVEL_4K))', check: oneOf(['4K', '2M'] as const) },
    platform: { dflt: 'sapphirerapids', why: 'the first TDX generation; no guest-side figure differs by platform', check: oneOf(HOST_PLATFORMS) },
  },
  workload: {
    allocators: { dflt: 0, why: '0 = an idle TD: memory left unaccepted stays so', check: int(0, MAX_VCPUS) },
  },
  attestation: {
    path: { dflt: 'configfs', why: 'configfs-tsm (6.7+), what libtdx_attest uses without a vsock port', check: oneOf(['configfs', 'vsock'] as const) },
    pollMs: { dflt: 1000, why: 'tdx-guest.c polls once per MSEC_PER_SEC', check: int(1, 60_000) },
    qgs: { dflt: 'ok', why: 'a quote service answering', check: oneOf(['ok', 'absent', 'silent'] as const) },
    qgsThreads: { dflt: 4, why: 'qgsd num_thread = 4 in canonical/tdx setups', check: int(1, 255) },
    requests: { dflt: 1, why: 'one quote per TD', check: int(0, 10_000_000) },
    concurrency: { dflt: 1, why: 'one requester', check: int(1, 100_000) },
    tds: { dflt: 1, why: 'one TD on the quote service', check: int(1, 100_000) },
    bufferStrategy: { dflt: 'preallocate', why: 'upstream: one buffer converted at driver init (commit f4738f56d1dc)', check: oneOf(['preallocate', 'per-request', 'swiotlb'] as const) },
  },
};

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function walk(tree: Tree, given: Obj, path: string, defaulted: string[]): Obj {
  const out: Obj = {};
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(tree, key)) throw new InputError(path ? `${path}.${key}` : key, `unknown field (valid: ${Object.keys(tree).join(', ')})`);
  }
  for (const [key, spec] of Object.entries(tree)) {
    const p = path ? `${path}.${key}` : key;
    const v = given[key];
    if (isField(spec)) {
      if (v === undefined) {
        if (spec.dflt === undefined) throw new InputError(p, `required (${spec.why.replace(/^required: /, '')})`);
        out[key] = spec.dflt;
        defaulted.push(p);
      } else {
        out[key] = spec.check(v, p);
      }
    } else {
      if (v !== undefined && !isObj(v)) throw new InputError(p, `must be an object, got ${show(v)}`);
      out[key] = walk(spec, (v as Obj | undefined) ?? {}, p, defaulted);
    }
  }
  return out;
}

/** Validates a parsed TD document; `costs` entries are checked by the cost table (resolveGuestCosts). */
export function validateTd(doc: unknown): ValidatedTd {
  if (!isObj(doc)) throw new InputError('', `a TD document must be an object, got ${show(doc)}`);
  const { costs, ...rest } = doc;
  if (costs !== undefined && !isObj(costs)) throw new InputError('costs', `must be an object of NAME: number, got ${show(costs)}`);
  const defaulted: string[] = [];
  const td = walk(TD_FIELDS, rest, '', defaulted) as unknown as TdDocument;
  if (td.kernel.swiotlbMiB !== null && td.kernel.swiotlbMiB * 1024 >= td.memoryGiB * 1024 * 1024) {
    throw new InputError('kernel.swiotlbMiB', `must be smaller than the TD's memory (${td.memoryGiB} GiB), got ${td.kernel.swiotlbMiB} MiB`);
  }
  td.costs = {};
  for (const [k, v] of Object.entries((costs as Obj | undefined) ?? {})) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`costs.${k}`, `must be a finite number, got ${show(v)}`);
    td.costs[k] = v;
  }
  return { td, defaulted };
}

function fieldAt(path: string[]): Field | undefined {
  let node: Field | Tree | undefined = TD_FIELDS;
  for (const k of path) {
    if (node === undefined || isField(node) || !Object.hasOwn(node, k)) return undefined;
    node = node[k];
  }
  return node !== undefined && isField(node) ? node : undefined;
}

/** The field explanation of a defaulted path (for reports). */
export function defaultReason(path: string): string {
  return fieldAt(path.split('.'))?.why ?? '';
}

/** --set PATH=VALUE on a TD document before validation (VALUE is JSON when it parses, else a string). */
export function applyTdSets(doc: unknown, sets: string[]): void {
  if (!isObj(doc)) return;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new InputError('', `--set needs PATH=VALUE, got "${s}"`);
    const path = s.slice(0, eq).split('.');
    const raw = s.slice(eq + 1);
    if (path.some((k) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(k) || k === 'constructor' || k === 'prototype')) throw new InputError('', `--set ${path.join('.')}: not a field path`);
    if (path[0] !== 'costs' && !Object.hasOwn(TD_FIELDS, path[0])) {
      throw new InputError('', `--set ${path.join('.')}: not a TD document field (valid roots: ${[...Object.keys(TD_FIELDS), 'costs'].join(', ')})`);
    }
    let value: unknown;
    // String fields take VALUE as written: "kernel.version=6.10" must not become the number 6.1.
    if (fieldAt(path)?.dflt !== undefined && typeof fieldAt(path)?.dflt === 'string') value = raw;
    else if (/^\s*[[{]/.test(raw)) value = parseJsonStrict(raw, `--set ${path.join('.')}`);
    else {
      try { value = JSON.parse(raw); } catch { value = raw; }
    }
    let o: Obj = doc;
    for (const k of path.slice(0, -1)) {
      if (!Object.hasOwn(o, k) || o[k] === undefined) o[k] = {};
      if (!isObj(o[k])) throw new InputError('', `--set ${path.join('.')}: ${k} is not an object`);
      o = o[k] as Obj;
    }
    o[path[path.length - 1]] = value;
  }
}
