/**
 * Exponentials of squares, exp(−x²), exp(x²) and exp(−x²/2), without the rounding of x².
 *
 * Notation: x is a scalar double. Forming x² first rounds it with an absolute error of up to
 * ε·x²/2, which exp turns into a relative error of ε·x² (≈ 1.6e−13 at x = 38). Here x is split as
 * x = h + l with h a multiple of 1/16 (so h² is exact) and |l| ≤ 1/32, and
 * exp(−x²) = exp(−h²)·exp(−l·(x + h)), where the second factor's argument is small and accurate.
 *
 * @module
 */

/** The multiple of 1/16 nearest to x; its square is exact for the |x| < 40 used here. */
function head(x: number): number {
  return Math.round(x * 16) / 16;
}

/**
 * exp(−x²) with a relative error of a few ulps for every finite x (0 once it underflows).
 * NaN gives NaN; ±Infinity gives 0.
 */
export function expNegSquare(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? Number.NaN : 0;
  const ax = Math.abs(x);
  if (ax > 27.3) return 0;
  const h = head(ax);
  return Math.exp(-h * h) * Math.exp(-(ax - h) * (ax + h));
}

/**
 * exp(x²) with a relative error of a few ulps (Infinity once it overflows, past |x| ≈ 26.64).
 * NaN gives NaN; ±Infinity gives Infinity.
 */
export function expSquare(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? Number.NaN : Number.POSITIVE_INFINITY;
  const ax = Math.abs(x);
  if (ax > 26.7) return Number.POSITIVE_INFINITY;
  const h = head(ax);
  return Math.exp(h * h) * Math.exp((ax - h) * (ax + h));
}

/**
 * exp(−x²/2) with a relative error of a few ulps for every finite x (0 once it underflows).
 * NaN gives NaN; ±Infinity gives 0.
 */
export function expNegHalfSquare(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? Number.NaN : 0;
  const ax = Math.abs(x);
  if (ax > 38.7) return 0;
  const h = head(ax);
  return Math.exp(-0.5 * h * h) * Math.exp(-0.5 * (ax - h) * (ax + h));
}
