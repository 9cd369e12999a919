export { fromUnit } from './from-unit.js';
export {
  QMC_INDEX_ATTR,
  QMC_NEXT_ATTR,
  QMC_SEARCH_SPACE_ATTR,
  QMCSampler,
  type QMCSamplerOptions,
  type QmcType,
} from './qmc-sampler.js';
