/**
 * The trust region's size schedule of warm-started studies (GPSampler's and TPESampler's
 * `warmTrustRegion`): TuRBO's rule (Eriksson et al., 2019), replayed from the study's own values
 * in trial order, so every worker derives the same side with nothing stored.
 *
 * - The side starts at {@link TRUST_REGION_INITIAL_SIDE};
 * - a trial improves when it beats the best so far by more than {@link TRUST_REGION_IMPROVEMENT}
 *   of the range of the values so far; {@link TRUST_REGION_SUCCESSES} improvements in a row double
 *   the side (at most {@link TRUST_REGION_MAX_SIDE}), {@link TRUST_REGION_FAILURES} trials in a
 *   row without one halve it (at least {@link TRUST_REGION_MIN_SIDE}).
 *
 * What the side measures is the sampler's business: unit encoded coordinates for the GP
 * (gp/trust-region.ts), a fraction of each parameter's range for TPE.
 *
 * Notation: values (n) the study's own finite values to minimise, in trial order.
 * @module
 */
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { StudyView } from './base.js';
import { warmTrialCount } from './warm-start.js';

/** Side of the box before the study has values of its own. */
export const TRUST_REGION_INITIAL_SIDE = 0.4;
/** The largest side (the box then covers the space in most columns). */
export const TRUST_REGION_MAX_SIDE = 1.6;
/** The smallest side. */
export const TRUST_REGION_MIN_SIDE = 0.0125;
/** Improvements in a row that double the side. */
export const TRUST_REGION_SUCCESSES = 3;
/** Trials in a row without an improvement that halve the side. */
export const TRUST_REGION_FAILURES = 4;
/** An improvement beats the best value by more than this fraction of the values' range. */
export const TRUST_REGION_IMPROVEMENT = 1e-3;

/**
 * The side after replaying `values` (the study's own finite values to minimise, in trial order).
 */
export function trustRegionSide(values: ArrayLike<number>): number {
  let side = TRUST_REGION_INITIAL_SIDE;
  let best = Number.POSITIVE_INFINITY;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let successes = 0;
  let failures = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    if (best === Number.POSITIVE_INFINITY) {
      best = v;
      continue;
    }
    if (v < best - TRUST_REGION_IMPROVEMENT * (hi - lo)) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    best = Math.min(best, v);
    if (successes >= TRUST_REGION_SUCCESSES) {
      side = Math.min(TRUST_REGION_MAX_SIDE, 2 * side);
      successes = 0;
    } else if (failures >= TRUST_REGION_FAILURES) {
      side = Math.max(TRUST_REGION_MIN_SIDE, side / 2);
      failures = 0;
    }
  }
  return side;
}

/** The study's side of a warm trust region (see {@link warmPhaseHistory}). */
export interface WarmPhaseHistory {
  /** Values of the study's complete trials of the parameters, to minimise, in trial order. */
  readonly values: Float64Array;
  /** The trial of the smallest value (the first of equals); undefined before any. */
  readonly best: FrozenTrial | undefined;
}

/**
 * The complete trials of a single-objective study that have every parameter of `names` and a
 * finite value, as the trust region replays them; null once there are as many as the study's
 * warm start has trials: the warm phase is over and the sampler searches the whole space again.
 */
export function warmPhaseHistory(study: StudyView, names: readonly string[]): WarmPhaseHistory | null {
  const sign = study.directions[0] === 'maximize' ? -1 : 1;
  const values: number[] = [];
  let best: FrozenTrial | undefined;
  let bestValue = Number.POSITIVE_INFINITY;
  for (const t of study.trials) {
    const v = t.values?.[0];
    if (t.state !== 'complete' || v === undefined || !Number.isFinite(v)) continue;
    if (!names.every((n) => Object.hasOwn(t.internalParams, n))) continue;
    values.push(sign * v);
    if (sign * v < bestValue) {
      bestValue = sign * v;
      best = t;
    }
  }
  if (values.length >= warmTrialCount(study.warmStart)) return null;
  return { values: Float64Array.from(values), best };
}
