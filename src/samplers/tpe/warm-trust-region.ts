/**
 * TPE's trust region in warm-started studies (TPESampler's `warmTrustRegion`): the candidates
 * drawn from l(x) are clipped into a box around the study's best trial before l(x)/g(x) picks one,
 * until the study has as many complete trials of its own as its warm start has trials (the box
 * is at most 0.4 of each range wide, too narrow for a long study).
 *
 * The side follows TuRBO's schedule (../trust-region.ts: it doubles after 3 improvements in a row
 * and halves after 4 trials without one); a numeric parameter spans {@link TPE_TRUST_REGION_SCALE}
 * × side of its range (in log scale for log parameters) around the best trial: a tenth of the
 * range at first. Categorical parameters are not bounded: l(x)/g(x) still chooses among the
 * categories, which is how a warm TPE study leaves a source's poor batch size or optimizer.
 *
 * Why: the warm observations make l(x) wide around the sources' good region, and a warm study
 * has few trials to refine it. On the shifted problems of bench/warm-start.ts (30 seeds) the box
 * cut the mean regret at 30 trials from 0.209 to 0.147 (hartmann6) and from 0.068 to 0.040
 * (mixed_mlp); scales 0.125, 0.5 and 1 did worse on both, and keeping the best trial's categories
 * left mixed_mlp at 0.067.
 *
 * Notation: m candidates × d parameters, row-major, in the estimator's transformed space;
 * center (d) the best trial in that space.
 * @module
 */
import type { ParzenDim } from './parzen-estimator.js';

/** A numeric parameter spans this fraction × side of its range around the best trial. */
export const TPE_TRUST_REGION_SCALE = 0.25;

/**
 * Clips the numeric coordinates of the m candidates `cands` (m × d) into the box of side `side`
 * around `center` (see the module documentation); categorical coordinates are left alone.
 */
export function clipToTrustRegion(
  cands: Float64Array,
  m: number,
  dims: readonly ParzenDim[],
  center: ArrayLike<number>,
  side: number,
): void {
  const d = dims.length;
  for (let j = 0; j < d; j++) {
    const dim = dims[j]!;
    if (dim.kind === 'categorical') continue;
    const half = (TPE_TRUST_REGION_SCALE * side * (dim.hi - dim.lo)) / 2;
    const lo = Math.max(dim.lo, center[j]! - half);
    const hi = Math.min(dim.hi, center[j]! + half);
    for (let i = 0; i < m; i++) cands[i * d + j] = Math.min(hi, Math.max(lo, cands[i * d + j]!));
  }
}
