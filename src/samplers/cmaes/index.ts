export {
  CMAES_COUNT_ATTR,
  CMAES_EPOCH_ATTR,
  CMAES_OPTIMIZER_ATTR,
  CMAES_STATE_ATTR,
  CMAES_X_ATTR,
  CmaEsSampler,
  type CmaEsSamplerOptions,
} from './cmaes-sampler.js';
