export {
  dasDennisPoints,
  NSGAIIISampler,
  type NSGAIIISamplerOptions,
  referencePointSelection,
} from './nsga3-sampler.js';
