/**
 * The Matérn-5/2 ARD kernel: kernel matrices, cross-kernels, and derivatives with respect to the
 * log hyperparameters and to the inputs.
 *
 * Notation: X is n×d and Xt is m×d, flat row-major, inputs scaled to [0, 1]^d. With
 * λ = inverse squared length scales (length d) and σ² the signal variance,
 *   r² = Σⱼ λⱼ·δⱼ² with δⱼ = xⱼ − x′ⱼ (δⱼ = [xⱼ ≠ x′ⱼ] for a categorical dimension),
 *   k(x, x′) = σ²·m(r²),  m(r²) = (1 + √5·r + (5/3)·r²)·exp(−√5·r),
 *   m′(r²) = dm/d(r²) = −(5/6)·(1 + √5·r)·exp(−√5·r)   (finite at r = 0).
 * K is n×n with Kₐᵦ = k(xₐ, xᵦ) (no noise term); the cross-kernel is m×n with entry (i, b) =
 * k(xtᵢ, xᵦ). Derivatives: ∂K/∂log λⱼ = σ²·m′(r²)·λⱼ·δⱼ², ∂K/∂log σ² = K.
 * `categorical` (length d, optional) marks dimensions compared by equality (Hamming distance).
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { KernelParams } from './kernel-params.js';

const SQRT5 = Math.sqrt(5);

/** m(r²) = (1 + √5·r + (5/3)·r²)·exp(−√5·r), the unit-variance Matérn-5/2 profile. */
export function matern52(r2: number): number {
  const s = SQRT5 * Math.sqrt(r2);
  return (1 + s + (5 / 3) * r2) * Math.exp(-s);
}

/** m′(r²) = dm/d(r²) = −(5/6)·(1 + √5·r)·exp(−√5·r). */
export function matern52Derivative(r2: number): number {
  const s = SQRT5 * Math.sqrt(r2);
  return (-5 / 6) * (1 + s) * Math.exp(-s);
}

function checkInputs(name: string, X: ArrayLike<number>, n: number, d: number, params: KernelParams): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 0) {
    throw new InvalidArgumentError(`${name}: n and d must be non-negative integers, got ${n} and ${d}.`);
  }
  if (X.length < n * d)
    throw new InvalidArgumentError(`${name}: X needs n·d = ${n * d} entries, got ${X.length}.`);
  if (params.inverseSquaredLengthScales.length !== d) {
    throw new InvalidArgumentError(
      `${name}: inverseSquaredLengthScales has length ${params.inverseSquaredLengthScales.length}, expected ${d}.`,
    );
  }
}

function checkOut(name: string, out: Float64Array, size: number): void {
  if (out.length < size)
    throw new InvalidArgumentError(`${name}: out needs ${size} entries, got ${out.length}.`);
}

/** r² between row a of A and row b of B (both with d columns). */
export function scaledSquaredDistance(
  A: ArrayLike<number>,
  a: number,
  B: ArrayLike<number>,
  b: number,
  d: number,
  inverseSquaredLengthScales: ArrayLike<number>,
  categorical?: ArrayLike<boolean>,
): number {
  let r2 = 0;
  const ra = a * d;
  const rb = b * d;
  for (let j = 0; j < d; j++) {
    const diff = A[ra + j]! - B[rb + j]!;
    const sq = categorical?.[j] ? (diff === 0 ? 0 : 1) : diff * diff;
    r2 += inverseSquaredLengthScales[j]! * sq;
  }
  return r2;
}

/**
 * The n×n kernel matrix K = σ²·m(r²) of the rows of X (no noise on the diagonal) into `out`.
 * Symmetric, with σ² on the diagonal.
 */
export function matern52Kernel(
  X: ArrayLike<number>,
  n: number,
  d: number,
  params: KernelParams,
  out: Float64Array,
  categorical?: ArrayLike<boolean>,
): Float64Array {
  checkInputs('matern52Kernel', X, n, d, params);
  checkOut('matern52Kernel', out, n * n);
  const ils = params.inverseSquaredLengthScales;
  const s2 = params.signalVariance;
  for (let a = 0; a < n; a++) {
    out[a * n + a] = s2;
    for (let b = 0; b < a; b++) {
      const v = s2 * matern52(scaledSquaredDistance(X, a, X, b, d, ils, categorical));
      out[a * n + b] = v;
      out[b * n + a] = v;
    }
  }
  return out;
}

/** The m×n cross-kernel k(Xtᵢ, Xᵦ) between test rows Xt (m×d) and training rows X (n×d) into `out`. */
export function matern52CrossKernel(
  Xt: ArrayLike<number>,
  m: number,
  X: ArrayLike<number>,
  n: number,
  d: number,
  params: KernelParams,
  out: Float64Array,
  categorical?: ArrayLike<boolean>,
): Float64Array {
  checkInputs('matern52CrossKernel', X, n, d, params);
  checkInputs('matern52CrossKernel', Xt, m, d, params);
  checkOut('matern52CrossKernel', out, m * n);
  const ils = params.inverseSquaredLengthScales;
  const s2 = params.signalVariance;
  for (let i = 0; i < m; i++) {
    for (let b = 0; b < n; b++)
      out[i * n + b] = s2 * matern52(scaledSquaredDistance(Xt, i, X, b, d, ils, categorical));
  }
  return out;
}

/**
 * The full gradient of K with respect to θ = [log λ₁ … log λ_d, log σ²] into `out`, a
 * (d + 1)×n×n array: out[(j·n + a)·n + b] = ∂Kₐᵦ/∂θⱼ. It takes (d + 1)·n² doubles; to contract
 * it with a weight matrix without storing it, use {@link matern52KernelVjp}.
 */
export function matern52KernelGradient(
  X: ArrayLike<number>,
  n: number,
  d: number,
  params: KernelParams,
  out: Float64Array,
  categorical?: ArrayLike<boolean>,
): Float64Array {
  checkInputs('matern52KernelGradient', X, n, d, params);
  checkOut('matern52KernelGradient', out, (d + 1) * n * n);
  const ils = params.inverseSquaredLengthScales;
  const s2 = params.signalVariance;
  const nn = n * n;
  for (let a = 0; a < n; a++) {
    for (let j = 0; j < d; j++) out[j * nn + a * n + a] = 0;
    out[d * nn + a * n + a] = s2;
    for (let b = 0; b < a; b++) {
      const r2 = scaledSquaredDistance(X, a, X, b, d, ils, categorical);
      const scale = s2 * matern52Derivative(r2);
      for (let j = 0; j < d; j++) {
        const diff = X[a * d + j]! - X[b * d + j]!;
        const sq = categorical?.[j] ? (diff === 0 ? 0 : 1) : diff * diff;
        const v = scale * ils[j]! * sq;
        out[j * nn + a * n + b] = v;
        out[j * nn + b * n + a] = v;
      }
      const k = s2 * matern52(r2);
      out[d * nn + a * n + b] = k;
      out[d * nn + b * n + a] = k;
    }
  }
  return out;
}

/**
 * The vector–Jacobian product Σₐᵦ Wₐᵦ·∂Kₐᵦ/∂θⱼ for θ = [log λ₁ … log λ_d, log σ²] into `out`
 * (length d + 1), for an n×n weight matrix W (row-major). O(n²·d) time, no n×n×d storage.
 */
export function matern52KernelVjp(
  X: ArrayLike<number>,
  n: number,
  d: number,
  params: KernelParams,
  W: ArrayLike<number>,
  out: Float64Array,
  categorical?: ArrayLike<boolean>,
): Float64Array {
  checkInputs('matern52KernelVjp', X, n, d, params);
  checkOut('matern52KernelVjp', out, d + 1);
  if (W.length < n * n)
    throw new InvalidArgumentError(`matern52KernelVjp: W needs ${n * n} entries, got ${W.length}.`);
  const ils = params.inverseSquaredLengthScales;
  const s2 = params.signalVariance;
  out.fill(0, 0, d + 1);
  let signal = 0;
  for (let a = 0; a < n; a++) {
    signal += W[a * n + a]! * s2;
    for (let b = 0; b < a; b++) {
      const w = W[a * n + b]! + W[b * n + a]!;
      if (w === 0) continue;
      const r2 = scaledSquaredDistance(X, a, X, b, d, ils, categorical);
      const s = Math.sqrt(5 * r2);
      const e = Math.exp(-s);
      signal += w * s2 * (1 + s + (5 / 3) * r2) * e;
      const scale = w * s2 * (-5 / 6) * (1 + s) * e;
      for (let j = 0; j < d; j++) {
        const diff = X[a * d + j]! - X[b * d + j]!;
        const sq = categorical?.[j] ? (diff === 0 ? 0 : 1) : diff * diff;
        out[j] = out[j]! + scale * ils[j]! * sq;
      }
    }
  }
  out[d] = signal;
  return out;
}
