/**
 * The median pruner: the percentile pruner at the 50th percentile.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import type { Pruner } from './base.js';
import { checkOptionsObject } from './common.js';
import { PercentilePruner, type PercentilePrunerOptions } from './percentile-pruner.js';

/** Options of {@link MedianPruner}: those of `PercentilePruner` without `percentile`. */
export type MedianPrunerOptions = Omit<PercentilePrunerOptions, 'percentile'>;

/**
 * Prunes a trial when its best intermediate value so far is worse than the median of the
 * complete trials' values at the same step. A `PercentilePruner` at 50, with the same options:
 * `nStartupTrials` (default 5), `nWarmupSteps` (0), `intervalSteps` (1), `nMinTrials` (1),
 * `metric` and `direction`.
 *
 * @example
 * ```ts
 * const study = await createStudy({ pruner: new MedianPruner({ nStartupTrials: 5, nWarmupSteps: 2 }) });
 * await study.optimize(async (trial) => {
 *   const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
 *   let loss = Number.POSITIVE_INFINITY;
 *   for (let epoch = 0; epoch < 20; epoch++) {
 *     loss = await trainOneEpoch(lr);
 *     await trial.report(loss, epoch);
 *     if (await trial.shouldPrune()) throw new TrialPruned();
 *   }
 *   return loss;
 * }, { nTrials: 50 });
 * ```
 */
export class MedianPruner implements Pruner {
  readonly name = 'median';
  private readonly inner: PercentilePruner;

  constructor(options: MedianPrunerOptions = {}) {
    checkOptionsObject('MedianPruner', options);
    if (options !== null && typeof options === 'object' && 'percentile' in options) {
      throw new InvalidArgumentError(
        `MedianPruner: got percentile ${String((options as { percentile: unknown }).percentile)}, but the median is the 50th percentile. Use new PercentilePruner({ percentile }) for another one.`,
      );
    }
    this.inner = new PercentilePruner({ ...options, percentile: 50 }, 'MedianPruner');
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    return this.inner.prune(study, trial);
  }
}
