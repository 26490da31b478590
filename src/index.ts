// The library API: everything the command line does, as typed functions.
//
// Returned objects belong to the caller: nothing handed out is frozen or shared between calls.

// Platforms: documents, validation, presets.
export { validatePlatform, loadPlatform, importPlatform, explain, calibrate, compare, gate, sweep, readFiles } from './api.js';
export type { TextFile, CompareOptions, Comparison, GateOptions, GateResult, SweepRow, SweepOptions } from './api.js';
export { defaultCmrs } from './platform/validate.js';
export { loadDocument, applySets } from './platform/load.js';
export { parseJsonStrict } from './platform/json.js';
export { InputError } from './platform/errors.js';
export type { Platform, Lp, Cpus, ModuleInfo, KeyIds, KernelConfig, LabelledRange, HotplugEvent, TdmrSpec } from './platform/types.js';
export type { PlatformDocument, Address, Size, RangeDoc } from './platform/document.js';
export { listPresets, getPreset } from './platform/presets.js';
export type { Preset } from './platform/presets.js';
export type { ImportedPlatform, MemoryOrigin } from './platform/importers/merge.js';
export type { KernelLog } from './platform/importers/dmesg.js';

// Construction: the kernel's TDMR/PAMT arithmetic.
export type { ConstructInput, ConstructResult, Tdmr } from './construct/types.js';
export { toConstructInput } from './construct/input.js';
export { canonicalResult } from './construct/canonical.js';
export { loadEngine } from './kernels/engine.js';
export type { EngineName, ConstructEngine } from './kernels/engine.js';
export { constructReference } from './reference/construct.js';
export { constructWasm, constructWasmBatch } from './kernels/construct.js';

// Simulation, policies, costs. One simulate entry point: a validated platform (validatePlatform,
// loadPlatform), or one prepared once to simulate many times (prepare: a snapshot), and options
// (policy, engine, costOverrides, trials, seed, workers, trace) → the report.
export { simulatePlatform as simulate } from './workers/simulateRun.js';
export { prepare } from './api.js';
export type { PreparedPlatform } from './model/prepared.js';
export { SCHEMA_VERSION } from './model/simulate.js';
export type { SimulationResult } from './model/simulate.js';
export type { SimulateRequest, SimulationReport } from './model/run.js';
export type { TrialsResult } from './kernels/trialProgram.js';
export { registerPolicy, getPolicy, listPolicies } from './model/policies/registry.js';
export type { KernelPolicy } from './model/policies/policy.js';
export type { Sim } from './model/sim.js';
export { makeMainline } from './model/policies/mainline.js';
export type { MainlineOptions } from './model/policies/mainline.js';
export { resolveCosts, COST_PARAMETERS } from './model/costs.js';
export type { CostParameter, ResolvedCosts } from './model/costs.js';
export { TdxModule } from './model/module/index.js';

export { runGuest, runBoot, loadTd } from './workers/guestRun.js';
export type { GuestReport, GuestRequest } from './workers/guestRun.js';
export { validateTd } from './guest/document.js';
export type { TdDocument } from './guest/document.js';
export { listTdPresets, getTdPreset } from './guest/presets.js';
export { GUEST_COST_PARAMETERS, resolveGuestCosts } from './guest/costs.js';
export { metricsOf } from './model/metrics.js';
export type { Metrics } from './model/metrics.js';
export type { ExplainRun, ExplainResult, ExplainOptions, Diagnosis } from './model/explain.js';
export type { CalibrationResult, CalibrateOptions } from './model/calibrate.js';
export type { Shard } from './workers/sweepRun.js';

// Reports: the strings the CLI writes.
export { simulateText } from './report/simulateText.js';
export { simulateCsv } from './report/simulateCsv.js';
export { explainText } from './report/explainText.js';
export { constructText } from './report/constructText.js';
export { compareRows } from './report/compareRows.js';
export type { CompareRow } from './report/compareRows.js';
export { simulateHtml, compareHtml } from './report/html/simulateHtml.js';
export { explainHtml } from './report/html/explainHtml.js';
