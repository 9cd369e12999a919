/**
 * Solving A·x = b (or A·X = B) given the Cholesky factor L of A = L·Lᵀ: a forward substitution
 * then a back substitution, never an inverse.
 *
 * Notation: l is the n×n factor from `choleskyInPlace`, flat row-major; b and x have length
 * n; B and X are n×m, row-major, one right-hand side per column. `out` may be `b`; nothing is
 * allocated.
 *
 * @module
 */
import {
  solveLower,
  solveLowerMatrix,
  solveLowerTransposed,
  solveLowerTransposedMatrix,
} from './triangular-solve.js';

/** Solves A·x = b with A = L·Lᵀ into `out` (which may be `b`); returns `out`. */
export function choleskySolve(
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  solveLower(l, n, b, out);
  return solveLowerTransposed(l, n, out, out);
}

/** Solves A·X = B (n×m, one right-hand side per column) with A = L·Lᵀ into `out` (may be `b`). */
export function choleskySolveMatrix(
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  m: number,
  out: Float64Array,
): Float64Array {
  solveLowerMatrix(l, n, b, m, out);
  return solveLowerTransposedMatrix(l, n, out, m, out);
}
