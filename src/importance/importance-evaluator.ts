/**
 * The interface every hyperparameter-importance algorithm implements, and the helpers that read
 * the value being explained and a parameter's distribution from the trials.
 * @module
 */

import type { Distribution } from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';

/** The value whose variation the importances explain; by default the single objective value. */
export type ImportanceTarget = (trial: FrozenTrial) => number;

/**
 * An importance algorithm (fANOVA, PED-ANOVA…). {@link getParamImportances} prepares its input,
 * calls {@link ImportanceEvaluator.evaluate} and normalizes and sorts the result.
 */
export interface ImportanceEvaluator {
  /**
   * Raw, non-negative importances of `params` (not normalized, in any order).
   *
   * @param trials complete trials, at least 2, each holding every name of `params` with one
   *   distribution shared by all of them, and a finite target value
   * @param directions the study's directions
   * @param params the parameter names to assess
   * @param target the value to explain; required when `directions` has more than one entry
   */
  evaluate(
    trials: readonly FrozenTrial[],
    directions: readonly StudyDirection[],
    params: readonly string[],
    target: ImportanceTarget | undefined,
  ): Record<string, number>;
}

/**
 * The target value of each trial: `target(trial)`, or the single objective value when `target`
 * is omitted. Throws when a value is missing or not finite, or when a multi-objective study has
 * no `target`.
 */
export function targetValues(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  target: ImportanceTarget | undefined,
): Float64Array {
  if (target === undefined && directions.length !== 1) {
    throw new InvalidArgumentError(
      `importances of a study with ${directions.length} objectives need a target: pass target: (t) => t.values![0] for the first objective (or any other number computed from the trial).`,
    );
  }
  const out = new Float64Array(trials.length);
  for (let i = 0; i < trials.length; i++) {
    const t = trials[i]!;
    const v = target === undefined ? t.values?.[0] : target(t);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(
        `trial ${t.number} has no finite target value (got ${String(v)}); pass only complete trials with finite values.`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** The distribution every trial uses for `name` (taken from the first trial). */
export function sharedDistribution(trials: readonly FrozenTrial[], name: string): Distribution {
  const d = trials[0]?.distributions[name];
  if (d === undefined) {
    throw new InvalidArgumentError(
      `parameter '${name}' is not in the trials; pass only names every complete trial has.`,
    );
  }
  return d;
}
