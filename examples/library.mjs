// Library use: construct and simulate a built-in platform, then try an experimental policy.
// The platform is prepared once (prepare) and simulated under each policy.
// Run after `npm ci`: node examples/library.mjs
import { getPreset, validatePlatform, toConstructInput, constructWasm, prepare, simulate } from '../dist/src/index.js';

const platform = validatePlatform(getPreset('default'));
const construct = constructWasm(toConstructInput(platform));
console.log(`${platform.name}: ${construct.ok ? construct.tdmrs.length + ' TDMRs, ' + construct.pamtKb + ' KB PAMT' : construct.error}`);

const prepared = prepare(platform);
for (const policy of ['mainline', 'parallel-tdmr']) {
  const r = await simulate(prepared, { policy });
  console.log(`${policy.padEnd(14)} initialized=${r.outcome.initialized} total=${(r.totals.initUs / 1000).toFixed(1)} ms TDMR.INIT=${(r.totals.tdmrInitUs / 1000).toFixed(1)} ms`);
}
