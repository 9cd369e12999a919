/**
 * Pruners: early stopping of unpromising trials.
 *
 * An objective reports intermediate values with `await trial.report(value, step)` (or named
 * metrics: `trial.report({ loss, acc }, step)`) and asks `await trial.shouldPrune()`; when it is
 * true, it throws `new TrialPruned()`. Every pruner decides from the study's trials as read
 * fresh from the storage, so decisions agree across workers and processes.
 *
 * | Pruner | Compares the trial with | `metric` | Multi-objective studies |
 * | --- | --- | --- | --- |
 * | `NopPruner` | nothing (never prunes) | – | yes |
 * | `MedianPruner`, `PercentilePruner` | complete trials at the same step | yes | with `direction` |
 * | `PatientPruner` | its own earlier steps (then the wrapped pruner) | yes | with `direction` |
 * | `ThresholdPruner` | fixed bounds (NaN always prunes) | yes | yes (no direction needed) |
 * | `SuccessiveHalvingPruner` (ASHA) | trials that reached the same rung | yes | with `direction` |
 * | `HyperbandPruner` | trials of its bracket at the same rung | yes | with `direction` |
 * | `WilcoxonPruner` | the best trial, instance by instance | yes | with `direction` (best = best mean of the metric) |
 * | `ParetoPruner` | complete trials' metric vectors at the same step (dominance) | a vector of metrics | yes (made for them) |
 *
 * `metric` names a metric reported in a record; without it a pruner reads the intermediate value
 * (the reported number, or a record's first metric). In a study with several objectives, the
 * pruners that rank values need `direction` ('minimize' or 'maximize') for the metric they
 * read, and throw `InvalidArgumentError` without it.
 * @module
 */
export { type MetricRecord, NopPruner, type Pruner, REPORTS_ATTR } from './base.js';
export type { MetricOptions } from './common.js';
export {
  HYPERBAND_BRACKET_ATTR,
  type HyperbandBrackets,
  HyperbandPruner,
  type HyperbandPrunerOptions,
  hyperbandBracketOf,
  hyperbandBrackets,
} from './hyperband-pruner.js';
export { MedianPruner, type MedianPrunerOptions } from './median-pruner.js';
export { ParetoPruner, type ParetoPrunerOptions } from './pareto-pruner.js';
export { PatientPruner, type PatientPrunerOptions } from './patient-pruner.js';
export { PercentilePruner, type PercentilePrunerOptions } from './percentile-pruner.js';
export { COMPLETED_RUNG_PREFIX, completedRungKey, PRUNED_AT_RUNG_ATTR } from './rungs.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './successive-halving-pruner.js';
export { ThresholdPruner, type ThresholdPrunerOptions } from './threshold-pruner.js';
export { WilcoxonPruner, type WilcoxonPrunerOptions } from './wilcoxon-pruner.js';
