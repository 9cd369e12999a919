/**
 * The patient pruner: wait until a trial stops improving before asking another pruner.
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
  describe,
  type MetricOptions,
  metricValues,
  resolveDirection,
} from './common.js';

/** Options of {@link PatientPruner}. */
export interface PatientPrunerOptions extends MetricOptions {
  /** How many steps without improvement to tolerate. */
  patience: number;
  /** How much worse (≥ 0) the recent best may be before the trial counts as stalled. Default 0. */
  minDelta?: number | undefined;
}

/**
 * Tolerates `patience` steps without improvement: a trial has stalled when the best value of its
 * last `patience + 1` reported steps is worse than its best value before them by more than
 * `minDelta`. A stalled trial is pruned when `wrapped` says so (or always, when `wrapped` is
 * null); a trial that has not stalled never is. Supports `metric` and, with `direction`,
 * multi-objective studies; the wrapped pruner keeps its own options.
 *
 * @example
 * ```ts
 * // Stop trials that have not improved for 3 epochs and are below the median.
 * const pruner = new PatientPruner(new MedianPruner(), { patience: 3, minDelta: 1e-3 });
 * const study = await createStudy({ direction: 'maximize', pruner });
 * ```
 */
export class PatientPruner implements Pruner {
  readonly name = 'patient';
  readonly wrapped: Pruner | null;
  readonly patience: number;
  readonly minDelta: number;
  readonly metric: string | undefined;
  readonly direction: MetricOptions['direction'];

  constructor(wrapped: Pruner | null, options: PatientPrunerOptions) {
    const who = 'PatientPruner';
    if (wrapped !== null && (typeof wrapped !== 'object' || typeof wrapped.prune !== 'function')) {
      throw new InvalidArgumentError(
        `${who}: the wrapped pruner must be a Pruner or null, got ${describe(wrapped)}. Pass null to prune every stalled trial.`,
      );
    }
    checkOptionsObject(who, options);
    if (options === undefined) {
      throw new InvalidArgumentError(`${who}: options are required, such as { patience: 3 }.`);
    }
    this.wrapped = wrapped;
    this.patience = checkInt(
      who,
      'patience',
      options.patience,
      0,
      'Pass the number of steps without improvement to tolerate, such as 3.',
    );
    const minDelta = options.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !(minDelta >= 0) || !Number.isFinite(minDelta)) {
      throw new InvalidArgumentError(
        `${who}: minDelta must be a finite number ≥ 0, got ${describe(minDelta)}. Pass 0 to count any improvement.`,
      );
    }
    this.minDelta = minDelta;
    checkMetricOptions(who, options);
    this.metric = options.metric;
    this.direction = options.direction;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (!this.stalled(study, trial)) return false;
    return this.wrapped === null ? true : this.wrapped.prune(study, trial);
  }

  /** Lets the wrapped pruner record its bookkeeping when it was asked. */
  async afterPrune(study: StudyView, trial: FrozenTrial, pruned: boolean): Promise<void> {
    if (this.wrapped?.afterPrune && this.stalled(study, trial)) {
      await this.wrapped.afterPrune(study, trial, pruned);
    }
  }

  private stalled(study: StudyView, trial: FrozenTrial): boolean {
    const values = metricValues(trial, this.metric);
    if (values.size <= this.patience + 1) return false;
    const direction = resolveDirection('PatientPruner', study, this.direction, this.metric);
    const steps = [...values.keys()].sort((a, b) => a - b);
    const cut = steps.length - this.patience - 1;
    const before = bestValue(
      steps.slice(0, cut).map((s) => values.get(s)!),
      direction,
    );
    const after = bestValue(
      steps.slice(cut).map((s) => values.get(s)!),
      direction,
    );
    if (Number.isNaN(before) || Number.isNaN(after)) return false;
    return direction === 'minimize' ? before + this.minDelta < after : before - this.minDelta > after;
  }
}
