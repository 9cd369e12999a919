export { type ParzenDim, ParzenEstimator, type ParzenOptions } from './parzen-estimator.js';
export { defaultGamma, defaultWeights, multiObjectiveOrder, rankTrials } from './split.js';
export { TPESampler, type TPESamplerOptions } from './tpe-sampler.js';
