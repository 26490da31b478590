// The attestation model's public face: types, cost parameters, and runAttestation.

export type {
  AttestationConfig, AttestationResult, AttestationEvents, LatencyStats, AttestationRunOptions,
  AttestationPath, QgsState, BufferStrategy,
} from './types.js';
export { ATTESTATION_COST_PARAMETERS, attestationCostDefaults } from './costs.js';
export { runAttestation, prewarmAttestationWorkers, ATTESTATION_DEFAULTS } from './run.js';
