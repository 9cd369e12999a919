/**
 * The log marginal likelihood of a zero-mean GP with the Matérn-5/2 ARD kernel, and its gradient
 * with respect to θ = [log λ₁ … log λ_d, log σ², log noise].
 *
 * Notation: X is n×d (row-major), y has length n (standardize it first: the prior mean is 0).
 * C = K + noise·I (+ jitter·I when the Cholesky factorization needs it), C = L·Lᵀ, α = C⁻¹y:
 *   log p(y | X, θ) = −½·yᵀα − Σᵢ log Lᵢᵢ − (n/2)·log 2π,
 *   ∂/∂θⱼ = ½·tr((ααᵀ − C⁻¹)·∂C/∂θⱼ).
 * The trace needs every entry of C⁻¹, so the gradient forms it as ZᵀZ with Z = L⁻¹ (n³/6 + n³/6
 * flops, exploiting the triangular structure; the one place an inverse appears, and it is never
 * used to solve a system — α comes from triangular solves).
 * Buffers live in a {@link LikelihoodWorkspace}, so repeated evaluations allocate nothing.
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { choleskyInPlace } from '../linalg/cholesky.js';
import { solveLower, solveLowerTransposed } from '../linalg/triangular-solve.js';
import { checkKernelParams, type KernelParams } from './kernel-params.js';
import { matern52Kernel, matern52KernelVjp } from './matern52.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Scratch buffers of {@link logMarginalLikelihood} for fixed n and d. */
export interface LikelihoodWorkspace {
  readonly n: number;
  readonly d: number;
  /** n×n: C, then its Cholesky factor L. */
  readonly cholesky: Float64Array;
  /** n×n: ααᵀ − C⁻¹ (after a gradient evaluation). */
  readonly weights: Float64Array;
  /** α = C⁻¹y. */
  readonly alpha: Float64Array;
  /** Length d + 1: the kernel part of the gradient. */
  readonly kernelGrad: Float64Array;
  /** Length n: scratch of the Cholesky factorization. */
  readonly choleskyWork: Float64Array;
  /** n×n: Z = L⁻¹ (lower triangular), scratch of the gradient. */
  readonly inverseFactor: Float64Array;
  /** Jitter added by the last factorization. */
  jitter: number;
}

/** Allocates the buffers of {@link logMarginalLikelihood} for n points in d dimensions. */
export function createLikelihoodWorkspace(n: number, d: number): LikelihoodWorkspace {
  return {
    n,
    d,
    cholesky: new Float64Array(n * n),
    weights: new Float64Array(n * n),
    alpha: new Float64Array(n),
    kernelGrad: new Float64Array(d + 1),
    choleskyWork: new Float64Array(n),
    inverseFactor: new Float64Array(n * n),
    jitter: 0,
  };
}

/**
 * log p(y | X, θ) for the GP with kernel σ²·Matérn-5/2(λ) and Gaussian noise; when `gradOut`
 * (length d + 2) is given, also its gradient with respect to [log λ₁ … log λ_d, log σ², log noise].
 *
 * @param categorical optional mask (length d) of dimensions compared by equality.
 * @throws {@link NumericalError} when C is not positive definite even with jitter, or holds
 * non-finite values. @throws {@link InvalidArgumentError} for inconsistent sizes.
 */
export function logMarginalLikelihood(
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  d: number,
  params: KernelParams,
  gradOut?: Float64Array,
  workspace: LikelihoodWorkspace = createLikelihoodWorkspace(n, d),
  categorical?: ArrayLike<boolean>,
): number {
  checkKernelParams('logMarginalLikelihood', params, d);
  if (workspace.n !== n || workspace.d !== d) {
    throw new InvalidArgumentError(
      `logMarginalLikelihood: the workspace is for n = ${workspace.n}, d = ${workspace.d}.`,
    );
  }
  if (y.length < n)
    throw new InvalidArgumentError(`logMarginalLikelihood: y needs ${n} entries, got ${y.length}.`);
  if (gradOut !== undefined && gradOut.length < d + 2) {
    throw new InvalidArgumentError(`logMarginalLikelihood: gradOut needs ${d + 2} entries.`);
  }
  const { cholesky: L, alpha, weights: W } = workspace;
  matern52Kernel(X, n, d, params, L, categorical);
  for (let i = 0; i < n; i++) L[i * n + i] = L[i * n + i]! + params.noiseVariance;
  workspace.jitter = choleskyInPlace(L, n, { work: workspace.choleskyWork }).jitter;

  solveLower(L, n, y, alpha);
  let quad = 0;
  let logDetHalf = 0;
  for (let i = 0; i < n; i++) {
    quad += alpha[i]! * alpha[i]!;
    logDetHalf += Math.log(L[i * n + i]!);
  }
  solveLowerTransposed(L, n, alpha, alpha);
  const lml = -0.5 * quad - logDetHalf - 0.5 * n * LOG_2PI;
  if (gradOut === undefined) return lml;

  // W = ααᵀ − C⁻¹ with C⁻¹ = ZᵀZ, Z = L⁻¹.
  invertLower(L, n, workspace.inverseFactor);
  gramOfRows(workspace.inverseFactor, n, W);
  let traceW = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) W[a * n + b] = alpha[a]! * alpha[b]! - W[a * n + b]!;
    traceW += W[a * n + a]!;
  }
  matern52KernelVjp(X, n, d, params, W, workspace.kernelGrad, categorical);
  for (let j = 0; j <= d; j++) gradOut[j] = 0.5 * workspace.kernelGrad[j]!;
  gradOut[d + 1] = 0.5 * params.noiseVariance * traceW;
  return lml;
}

/**
 * Z = L⁻¹ for a lower-triangular L (n×n, row-major) into `Z`, row by row: row i of Z is
 * (eᵢ − Σ_{k<i} Lᵢₖ·Zₖ)/Lᵢᵢ, and row k of Z is zero right of column k. n³/6 multiply-adds.
 */
function invertLower(L: Float64Array, n: number, Z: Float64Array): void {
  Z.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const zi = i * n;
    const li = i * n;
    for (let k = 0; k < i; k++) {
      const lik = L[li + k]!;
      if (lik === 0) continue;
      const zk = k * n;
      for (let c = 0; c <= k; c++) Z[zi + c] = Z[zi + c]! - lik * Z[zk + c]!;
    }
    Z[zi + i] = 1;
    const inv = 1 / L[li + i]!;
    for (let c = 0; c <= i; c++) Z[zi + c] = Z[zi + c]! * inv;
  }
}

/** G = ZᵀZ for a lower-triangular Z (n×n) into `G`, as a sum of rank-1 updates by the rows of Z. */
function gramOfRows(Z: Float64Array, n: number, G: Float64Array): void {
  G.fill(0, 0, n * n);
  for (let k = 0; k < n; k++) {
    const zk = k * n;
    for (let a = 0; a <= k; a++) {
      const za = Z[zk + a]!;
      if (za === 0) continue;
      const ga = a * n;
      for (let b = 0; b <= a; b++) G[ga + b] = G[ga + b]! + za * Z[zk + b]!;
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) G[b * n + a] = G[a * n + b]!;
}
