export {
  GRID_DEFINITION_ATTR,
  GRID_DISCOVERY_ATTR,
  GRID_INDEX_ATTR,
  GRID_MAX_POINTS,
  GRID_NEXT_ATTR,
  GridSampler,
  type GridSamplerOptions,
  type GridValues,
} from './grid-sampler.js';
