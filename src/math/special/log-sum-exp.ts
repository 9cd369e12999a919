/**
 * Arithmetic on values kept as logarithms: log Σ exp(aᵢ) over an array, log(eᵃ + eᵇ),
 * log(1 − eˣ) and log(eᵃ − eᵇ), without overflow, underflow or avoidable cancellation.
 *
 * Notation: a is an array-like of log-values read on the index range [start, end); scalars a, b, x
 * are log-values. −Infinity stands for log 0; NaN anywhere gives NaN.
 *
 * @module
 */

/**
 * log Σᵢ exp(a[i]) over i ∈ [start, end) (the whole array by default), shifted by the maximum so
 * that nothing overflows. An empty range or all −Infinity gives −Infinity; any +Infinity gives
 * +Infinity; any NaN gives NaN. Allocates nothing.
 */
export function logSumExp(a: ArrayLike<number>, start = 0, end = a.length): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = start; i < end; i++) {
    const v = a[i]!;
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  let sum = 0;
  for (let i = start; i < end; i++) sum += Math.exp(a[i]! - max);
  return max + Math.log(sum);
}

/** log(eᵃ + eᵇ). */
export function logAddExp(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  const max = Math.max(a, b);
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  const min = Math.min(a, b);
  return max + Math.log1p(Math.exp(min - max));
}

/**
 * log(1 − eˣ) for x ≤ 0, switching between log(−expm1(x)) and log1p(−eˣ) at x = −log 2 so that
 * neither cancels (Mächler, "Accurately computing log(1 − exp(−|a|))"). log1mExp(0) = −Infinity,
 * log1mExp(−Infinity) = 0, NaN for x > 0.
 */
export function log1mExp(x: number): number {
  if (!(x <= 0)) return Number.NaN;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log(eᵃ − eᵇ) for a ≥ b (−Infinity when a = b is finite; NaN when a < b or a = b = +Infinity). */
export function logSubExp(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || a < b) return Number.NaN;
  if (a === Number.POSITIVE_INFINITY) return b === a ? Number.NaN : a;
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a === b) return Number.NEGATIVE_INFINITY;
  return a + log1mExp(b - a);
}
