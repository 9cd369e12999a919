export {
  GRADIENT_PAIR_ATTR,
  GRADIENT_STATE_ATTR,
  GRADIENT_X_ATTR,
  GradientSampler,
  type GradientSamplerOptions,
} from './gradient-sampler.js';
