import type { KernelPolicy } from './policy.js';
import { mainline } from './mainline.js';
import { v7_2022 } from './v7-2022.js';
import { parallelTdmr } from './parallelTdmr.js';
import { usageError } from '../../platform/errors.js';

const POLICIES = new Map<string, KernelPolicy>();

/** Experimental policies from the library API register here. */
export function registerPolicy(p: KernelPolicy): void {
  POLICIES.set(p.name, p);
}

for (const p of [mainline, v7_2022, parallelTdmr]) registerPolicy(p);

export function getPolicy(name: string): KernelPolicy {
  const p = POLICIES.get(name);
  if (!p) throw usageError(`unknown policy "${name}" (known: ${[...POLICIES.keys()].join(', ')})`);
  return p;
}

export function listPolicies(): KernelPolicy[] {
  return [...POLICIES.values()];
}
