export {
  AUTO_SAMPLER_ATTR,
  AutoSampler,
  type AutoSamplerOptions,
  type AutoStrategy,
} from './auto-sampler.js';
