/**
 * The trust region of a warm-started GP (GPSampler's `warmTrustRegion`): the acquisition is
 * maximised inside a box around the study's best trial, whose side follows TuRBO's schedule
 * (see ../trust-region.ts: it doubles after 3 improvements in a row and halves after 4 trials
 * without one), until the study has as many complete trials of its own as its warm start has
 * trials; then the GP searches the whole space again.
 *
 * Why: a warm start has already located the promising region, and the budget of a warm study is
 * short. Without a box, a traced warm GP spent 9 of 30 trials on vertices of the space that
 * neither the source nor the study had visited, where its variance is largest (the shifted
 * hartmann6 of bench/warm-start.ts, seed 0); on the shifted mixed_mlp, with a box on continuous
 * parameters only, 17 of 30 went to other optimizers, batch sizes, layer counts or unit counts.
 * With the box the same trials refine the region.
 *
 * - A continuous or grid column j spans side · w_j around the best trial, w_j = ℓ_j / (geometric
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

/** Side from which one-hot (categorical) parameters may leave the centre's category. */
export const TRUST_REGION_CATEGORICAL_SIDE = 0.8;
/** A box in encoded coordinates (see optimize-acquisition.ts). */
export type TrustRegionBox = AcquisitionBox;

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
