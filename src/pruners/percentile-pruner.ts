/**
 * The percentile pruner: stop a trial whose best value so far is worse than a percentile of the
 * complete trials' values at the same step.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import type { Pruner } from './base.js';
import {
  bestValue,
  checkInt,
  checkMetricOptions,
  checkOptionsObject,
  checkRange,
  isCheckStep,
  lastStep,
  type MetricOptions,
  metricValues,
  percentileOfSorted,
  resolveDirection,
  SortedColumns,
} from './common.js';
import { FinishedTrialTracker } from './finished-trials.js';

/** Options of {@link PercentilePruner} (and, without `percentile`, of `MedianPruner`). */
export interface PercentilePrunerOptions extends MetricOptions {
  /**
   * Which percentile of the complete trials a trial must beat, 0–100: with 25, a minimising trial
   * is pruned when its best value is above the 25th percentile (only the best quarter go on).
   */
  percentile: number;
  /** No pruning until this many trials are complete. Default 5. */
  nStartupTrials?: number | undefined;
  /** No pruning before this step; the first check is at `step === nWarmupSteps`. Default 0. */
  nWarmupSteps?: number | undefined;
  /**
   * Steps between checks, counted from the warm-up (a check postponed because no value was
   * reported at its step happens at the next report). Default 1.
   */
  intervalSteps?: number | undefined;
  /** No pruning at a step where fewer complete trials reported a value. Default 1. */
  nMinTrials?: number | undefined;
}

/** What the percentile pruner memoises per study and metric: complete trials' values by step. */
interface PercentileState {
  nComplete: number;
  /** Complete trials' values, by step. */
  readonly byStep: SortedColumns;
}

/**
 * Prunes a trial when its best intermediate value so far is worse than the given percentile of
 * the complete trials' values at the trial's current step. Supports named metrics (`metric`) and
 * multi-objective studies (with `direction`).
 *
 * Cost per decision: O(log n) with n complete trials; the sorted values of each step are kept
 * from one decision to the next (complete trials never change).
 *
 * @example
 * ```ts
 * const study = await createStudy({
 *   direction: 'maximize',
 *   pruner: new PercentilePruner({ percentile: 25, nStartupTrials: 5, nWarmupSteps: 3 }),
 * });
 * await study.optimize(async (trial) => {
 *   const lr = trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
 *   let acc = 0;
 *   for (let epoch = 0; epoch < 20; epoch++) {
 *     acc = await trainOneEpoch(lr);
 *     await trial.report(acc, epoch);
 *     if (await trial.shouldPrune()) throw new TrialPruned();
 *   }
 *   return acc;
 * }, { nTrials: 50 });
 * ```
 */
export class PercentilePruner implements Pruner {
  readonly name: string = 'percentile';
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;
  readonly metric: string | undefined;
  readonly direction: MetricOptions['direction'];
  private readonly who: string;
  private readonly tracker = new FinishedTrialTracker<PercentileState>(() => ({
    nComplete: 0,
    byStep: new SortedColumns(),
  }));

  /** @param who the name used in error messages (`MedianPruner` passes its own). */
  constructor(options: PercentilePrunerOptions, who = 'PercentilePruner') {
    checkOptionsObject(who, options);
    if (options === undefined) {
      throw new InvalidArgumentError(
        `${who}: options are required, such as { percentile: 25 } (keep the best quarter of the trials).`,
      );
    }
    this.percentile = checkRange(
      who,
      'percentile',
      options.percentile,
      0,
      100,
      'Pass the share of trials to keep as a percentile, such as 25 (keep the best quarter).',
    );
    this.nStartupTrials = checkInt(
      who,
      'nStartupTrials',
      options.nStartupTrials ?? 5,
      0,
      'Pass the number of complete trials to wait for, such as 5.',
    );
    this.nWarmupSteps = checkInt(
      who,
      'nWarmupSteps',
      options.nWarmupSteps ?? 0,
      0,
      'Pass the first step at which pruning may happen, such as 0.',
    );
    this.intervalSteps = checkInt(
      who,
      'intervalSteps',
      options.intervalSteps ?? 1,
      1,
      'Pass 1 to check at every step.',
    );
    this.nMinTrials = checkInt(
      who,
      'nMinTrials',
      options.nMinTrials ?? 1,
      1,
      'Pass how many complete trials must have reported at a step, such as 1.',
    );
    checkMetricOptions(who, options);
    this.metric = options.metric;
    this.direction = options.direction;
    this.who = who;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const direction = resolveDirection(this.who, study, this.direction, this.metric);
    const state = this.update(study);
    if (state.nComplete === 0 || state.nComplete < this.nStartupTrials) return false;
    const values = metricValues(trial, this.metric);
    const step = lastStep(values);
    if (step < 0) return false;
    if (!isCheckStep(step, values.keys(), this.nWarmupSteps, this.intervalSteps)) return false;
    const best = bestValue(values.values(), direction);
    if (Number.isNaN(best)) return true;
    const atStep = state.byStep.get(step);
    if (atStep.length < this.nMinTrials) return false;
    const q = direction === 'maximize' ? 100 - this.percentile : this.percentile;
    const threshold = percentileOfSorted(atStep, q);
    return direction === 'maximize' ? best < threshold : best > threshold;
  }

  private update(study: StudyView): PercentileState {
    const { state, added } = this.tracker.update(study, this.metric ?? '');
    for (const t of added) {
      if (t.state !== 'complete') continue;
      state.nComplete++;
      for (const [step, v] of metricValues(t, this.metric)) state.byStep.add(step, v);
    }
    return state;
  }
}
