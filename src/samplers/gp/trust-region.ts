/**
 * The trust region of a warm-started GP (GPSampler's `warmTrustRegion`): the acquisition is
 * maximised inside a box around the study's best trial, which grows while trials improve and
 * shrinks while they do not, as in TuRBO (Eriksson et al., 2019).
 *
 * Why: a warm start has already located the promising region, and the budget of a warm study is
 * short. Without a box, the warm GP spends a third of 30 trials on corners of the space that
 * neither the sources nor the study visited, where its variance is largest (traced on the shifted
 * hartmann6 of bench/warm-start.ts); with it, the same trials refine the region.
 *
 * The state is replayed from the study's own values in trial order, so every worker derives the
 * same box with nothing stored:
 * - side starts at {@link TRUST_REGION_INITIAL_SIDE} (in unit encoded coordinates);
 * - a trial improves when it beats the best so far by more than {@link TRUST_REGION_IMPROVEMENT}
 *   of the range of the values so far; {@link TRUST_REGION_SUCCESSES} improvements in a row double
 *   the side (at most {@link TRUST_REGION_MAX_SIDE}), {@link TRUST_REGION_FAILURES} trials in a
 *   row without one halve it (at least {@link TRUST_REGION_MIN_SIDE});
 * - a continuous or grid column j spans side · w_j around the best trial, w_j = ℓ_j / (geometric
 *   mean of ℓ) clipped to [1/4, 4], cut at [0, 1]: longer length scales get longer sides;
 * - categorical (one-hot) parameters keep the best trial's category until the side reaches
 *   {@link TRUST_REGION_CATEGORICAL_SIDE} (twice the initial side, after three improvements in a
 *   row), as in the Hamming-distance trust regions of CASMOPOLITAN (Wan et al., 2021).
 *
 * Notation: D encoded columns; `lower` and `upper` have length D (unit encoded coordinates).
 * @module
 */

import type { EncodedSpace } from './encoded-space.js';
import type { AcquisitionBox } from './optimize-acquisition.js';

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
/** Side from which one-hot (categorical) parameters may leave the centre's category. */
export const TRUST_REGION_CATEGORICAL_SIDE = 0.8;
/** An improvement beats the best value by more than this fraction of the values' range. */
export const TRUST_REGION_IMPROVEMENT = 1e-3;

/** A box in encoded coordinates (see optimize-acquisition.ts). */
export type TrustRegionBox = AcquisitionBox;

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

/**
 * The box of side `side` around `center` (length D) in the encoded space `enc`: continuous and
 * grid columns span side · w_j (see the module documentation) cut at [0, 1]; one-hot blocks keep
 * the centre's vertex while the side is below {@link TRUST_REGION_CATEGORICAL_SIDE} and take any
 * vertex from there on.
 */
export function trustRegionBox(
  center: ArrayLike<number>,
  side: number,
  lengthScales: ArrayLike<number>,
  enc: EncodedSpace,
): TrustRegionBox {
  const D = enc.dim;
  const lower = new Float64Array(D);
  const upper = new Float64Array(D).fill(1);
  let logMean = 0;
  let k = 0;
  for (const s of enc.slots) {
    if (s.kind === 'onehot') continue;
    logMean += Math.log(lengthScales[s.column]!);
    k++;
  }
  logMean /= Math.max(1, k);
  for (const s of enc.slots) {
    const j = s.column;
    if (s.kind === 'onehot') {
      if (side >= TRUST_REGION_CATEGORICAL_SIDE) continue;
      for (let c = 0; c < s.width; c++) {
        lower[j + c] = center[j + c]!;
        upper[j + c] = center[j + c]!;
      }
      continue;
    }
    const w = Math.exp(Math.log(lengthScales[j]!) - logMean);
    const half = (side / 2) * (Number.isFinite(w) ? Math.min(4, Math.max(0.25, w)) : 1);
    lower[j] = Math.max(0, center[j]! - half);
    upper[j] = Math.min(1, center[j]! + half);
  }
  return { lower, upper };
}
