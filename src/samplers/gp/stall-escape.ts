/**
 * Stall escape: the test GPSampler applies before it runs a suggestion it expects to teach it
 * almost nothing.
 *
 * A GP that has settled in a poor local optimum can be sure nothing better exists elsewhere
 * (long length scales, noise at its floor, log EI of −10 everywhere) and then proposes nearly the
 * same point for the rest of the study: on hartmann6, 4 of 50 default runs spent their last 60
 * trials within 0.01 of one point and ended at regret 1.2–2.1 (bench/RESULTS.md). A converged run
 * looks the same from inside, so the escape is partial: when the best value has not moved for
 * {@link STALL_WINDOW} trials and the proposal lies within {@link NEAR_REPEAT_DISTANCE} length
 * scales of a trial already run, every second such trial (even trial numbers) is drawn uniformly
 * instead. The uniform trial tests the model where it is most sure; a converged run keeps every
 * other proposal for refining its optimum. GPSampler applies it to single-objective studies without
 * constraints (`escapeStalls`, default true).
 *
 * Notation: y (n) warped, standardised values in trial order, larger is better; x (D) one encoded
 * point, X (n × D) the encoded trials row-major, ils (D) inverse squared length scales.
 * @module
 */
import { scaledSquaredDistance } from '../../math/gp/matern52.js';

/** Complete trials without a real improvement after which a study counts as stalled. */
export const STALL_WINDOW = 10;

/** An improvement counts when it exceeds this fraction of the range of the values. */
export const STALL_TOLERANCE = 1e-3;

/** Scaled distance (in length scales) below which a proposal repeats a trial already run. */
export const NEAR_REPEAT_DISTANCE = 1e-2;

/**
 * Whether the best of `y` (in trial order, larger is better) has not improved by more than
 * `tolerance` × (max − min) during the last `window` values.
 */
export function isStalled(y: ArrayLike<number>, window = STALL_WINDOW, tolerance = STALL_TOLERANCE): boolean {
  const n = y.length;
  if (n <= window) return false;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const step = tolerance * (hi - lo);
  let best = Number.NEGATIVE_INFINITY;
  let lastImprovement = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v > best + step) lastImprovement = i;
    if (v > best) best = v;
  }
  return n - 1 - lastImprovement >= window;
}

/** min over rows i of √(Σⱼ ilsⱼ·(xⱼ − Xᵢⱼ)²): the distance from x to the nearest row, in length scales. */
export function nearestScaledDistance(
  x: ArrayLike<number>,
  X: ArrayLike<number>,
  n: number,
  D: number,
  ils: ArrayLike<number>,
): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) best = Math.min(best, scaledSquaredDistance(x, 0, X, i, D, ils));
  return Math.sqrt(best);
}
