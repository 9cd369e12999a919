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
