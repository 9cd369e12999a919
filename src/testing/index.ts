/**
 * Test helpers for tunekit and for the authors of storages and samplers (needs vitest).
 * @module
 */
export { type CloseOptions, expectClose, isClose } from './expect-close.js';
export {
  describeSamplerConformance,
  type SamplerConformanceOptions,
  SamplerProbe,
} from './sampler-conformance.js';
export {
  CONFORMANCE_JSON,
  CONFORMANCE_PARAMS,
  describeStorageConformance,
  type StorageConformanceOptions,
} from './storage-conformance.js';
