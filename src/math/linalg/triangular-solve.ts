/**
 * Triangular solves with a lower-triangular factor L: forward substitution L·x = b and back
 * substitution Lᵀ·x = b, for one right-hand side or several.
 *
 * Notation: l is the n×n lower-triangular matrix L, flat row-major (its strict upper triangle is
 * never read). A vector b or x has length n. Several right-hand sides form an n×m matrix B, flat
 * row-major, one right-hand side per column (B[i·m + r] = bᵣ[i]). `out` may be the same array as
 * `b` (solves in place); nothing is allocated. A zero on L's diagonal gives ±Infinity or NaN.
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { checkSquare } from './cholesky.js';

function checkVectors(
  name: string,
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  out: Float64Array,
): void {
  checkSquare(name, l, n);
  if (b.length < n || out.length < n) {
    throw new InvalidArgumentError(
      `${name}: b and out need ${n} entries, got ${b.length} and ${out.length}.`,
    );
  }
}

function checkMatrices(
  name: string,
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  m: number,
  out: Float64Array,
): void {
  checkSquare(name, l, n);
  if (!Number.isInteger(m) || m < 0)
    throw new InvalidArgumentError(`${name}: m must be a non-negative integer, got ${m}.`);
  if (b.length < n * m || out.length < n * m) {
    throw new InvalidArgumentError(
      `${name}: B and out need n·m = ${n * m} entries, got ${b.length} and ${out.length}.`,
    );
  }
}

/** Solves L·x = b by forward substitution into `out` (which may be `b`); returns `out`. */
export function solveLower(
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  checkVectors('solveLower', l, n, b, out);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[row + k]! * out[k]!;
    out[i] = s / l[row + i]!;
  }
  return out;
}

/** Solves Lᵀ·x = b by back substitution into `out` (which may be `b`); returns `out`. */
export function solveLowerTransposed(
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  checkVectors('solveLowerTransposed', l, n, b, out);
  if (out !== b) for (let i = 0; i < n; i++) out[i] = b[i]!;
  // Column-oriented: once xᵢ is known, remove Lᵢₖ·xᵢ from every earlier equation k < i, reading
  // row i of L contiguously.
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const xi = out[i]! / l[row + i]!;
    out[i] = xi;
    for (let k = 0; k < i; k++) out[k] = out[k]! - l[row + k]! * xi;
  }
  return out;
}

/** Solves L·X = B (n×m, one right-hand side per column) into `out` (which may be `b`). */
export function solveLowerMatrix(
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  m: number,
  out: Float64Array,
): Float64Array {
  checkMatrices('solveLowerMatrix', l, n, b, m, out);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const outRow = i * m;
    if (out !== b) for (let r = 0; r < m; r++) out[outRow + r] = b[outRow + r]!;
    for (let k = 0; k < i; k++) {
      const lik = l[row + k]!;
      if (lik === 0) continue;
      const kRow = k * m;
      for (let r = 0; r < m; r++) out[outRow + r] = out[outRow + r]! - lik * out[kRow + r]!;
    }
    const inv = 1 / l[row + i]!;
    for (let r = 0; r < m; r++) out[outRow + r] = out[outRow + r]! * inv;
  }
  return out;
}

/** Solves Lᵀ·X = B (n×m, one right-hand side per column) into `out` (which may be `b`). */
export function solveLowerTransposedMatrix(
  l: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
  m: number,
  out: Float64Array,
): Float64Array {
  checkMatrices('solveLowerTransposedMatrix', l, n, b, m, out);
  if (out !== b) for (let i = 0; i < n * m; i++) out[i] = b[i]!;
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    const iRow = i * m;
    const inv = 1 / l[row + i]!;
    for (let r = 0; r < m; r++) out[iRow + r] = out[iRow + r]! * inv;
    for (let k = 0; k < i; k++) {
      const lik = l[row + k]!;
      if (lik === 0) continue;
      const kRow = k * m;
      for (let r = 0; r < m; r++) out[kRow + r] = out[kRow + r]! - lik * out[iRow + r]!;
    }
  }
  return out;
}
