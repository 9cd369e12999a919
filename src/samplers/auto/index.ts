export { AUTO_SAMPLER_ATTR, AutoSampler, type AutoSamplerOptions } from './auto-sampler.js';
