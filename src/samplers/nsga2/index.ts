export { constrainedSelection, GeneticSampler, type GeneticSamplerOptions } from './genetic-sampler.js';
export { crowdingDistance, dominatesMin, nonDominatedFronts } from './non-dominated-sort.js';
export { NSGAIISampler, type NSGAIISamplerOptions, rankAndCrowdingSelection } from './nsga2-sampler.js';
export type { CrossoverKind } from './variation.js';
