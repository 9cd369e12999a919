/**
 * Which trials are best: the best complete trial of a single-objective study, and the Pareto
 * front (the non-dominated complete trials) of a multi-objective one.
 * @module
 */
import { isFeasible } from './constraints.js';
import type { FrozenTrial, StudyDirection } from './frozen-trial.js';

/** Options of {@link bestOf} and {@link paretoFront}. */
export interface BestTrialOptions {
  /**
   * Only feasible trials count (see `constraints.ts`; a trial without constraint values is then
   * infeasible). Default false: every complete trial counts.
   */
  readonly feasibleOnly?: boolean | undefined;
}

/**
 * The best complete trial of a single-objective study, or `null` (none complete — none feasible
 * with `feasibleOnly` — or several objectives).
 */
export function bestOf(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  options: BestTrialOptions = {},
): FrozenTrial | null {
  const feasibleOnly = options.feasibleOnly === true;
  if (directions.length !== 1) return null;
  const sign = directions[0] === 'maximize' ? -1 : 1;
  let best: FrozenTrial | null = null;
  let bestValue = Number.POSITIVE_INFINITY;
  for (const t of trials) {
    if (t.state !== 'complete' || t.values === null) continue;
    if (feasibleOnly && !isFeasible(t, true)) continue;
    const v = sign * t.values[0]!;
    if (best === null || v < bestValue) {
      best = t;
      bestValue = v;
    }
  }
  return best;
}

/** Whether `a` dominates `b` (no worse in every objective, better in one), both as minimised values. */
export function dominates(
  a: readonly number[],
  b: readonly number[],
  directions: readonly StudyDirection[],
): boolean {
  let strictly = false;
  for (let i = 0; i < directions.length; i++) {
    const sign = directions[i] === 'maximize' ? -1 : 1;
    const x = sign * a[i]!;
    const y = sign * b[i]!;
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/**
 * The complete trials that no other complete trial dominates, in number order. With
 * `feasibleOnly`, the front among the feasible complete trials.
 */
export function paretoFront(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  options: BestTrialOptions = {},
): FrozenTrial[] {
  const feasibleOnly = options.feasibleOnly === true;
  const complete = trials.filter(
    (t) => t.state === 'complete' && t.values !== null && (!feasibleOnly || isFeasible(t, true)),
  );
  return complete.filter(
    (t) => !complete.some((o) => o !== t && dominates(o.values!, t.values!, directions)),
  );
}
