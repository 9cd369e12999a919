/**
 * The GP posterior at many test points at once, blocked for speed: the cross-covariances of a
 * block of test points are laid out as an n×B matrix and pushed through one multi-right-hand-side
 * triangular solve, which reads each row of L once per block instead of once per point.
 *
 * Notation: as in `posterior.ts` — n training points, d dimensions, Xt is m×d (row-major),
 * C = K + (noise + jitter)·I = L·Lᵀ, α = C⁻¹y. For a block of B test points, Kᵀ is n×B with
 * entry (b, i) = k(xtᵢ, Xᵦ); V = L⁻¹Kᵀ; mean_i = Σᵦ αᵦ·Kᵀᵦᵢ and variance_i = σ² − Σᵦ Vᵦᵢ²
 * (clamped at 0). Same numbers as `gpPosterior`, up to rounding.
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { solveLowerMatrix } from '../linalg/triangular-solve.js';
import { matern52 } from './matern52.js';
import type { GpPosteriorState } from './posterior.js';

/** Scratch space of {@link gpPosteriorBatch}: an n×B block. */
export interface BatchPosteriorWorkspace {
  readonly n: number;
  readonly block: number;
  readonly kt: Float64Array;
}

/** Allocates a {@link BatchPosteriorWorkspace} for n training points and blocks of `block` test points. */
export function createBatchPosteriorWorkspace(n: number, block = 128): BatchPosteriorWorkspace {
  if (!Number.isInteger(block) || block < 1) {
    throw new InvalidArgumentError(
      `createBatchPosteriorWorkspace: block must be an integer ≥ 1, got ${block}.`,
    );
  }
  return { n, block, kt: new Float64Array(n * block) };
}

/**
 * Posterior mean and variance of the latent function at the m rows of Xt (m×d) into `meanOut`
 * and `varianceOut` (length ≥ m). O(m·n·(n/2 + d)) time; allocates nothing when `work` fits.
 */
export function gpPosteriorBatch(
  state: GpPosteriorState,
  Xt: ArrayLike<number>,
  m: number,
  meanOut: Float64Array,
  varianceOut: Float64Array,
  work?: BatchPosteriorWorkspace,
): void {
  const { X, n, d, alpha, cholesky: L, params, categorical } = state;
  if (Xt.length < m * d || meanOut.length < m || varianceOut.length < m) {
    throw new InvalidArgumentError(`gpPosteriorBatch: Xt needs ${m * d} entries and the outputs ${m}.`);
  }
  const ws = work !== undefined && work.n === n ? work : createBatchPosteriorWorkspace(n);
  const B = ws.block;
  const ils = params.inverseSquaredLengthScales;
  const s2 = params.signalVariance;
  for (let start = 0; start < m; start += B) {
    const size = Math.min(B, m - start);
    const kt = size === B ? ws.kt : ws.kt.subarray(0, n * size);
    for (let i = 0; i < size; i++) {
      const row = (start + i) * d;
      let mean = 0;
      for (let b = 0; b < n; b++) {
        const rb = b * d;
        let r2 = 0;
        if (categorical === undefined) {
          for (let j = 0; j < d; j++) {
            const diff = Xt[row + j]! - X[rb + j]!;
            r2 += ils[j]! * (diff * diff);
          }
        } else {
          for (let j = 0; j < d; j++) {
            const diff = Xt[row + j]! - X[rb + j]!;
            r2 += ils[j]! * (categorical[j] ? (diff === 0 ? 0 : 1) : diff * diff);
          }
        }
        const k = s2 * matern52(r2);
        kt[b * size + i] = k;
        mean += k * alpha[b]!;
      }
      meanOut[start + i] = mean;
    }
    solveLowerMatrix(L, n, kt, size, kt);
    for (let i = 0; i < size; i++) varianceOut[start + i] = 0;
    for (let b = 0; b < n; b++) {
      const rb = b * size;
      for (let i = 0; i < size; i++) {
        const v = kt[rb + i]!;
        varianceOut[start + i] = varianceOut[start + i]! + v * v;
      }
    }
    for (let i = 0; i < size; i++) varianceOut[start + i] = Math.max(s2 - varianceOut[start + i]!, 0);
  }
}
