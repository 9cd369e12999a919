/**
 * The threshold pruner: stop a trial whose latest value leaves a fixed range.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import type { Pruner } from './base.js';
import {
  checkInt,
  checkMetricOptions,
  checkOptionsObject,
  describe,
  isCheckStep,
  lastStep,
  metricValues,
} from './common.js';

/** Options of {@link ThresholdPruner}. At least one of `lower` and `upper`. */
export interface ThresholdPrunerOptions {
  /** Prune when the latest value is below this. */
  lower?: number | undefined;
  /** Prune when the latest value is above this. */
  upper?: number | undefined;
  /** No pruning before this step. Default 0. */
  nWarmupSteps?: number | undefined;
  /** Steps between checks, counted from the warm-up. Default 1. */
  intervalSteps?: number | undefined;
  /** The named metric to check. Default: the intermediate value. */
  metric?: string | undefined;
}

/**
 * Prunes a trial whose latest intermediate value is below `lower` or above `upper`, or is NaN
 * (a NaN always prunes). Needs no direction, so it works unchanged in multi-objective studies;
 * with `metric` it checks a named metric.
 *
 * @example
 * ```ts
 * // Stop as soon as the loss diverges.
 * const study = await createStudy({ pruner: new ThresholdPruner({ upper: 10, nWarmupSteps: 1 }) });
 * await study.optimize(async (trial) => {
 *   const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
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
export class ThresholdPruner implements Pruner {
  readonly name = 'threshold';
  readonly lower: number;
  readonly upper: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly metric: string | undefined;

  constructor(options: ThresholdPrunerOptions) {
    const who = 'ThresholdPruner';
    checkOptionsObject(who, options);
    const { lower, upper } = options ?? {};
    if (lower === undefined && upper === undefined) {
      throw new InvalidArgumentError(
        `${who}: give lower, upper or both, such as { upper: 10 } to stop trials whose value exceeds 10.`,
      );
    }
    for (const [name, v] of [
      ['lower', lower],
      ['upper', upper],
    ] as const) {
      if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) {
        throw new InvalidArgumentError(`${who}: ${name} must be a number, got ${describe(v)}.`);
      }
    }
    this.lower = lower ?? Number.NEGATIVE_INFINITY;
    this.upper = upper ?? Number.POSITIVE_INFINITY;
    if (this.lower > this.upper) {
      throw new InvalidArgumentError(
        `${who}: lower (${this.lower}) is above upper (${this.upper}), so every value would be pruned. Swap them.`,
      );
    }
    this.nWarmupSteps = checkInt(
      who,
      'nWarmupSteps',
      options.nWarmupSteps ?? 0,
      0,
      'Pass 0 to check from the first step.',
    );
    this.intervalSteps = checkInt(
      who,
      'intervalSteps',
      options.intervalSteps ?? 1,
      1,
      'Pass 1 to check at every step.',
    );
    checkMetricOptions(who, { metric: options.metric });
    this.metric = options.metric;
  }

  prune(_study: StudyView, trial: FrozenTrial): boolean {
    const values = metricValues(trial, this.metric);
    const step = lastStep(values);
    if (step < 0) return false;
    if (!isCheckStep(step, values.keys(), this.nWarmupSteps, this.intervalSteps)) return false;
    const v = values.get(step)!;
    return Number.isNaN(v) || v < this.lower || v > this.upper;
  }
}
