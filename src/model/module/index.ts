// The TDX module model: state machine, locks, leaves, CONFIG checks, metadata.

export * from './status.js';
export * from './leaves.js';
export * from './state.js';
export * from './locks.js';
export * from './types.js';
export * from './configChecks.js';
export * from './sysInit.js';
export * from './metadata.js';
export * from './module.js';
export * from './tdmrInfo.js';
