/**
 * Independent uniform sampling: each parameter uniformly in its own scale (log-uniform for log
 * parameters, uniform over the grid for ints and steps, uniform over the choices).
 * @module
 */
import type { Distribution } from '../../core/distributions.js';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { deriveSeed, Rng, randomSeed } from '../../core/rng.js';
import type { Sampler, SearchSpace, StudyView } from '../base.js';
import { sampleUniform } from './sample-uniform.js';

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Same seed, same suggestions, whatever the concurrency. Omitted: a random seed. */
  seed?: number;
}

/**
 * Random search. Each value is drawn from a stream derived from (seed, trial number,
 * parameter name), so a trial's values do not depend on the order in which concurrent trials
 * run, and a conditional parameter does not shift the values of the others.
 *
 * @example
 * ```ts
 * const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
 * ```
 */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  readonly seed: number;
  private readonly rng = new Rng(0);

  constructor(options: RandomSamplerOptions = {}) {
    this.seed = options.seed ?? randomSeed();
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, number> {
    return {};
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    this.rng.reseed(deriveSeed(this.seed, trial.number, name));
    return sampleUniform(distribution, this.rng);
  }
}
