/**
 * Hyperopt's search algorithms, `tpe.suggest` and `rand.suggest`, as factories of tunekit
 * samplers. Any tunekit sampler can be used the same way:
 * `{ name: 'gp', createSampler: (seed) => new GPSampler({ seed }) }`.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Sampler } from '../samplers/base.js';
import { RandomSampler } from '../samplers/random/index.js';
import { TPESampler } from '../samplers/tpe/index.js';

/** What `fmin`'s `algo` takes: a named factory of seeded samplers. */
export interface Algo {
  readonly name: string;
  /** A new sampler; the same seed must give the same suggestions. */
  createSampler(seed: number): Sampler;
}

/** Options of {@link tpe}`.configure`, named as Hyperopt's `tpe.suggest` arguments. */
export interface TpeOptions {
  /** Random trials before the model is used. Default 20 (Hyperopt's `n_startup_jobs`). */
  nStartupJobs?: number | undefined;
  /** Candidates drawn per suggestion. Default 24 (Hyperopt's `n_EI_candidates`). */
  nEiCandidates?: number | undefined;
  /** The good fraction: ceil(gamma·√n) of n trials, at most 25. Default 0.25 (Hyperopt's). */
  gamma?: number | undefined;
  /** Weight of the prior kernel. Default 1 (Hyperopt's `prior_weight`). */
  priorWeight?: number | undefined;
  /**
   * Model co-occurring parameters jointly (tunekit's multivariate TPE with group decomposition).
   * Default true; `false` models each parameter on its own, as Hyperopt does.
   */
  multivariate?: boolean | undefined;
}

/** Hyperopt's split: ceil(gamma·√n) observations are "good", at most 25. */
export function hyperoptGamma(gamma: number): (n: number) => number {
  return (n) => Math.min(Math.ceil(gamma * Math.sqrt(n)), 25);
}

function tpeAlgo(options: TpeOptions): Algo {
  const gamma = options.gamma ?? 0.25;
  if (!(gamma > 0 && gamma <= 1)) {
    throw new InvalidArgumentError(`tpe.configure: gamma must be in (0, 1], got ${String(options.gamma)}.`);
  }
  const multivariate = options.multivariate ?? true;
  const nStartupTrials = options.nStartupJobs ?? 20;
  const nEiCandidates = options.nEiCandidates ?? 24;
  const priorWeight = options.priorWeight ?? 1;
  const make = (seed: number): Sampler =>
    new TPESampler({
      seed,
      nStartupTrials,
      nEiCandidates,
      priorWeight,
      gamma: hyperoptGamma(gamma),
      multivariate,
      group: multivariate,
    });
  make(0); // validates the options now rather than at the first fmin
  return { name: 'tpe', createSampler: make };
}

/** Tree-structured Parzen Estimator: `algo: tpe.suggest`, or `tpe.configure({ nStartupJobs: 10 })`. */
export const tpe = {
  suggest: tpeAlgo({}),
  /** A TPE with other settings (Hyperopt: `partial(tpe.suggest, n_startup_jobs=10)`). */
  configure: (options: TpeOptions): Algo => tpeAlgo(options),
} as const;

/** Random search: `algo: rand.suggest`. */
export const rand = {
  suggest: { name: 'rand', createSampler: (seed: number): Sampler => new RandomSampler({ seed }) } as Algo,
} as const;
