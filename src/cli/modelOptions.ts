// Shared options and help sections that read the model's own tables (the registered policies,
// the cost parameters), so help can never disagree with what the model accepts.

import type { OptionSpec } from './args.js';
import { listPolicies } from '../model/policies/registry.js';
import { COST_PARAMETERS } from '../model/costs.js';

export const policyNames = (): string => listPolicies().map((p) => p.name).join(', ');

export const POLICY: OptionSpec = {
  name: 'policy', value: 'NAME', defaultHelp: "the document's kernel.policy, else mainline",
  help: `kernel policy: ${policyNames()}`,
};

/** What each kernel policy reads from the platform document, with the field that sets it. */
export function policySection(): { title: string; lines: string[] } {
  return {
    title: 'policies and their settings (--policy NAME; settings with --set)',
    lines: [
      ...listPolicies().map((p) => `${p.name}: ${p.description}`),
      ...pad([
        ['kernel.initCpus=K', 'parallel-tdmr: TDMR.INIT on K CPUs (1 to 65536; default: the first online CPU of each NUMA node), never more CPUs than TDMRs'],
        ['kernel.holes=memblock|cmr', 'reserved areas from memblock holes (default) or from CMR holes (the 2024 fix some distribution kernels carry)'],
        ['kernel.bootTimeInit=true', 'mainline: initialize at boot rather than at first KVM use (default false)'],
        ['kernel.hibernation=true', 'hibernation support enabled: initialization fails as the kernel refuses it (boot with nohibernate; default false)'],
        ['module.features.dynamicPamt=true', 'Dynamic PAMT: 16 MiB per TDMR.INIT call (default false)'],
      ]),
    ],
  };
}

/** The cost parameters --set costs.NAME=V accepts, with unit, default and accepted range. */
export function costSection(): { title: string; lines: string[] } {
  const w = Math.max(...COST_PARAMETERS.map((p) => p.name.length));
  return {
    title: 'cost parameters (--set costs.NAME=V; any µs parameter also takes NAMESigma, a log-normal spread)',
    lines: COST_PARAMETERS.map((p) => {
      return `${p.name.padEnd(w)}  default ${p.default} ${p.unit} (${p.label}); accepted ${p.range.min} to ${p.range.max}`;
    }),
  };
}

function pad(rows: [string, string][]): string[] {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
}
