/**
 * Budget-aware observations (BOHB-style), shared by TPE and GP: in a study whose trials report
 * intermediate values per step (epochs, say) under a pruner, the finished trials' reports at the
 * highest step that enough of them reached, so that a model can compare complete and pruned trials
 * at the budget where both were measured.
 * @module
 */
import type { FrozenTrial } from '../core/frozen-trial.js';

/** Finished trials' reports at one step. */
export interface BudgetObservations {
  /** The step modelled: the highest that at least `minTrials` finished trials reported. */
  readonly budget: number;
  /** Complete and pruned trials with a finite report at `budget`, in study order. */
  readonly trials: readonly FrozenTrial[];
  /** Their reports at `budget`, in the same order. */
  readonly values: readonly number[];
}

/**
 * The observations at the highest step that at least `minTrials` finished (complete or pruned)
 * trials reported with a finite value, leaving out the trial `excludeTrialId`; null when no
 * step has that many.
 */
export function observationsAtBudget(
  trials: readonly FrozenTrial[],
  minTrials: number,
  excludeTrialId = -1,
): BudgetObservations | null {
  const counts = new Map<number, number>();
  const finished: FrozenTrial[] = [];
  for (const t of trials) {
    if (t.trialId === excludeTrialId || (t.state !== 'complete' && t.state !== 'pruned')) continue;
    if (t.intermediateValues.size === 0) continue;
    finished.push(t);
    for (const [step, v] of t.intermediateValues) {
      if (Number.isFinite(v)) counts.set(step, (counts.get(step) ?? 0) + 1);
    }
  }
  let budget = Number.NEGATIVE_INFINITY;
  for (const [step, c] of counts) if (c >= minTrials && step > budget) budget = step;
  if (budget === Number.NEGATIVE_INFINITY) return null;
  const out: FrozenTrial[] = [];
  const values: number[] = [];
  for (const t of finished) {
    const v = t.intermediateValues.get(budget);
    if (v !== undefined && Number.isFinite(v)) {
      out.push(t);
      values.push(v);
    }
  }
  return { budget, trials: out, values };
}
