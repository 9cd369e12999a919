/**
 * Cholesky factorization A = L·Lᵀ of a symmetric positive-definite matrix, in place, with jitter
 * escalation for matrices that are only semi-definite (a GP kernel matrix with duplicate points),
 * and the log-determinant from the factor.
 *
 * Notation: a is an n×n matrix stored flat and row-major in a Float64Array (a[i·n + j] = A[i][j]).
 * Only the lower triangle (diagonal included) is read. On success the lower triangle holds L and
 * the strict upper triangle is zeroed, so `a` is exactly the n×n matrix L. Jitter: when a pivot is
 * not positive, the factorization restarts on A + δ·I with δ = 1e−10·mean(diag A), then 10δ,
 * 100δ… up to `maxRelativeJitter`·mean(diag A); the δ used is returned.
 *
 * @module
 */
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';

/** Options of {@link choleskyInPlace}. */
export interface CholeskyOptions {
  /** First jitter tried, relative to the mean of the diagonal. Default 1e−10. */
  initialRelativeJitter?: number;
  /** Largest jitter tried, relative to the mean of the diagonal. Default 1e−4. */
  maxRelativeJitter?: number;
  /** Factor between successive jitters. Default 10. */
  jitterGrowth?: number;
  /** Scratch space of length ≥ n (keeps the original diagonal); allocated when omitted. */
  work?: Float64Array;
}

/** What {@link choleskyInPlace} did. */
export interface CholeskyResult {
  /** The δ ≥ 0 added to the diagonal before the factorization succeeded (0 when none was needed). */
  jitter: number;
}

/** Validates an n×n flat matrix argument. */
export function checkSquare(name: string, a: ArrayLike<number>, n: number): void {
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`${name}: n must be a non-negative integer, got ${n}.`);
  if (a.length < n * n) {
    throw new InvalidArgumentError(`${name}: the matrix needs n·n = ${n * n} entries, got ${a.length}.`);
  }
}

/** One attempt; returns false on a non-positive pivot. Reads A's lower triangle, writes L there. */
function factor(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j]!;
    for (let k = 0; k < j; k++) {
      const v = a[rowJ + k]!;
      d -= v * v;
    }
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j]!;
      for (let k = 0; k < j; k++) s -= a[rowI + k]! * a[rowJ + k]!;
      a[rowI + j] = s * inv;
    }
  }
  return true;
}

/**
 * Factors the symmetric matrix `a` (n×n, row-major, lower triangle read) in place into its
 * lower-triangular Cholesky factor L, adding escalating jitter to the diagonal when a pivot is not
 * positive. Never forms an inverse.
 *
 * @returns the jitter added (0 when none was needed).
 * @throws {@link NumericalError} when `a` holds NaN or ±Infinity, or is still not positive
 * definite after the largest jitter (then `a` holds A + δ·I's partial factor and is unusable).
 * @throws {@link InvalidArgumentError} for a bad `n`, a short `a` or bad options.
 */
export function choleskyInPlace(a: Float64Array, n: number, options: CholeskyOptions = {}): CholeskyResult {
  checkSquare('choleskyInPlace', a, n);
  const initial = options.initialRelativeJitter ?? 1e-10;
  const max = options.maxRelativeJitter ?? 1e-4;
  const growth = options.jitterGrowth ?? 10;
  if (!(initial > 0) || !(max >= initial) || !(growth > 1)) {
    throw new InvalidArgumentError(
      'choleskyInPlace: need 0 < initialRelativeJitter ≤ maxRelativeJitter and jitterGrowth > 1.',
    );
  }
  const work = options.work ?? new Float64Array(n);
  if (work.length < n)
    throw new InvalidArgumentError(`choleskyInPlace: work needs ${n} entries, got ${work.length}.`);

  // Back up A: the diagonal into `work`, the strict lower triangle into the strict upper one.
  let trace = 0;
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const v = a[rowI + j]!;
      if (!Number.isFinite(v)) {
        throw new NumericalError(`choleskyInPlace: the matrix holds ${v} at (${i}, ${j}).`);
      }
      if (j < i) a[j * n + i] = v;
    }
    const d = a[rowI + i]!;
    work[i] = d;
    trace += d;
  }

  let jitter = 0;
  const scale = n > 0 && trace > 0 ? trace / n : 1;
  for (;;) {
    if (factor(a, n)) break;
    jitter = jitter === 0 ? initial * scale : jitter * growth;
    if (jitter > max * scale * (1 + 1e-12)) {
      throw new NumericalError(
        `choleskyInPlace: the ${n}×${n} matrix is not positive definite, even with a jitter of ` +
          `${jitter / growth} (${max} × the mean diagonal ${scale}) added to its diagonal.`,
      );
    }
    for (let i = 0; i < n; i++) {
      const rowI = i * n;
      for (let j = 0; j < i; j++) a[rowI + j] = a[j * n + i]!;
      a[rowI + i] = work[i]! + jitter;
    }
  }
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = i + 1; j < n; j++) a[rowI + j] = 0;
  }
  return { jitter };
}

/** log det(A) = 2·Σ log Lᵢᵢ from the Cholesky factor L (n×n, row-major) of A. */
export function choleskyLogDet(l: ArrayLike<number>, n: number): number {
  checkSquare('choleskyLogDet', l, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]!);
  return 2 * s;
}
