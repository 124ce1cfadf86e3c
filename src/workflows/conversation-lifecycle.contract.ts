/**
 * The conversation lifecycle's contract, one module per capability beside its handler module; the API,
 * the worker and tests import this index, never the workflow body.
 */
export * from './lifecycle/state.contract.js';
export * from './lifecycle/capture.contract.js';
export * from './lifecycle/call.contract.js';
export * from './lifecycle/tags.contract.js';
export * from './lifecycle/protection.contract.js';
export * from './lifecycle/archive.contract.js';
export * from './lifecycle/review.contract.js';
export * from './lifecycle/training.contract.js';
