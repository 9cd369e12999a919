/**
 * The GP posterior of the latent function at new points: mean and variance for a batch, and mean,
 * variance and their input gradients at one point (for optimising an acquisition function).
 *
 * Notation: X is n×d training inputs, y (length n) their standardized targets, Xt is m×d test
 * inputs, all flat row-major. C = K + (noise + jitter)·I = L·Lᵀ and α = C⁻¹y. For a test point x
 * with cross-covariances k = k(x, X) (length n) and v = L⁻¹k:
 *   mean(x) = kᵀα,  variance(x) = σ² − vᵀv  (clamped at 0; the latent f, without noise).
 * Gradients: ∂kᵦ/∂xⱼ = 2·σ²·m′(r²ᵦ)·λⱼ·(xⱼ − Xᵦⱼ), so ∂mean/∂x = Σᵦ αᵦ·∂kᵦ/∂x and
 * ∂variance/∂x = −2·Σᵦ βᵦ·∂kᵦ/∂x with β = L⁻ᵀv = C⁻¹k (0 for categorical dimensions).
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { type CholeskyOptions, choleskyInPlace } from '../linalg/cholesky.js';
import { solveLower, solveLowerTransposed } from '../linalg/triangular-solve.js';
import { checkKernelParams, copyKernelParams, type KernelParams } from './kernel-params.js';
import { matern52, matern52Derivative, matern52Kernel, scaledSquaredDistance } from './matern52.js';

/** Everything needed to predict: the training data, the hyperparameters and the factor of C. */
export interface GpPosteriorState {
  /** n×d training inputs (a private copy). */
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly params: KernelParams;
  /** n×n lower Cholesky factor L of C = K + (noise + jitter)·I. */
  readonly cholesky: Float64Array;
  /** α = C⁻¹y. */
  readonly alpha: Float64Array;
  /** Jitter added to C's diagonal by the factorization (0 normally). */
  readonly jitter: number;
  /** Dimensions compared by equality, if any. */
  readonly categorical: readonly boolean[] | undefined;
}

/** Scratch buffers for the posterior functions (three n-vectors); reuse one per state. */
export interface PosteriorWorkspace {
  readonly k: Float64Array;
  readonly v: Float64Array;
  readonly dk: Float64Array;
}

/** Allocates a {@link PosteriorWorkspace} for n training points. */
export function createPosteriorWorkspace(n: number): PosteriorWorkspace {
  return { k: new Float64Array(n), v: new Float64Array(n), dk: new Float64Array(n) };
}

/**
 * Conditions the GP on (X, y): builds C = K + noise·I, factors it (with jitter escalation when
 * duplicate points make it singular) and solves for α.
 *
 * @throws {@link NumericalError} when C cannot be factored even with jitter.
 * @throws {@link InvalidArgumentError} for inconsistent sizes, invalid params or non-finite data.
 */
export function gpPosteriorState(
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  d: number,
  params: KernelParams,
  options: { categorical?: ArrayLike<boolean>; cholesky?: CholeskyOptions } = {},
): GpPosteriorState {
  checkKernelParams('gpPosteriorState', params, d);
  if (X.length < n * d || y.length < n) {
    throw new InvalidArgumentError(`gpPosteriorState: X needs ${n * d} entries and y ${n}.`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!))
      throw new InvalidArgumentError(`gpPosteriorState: y[${i}] = ${y[i]} is not finite.`);
  }
  const Xc = Float64Array.from({ length: n * d }, (_, i) => X[i]!);
  const categorical =
    options.categorical === undefined ? undefined : Array.from(options.categorical, Boolean);
  const L = new Float64Array(n * n);
  matern52Kernel(Xc, n, d, params, L, categorical);
  for (let i = 0; i < n; i++) L[i * n + i] = L[i * n + i]! + params.noiseVariance;
  const { jitter } = choleskyInPlace(L, n, options.cholesky);
  const alpha = new Float64Array(n);
  solveLower(L, n, y, alpha);
  solveLowerTransposed(L, n, alpha, alpha);
  return { X: Xc, n, d, params: copyKernelParams(params), cholesky: L, alpha, jitter, categorical };
}

/** Fills work.k with k(x, X) for the test row `row` of Xt; returns nothing. */
function crossCovariances(
  state: GpPosteriorState,
  Xt: ArrayLike<number>,
  row: number,
  k: Float64Array,
): void {
  const { X, n, d, params, categorical } = state;
  const s2 = params.signalVariance;
  for (let b = 0; b < n; b++) {
    k[b] =
      s2 * matern52(scaledSquaredDistance(Xt, row, X, b, d, params.inverseSquaredLengthScales, categorical));
  }
}

/**
 * Posterior mean and variance of the latent function at the m rows of Xt (m×d) into `meanOut`
 * and `varianceOut` (length ≥ m). Cost O(m·n·(n + d)); allocates nothing when `work` is given.
 */
export function gpPosterior(
  state: GpPosteriorState,
  Xt: ArrayLike<number>,
  m: number,
  meanOut: Float64Array,
  varianceOut: Float64Array,
  work: PosteriorWorkspace = createPosteriorWorkspace(state.n),
): void {
  const { n, d, alpha, cholesky: L } = state;
  if (Xt.length < m * d || meanOut.length < m || varianceOut.length < m) {
    throw new InvalidArgumentError(`gpPosterior: Xt needs ${m * d} entries and the outputs ${m}.`);
  }
  const { k, v } = work;
  const s2 = state.params.signalVariance;
  for (let i = 0; i < m; i++) {
    crossCovariances(state, Xt, i, k);
    let mean = 0;
    for (let b = 0; b < n; b++) mean += k[b]! * alpha[b]!;
    solveLower(L, n, k, v);
    let explained = 0;
    for (let b = 0; b < n; b++) explained += v[b]! * v[b]!;
    meanOut[i] = mean;
    varianceOut[i] = Math.max(s2 - explained, 0);
  }
}

/**
 * Posterior mean and variance at one point x (length d), with their gradients with respect to x.
 * Writes [mean, variance] into `meanVarianceOut` and the gradients into `dMeanOut` and
 * `dVarianceOut` (length d). Where the variance is clamped at 0 its gradient is reported as 0.
 */
export function gpPosteriorWithGradient(
  state: GpPosteriorState,
  x: ArrayLike<number>,
  meanVarianceOut: Float64Array,
  dMeanOut: Float64Array,
  dVarianceOut: Float64Array,
  work: PosteriorWorkspace = createPosteriorWorkspace(state.n),
): void {
  const { X, n, d, alpha, cholesky: L, params, categorical } = state;
  if (x.length < d || dMeanOut.length < d || dVarianceOut.length < d || meanVarianceOut.length < 2) {
    throw new InvalidArgumentError(`gpPosteriorWithGradient: x and the gradients need ${d} entries.`);
  }
  const { k, v, dk } = work;
  const ils = params.inverseSquaredLengthScales;
  const s2 = params.signalVariance;
  let mean = 0;
  for (let b = 0; b < n; b++) {
    const r2 = scaledSquaredDistance(x, 0, X, b, d, ils, categorical);
    k[b] = s2 * matern52(r2);
    dk[b] = 2 * s2 * matern52Derivative(r2);
    mean += k[b]! * alpha[b]!;
  }
  solveLower(L, n, k, v);
  let explained = 0;
  for (let b = 0; b < n; b++) explained += v[b]! * v[b]!;
  const variance = s2 - explained;
  solveLowerTransposed(L, n, v, v); // v := β = C⁻¹k
  dMeanOut.fill(0, 0, d);
  dVarianceOut.fill(0, 0, d);
  for (let b = 0; b < n; b++) {
    const cm = alpha[b]! * dk[b]!;
    const cv = -2 * v[b]! * dk[b]!;
    for (let j = 0; j < d; j++) {
      if (categorical?.[j]) continue;
      const g = ils[j]! * (x[j]! - X[b * d + j]!);
      dMeanOut[j] = dMeanOut[j]! + cm * g;
      dVarianceOut[j] = dVarianceOut[j]! + cv * g;
    }
  }
  meanVarianceOut[0] = mean;
  if (variance > 0) {
    meanVarianceOut[1] = variance;
  } else {
    meanVarianceOut[1] = 0;
    dVarianceOut.fill(0, 0, d);
  }
}
