/**
 * Conditioning the GP on observations with a noise variance of their own (heteroscedastic), e.g.
 * real observations with the fitted noise plus "fantasy" values at pending points treated as
 * nearly exact, so that a point being evaluated elsewhere looks known.
 *
 * Notation: as in `posterior.ts`; C = K + diag(noiseᵢ) (+ jitter·I) = L·Lᵀ, α = C⁻¹y. The result
 * is a {@link GpPosteriorState} usable with `gpPosterior`, `gpPosteriorWithGradient` and
 * `gpPosteriorBatch` (its `params.noiseVariance` is the kernel's, only for reference).
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { type CholeskyOptions, choleskyInPlace } from '../linalg/cholesky.js';
import { solveLower, solveLowerTransposed } from '../linalg/triangular-solve.js';
import { checkKernelParams, copyKernelParams, type KernelParams } from './kernel-params.js';
import { matern52Kernel } from './matern52.js';
import type { GpPosteriorState } from './posterior.js';

/**
 * Conditions the GP with hyperparameters `params` on (X, y) where observation i has noise
 * variance `noise[i]` (≥ 0). Factors with jitter escalation like `gpPosteriorState`.
 *
 * @throws {@link NumericalError} when C cannot be factored even with jitter.
 * @throws {@link InvalidArgumentError} for inconsistent sizes, invalid params or non-finite data.
 */
export function gpPosteriorStateWithNoise(
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  noise: ArrayLike<number>,
  n: number,
  d: number,
  params: KernelParams,
  options: { categorical?: ArrayLike<boolean>; cholesky?: CholeskyOptions } = {},
): GpPosteriorState {
  checkKernelParams('gpPosteriorStateWithNoise', params, d);
  if (X.length < n * d || y.length < n || noise.length < n) {
    throw new InvalidArgumentError(`gpPosteriorStateWithNoise: X needs ${n * d} entries, y and noise ${n}.`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!))
      throw new InvalidArgumentError(`gpPosteriorStateWithNoise: y[${i}] is not finite.`);
    if (!(noise[i]! >= 0 && Number.isFinite(noise[i]!))) {
      throw new InvalidArgumentError(
        `gpPosteriorStateWithNoise: noise[${i}] = ${noise[i]} must be ≥ 0 and finite.`,
      );
    }
  }
  const Xc = Float64Array.from({ length: n * d }, (_, i) => X[i]!);
  const categorical =
    options.categorical === undefined ? undefined : Array.from(options.categorical, Boolean);
  const L = new Float64Array(n * n);
  matern52Kernel(Xc, n, d, params, L, categorical);
  for (let i = 0; i < n; i++) L[i * n + i] = L[i * n + i]! + noise[i]!;
  const { jitter } = choleskyInPlace(L, n, options.cholesky);
  const alpha = new Float64Array(n);
  solveLower(L, n, y, alpha);
  solveLowerTransposed(L, n, alpha, alpha);
  return { X: Xc, n, d, params: copyKernelParams(params), cholesky: L, alpha, jitter, categorical };
}
