// Built-in TD documents, usable as `preset:NAME` for `tdxmodel guest` and listed by
// `tdxmodel presets`. Each is a partial document: everything not written is defaulted.

import { InputError } from '../platform/errors.js';

export interface TdPreset {
  name: string;
  description: string;
  source: string;
  doc: Record<string, unknown>;
}

export const TD_PRESETS: readonly TdPreset[] = [
  {
    name: 'td-small', description: 'a small default TD: 4 vCPUs, 16 GiB, everything else as Ubuntu 24.04 ships it',
    source: 'canonical/tdx defaults', doc: { name: 'td-small', vcpus: 4, memoryGiB: 16 },
  },
  {
    name: 'td-dstack-248', description: 'dstack case: 248 vCPUs, 32 GiB, kernel 7.0 (boot to init measured at 575–680 s)',
    source: 'Dstack-TEE/dstack PR #1220', doc: { name: 'td-dstack-248', vcpus: 248, memoryGiB: 32, kernel: { version: '7.0' } },
  },
  {
    name: 'td-dstack-64', description: 'dstack case: 64 vCPUs, 32 GiB, kernel 7.0 (boot to init measured at ~50 s)',
    source: 'Dstack-TEE/dstack PR #1220', doc: { name: 'td-dstack-64', vcpus: 64, memoryGiB: 32, kernel: { version: '7.0' } },
  },
  {
    name: 'td-eager-90g', description: '90 GiB accepted eagerly by the kernel (accept_memory=eager), 4 vCPUs',
    source: 'Kirill Shutemov, LKML 2024-10-25', doc: { name: 'td-eager-90g', vcpus: 4, memoryGiB: 90, kernel: { acceptMemory: 'eager' } },
  },
  {
    name: 'td-large', description: 'a large TD: 248 vCPUs, 2.5 TiB, 64 allocating processes',
    source: 'the issue\'s benchmark shape', doc: { name: 'td-large', vcpus: 248, memoryGiB: 2560, workload: { allocators: 64 } },
  },
];

export function listTdPresets(): readonly TdPreset[] {
  return TD_PRESETS;
}

export function getTdPreset(name: string): Record<string, unknown> {
  const p = TD_PRESETS.find((x) => x.name === name);
  if (!p) throw new InputError(`preset:${name}`, `unknown TD preset (valid: ${TD_PRESETS.map((x) => x.name).join(', ')})`);
  return structuredClone(p.doc);
}
