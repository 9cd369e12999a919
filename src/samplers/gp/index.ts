export { type Acquisition, LogEIAcquisition } from './acquisition.js';
export { DEFAULT_MAX_GRID, EncodedSpace, type Slot, type SlotKind } from './encoded-space.js';
export { GPSampler, type GPSamplerOptions, MAX_EHVI_CELLS } from './gp-sampler.js';
export { LogEHVIAcquisition } from './log-ehvi-acquisition.js';
export {
  EXHAUSTIVE_GRID,
  type OptimizeAcquisitionOptions,
  type OptimizeAcquisitionResult,
  optimizeAcquisition,
} from './optimize-acquisition.js';
