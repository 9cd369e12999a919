export {
  PSO_PARTICLE_ATTR,
  PSO_SWARM_ATTR,
  PSO_X_ATTR,
  PSOSampler,
  type PSOSamplerOptions,
} from './pso-sampler.js';
