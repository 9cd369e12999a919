export { RandomSampler, type RandomSamplerOptions } from './random-sampler.js';
export { sampleUniform } from './sample-uniform.js';
