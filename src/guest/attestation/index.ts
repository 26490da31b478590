// The attestation model's public face: types, cost parameters, and runAttestation.

export type {
  AttestationConfig, AttestationResult, AttestationEvents, LatencyStats, AttestationRunOptions,
  AttestationPath, QgsState, BufferStrategy,
} from './types.js';
export { ATTESTATION_COST_PARAMETERS, attestationCostDefaults } from './costs.js';
export { ATTESTATION_DEFAULTS } from './model.js';
// The runner (runAttestation) spreads trials over the worker pool, so
// it lives in src/workers/attestationRun.ts, a layer above the model.
