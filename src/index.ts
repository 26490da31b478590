// The library API: everything the command line does, as functions.

export { validatePlatform, defaultCmrs } from './platform/validate.js';
export { loadPlatform, loadDocument, applySets } from './platform/load.js';
export { parseJsonStrict } from './platform/json.js';
export { InputError } from './platform/errors.js';
export type { Platform } from './platform/types.js';
export { listPresets, getPreset } from './platform/presets.js';

export type { ConstructInput, ConstructResult, Tdmr } from './construct/types.js';
export { toConstructInput } from './construct/input.js';
export { canonicalResult } from './construct/canonical.js';
export { loadEngine } from './kernels/engine.js';
export { constructReference } from './reference/construct.js';
export { constructWasm, constructWasmBatch } from './kernels/construct.js';

// One simulate entry point: a validated platform (validatePlatform, getPreset, loadPlatform)
// and options (policy, engine, costOverrides, trials, seed, workers, trace) → the report.
export { simulatePlatform as simulate } from './workers/simulateRun.js';
export { SCHEMA_VERSION } from './model/simulate.js';
export type { SimulationResult } from './model/simulate.js';
export type { SimulateRequest, SimulationReport } from './model/run.js';
export { registerPolicy, getPolicy, listPolicies } from './model/policies/registry.js';
export type { KernelPolicy } from './model/policies/policy.js';
export { makeMainline } from './model/policies/mainline.js';
export { resolveCosts, COST_PARAMETERS } from './model/costs.js';
export { TdxModule } from './model/module/index.js';
