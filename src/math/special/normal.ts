/**
 * The standard normal distribution: pdf φ, log-pdf, cdf Φ (ndtr), log Φ (logNdtr), the quantile
 * Φ⁻¹ (ndtri) and the quantile of a log-probability (ndtriExp).
 *
 * Notation: x is a standard-normal abscissa, p = Φ(x) ∈ [0, 1] a probability and logp = log p.
 * Every function is scalar and accurate to a few ulps (relative) across the whole line:
 * - Φ(x) = ½·erfcx(−x/√2)·exp(−x²/2) in the lower tail, so neither factor loses precision;
 * - log Φ(x) = log(½·erfcx(−x/√2)) − x²/2 for x < −1, finite down to x ≈ −1.9e154;
 * - Φ⁻¹ works through erfinv near ½ and through the inverse of log erfc in the tails, which is
 *   why {@link ndtriExp} can invert log-probabilities far below the smallest double.
 *
 * @module
 */
import { erf, erfcx } from './erf.js';
import { erfcinvLog, erfinv } from './erf-inverse.js';
import { expNegHalfSquare } from './exp-square.js';

/** 1/√(2π). */
const INV_SQRT_2PI = 0.3989422804014327;
/** log √(2π). */
const LOG_SQRT_2PI = 0.9189385332046728;
const SQRT1_2 = Math.SQRT1_2;
const SQRT2 = Math.SQRT2;
const LOG_QUARTER = Math.log(0.25);
const LOG_THREE_QUARTERS = Math.log(0.75);

/** The standard normal density φ(x) = exp(−x²/2)/√(2π). φ(±Infinity) = 0. */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * expNegHalfSquare(x);
}

/** log φ(x) = −x²/2 − log √(2π). ±Infinity give −Infinity. */
export function normLogPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

/**
 * The standard normal cdf Φ(x) (SciPy's `ndtr`), accurate relative to its size in the lower tail
 * (underflows to 0 below x ≈ −38.5). Φ(−Infinity) = 0, Φ(+Infinity) = 1.
 */
export function ndtr(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const t = x * SQRT1_2;
  if (Math.abs(t) < 0.5) return 0.5 + 0.5 * erf(t);
  const tail = 0.5 * erfcx(Math.abs(t)) * expNegHalfSquare(x);
  return x < 0 ? tail : 1 - tail;
}

/**
 * log Φ(x) (SciPy's `log_ndtr`), accurate deep in the lower tail: logNdtr(−40) ≈ −804.608,
 * logNdtr(−1e3) ≈ −500007.83. Tends to −Φ(−x) for large x. log Φ(−Infinity) = −Infinity.
 */
export function logNdtr(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < -1) return Math.log(0.5 * erfcx(-x * SQRT1_2)) - 0.5 * x * x;
  if (x <= 0) return Math.log(ndtr(x));
  return Math.log1p(-ndtr(-x));
}

/**
 * The standard normal quantile Φ⁻¹(p) (SciPy's `ndtri`) for p ∈ [0, 1]: ndtri(0) = −Infinity,
 * ndtri(1) = +Infinity, NaN outside [0, 1]. Relative error: a few ulps (p − ½ and 1 − p are exact
 * in floating point where they are used).
 */
export function ndtri(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p < 0.25) return p === 0 ? Number.NEGATIVE_INFINITY : -SQRT2 * erfcinvLog(Math.log(2 * p));
  if (p > 0.75) return p === 1 ? Number.POSITIVE_INFINITY : SQRT2 * erfcinvLog(Math.log(2 * (1 - p)));
  return SQRT2 * erfinv(2 * (p - 0.5));
}

/**
 * The standard normal quantile of a log-probability: the x with log Φ(x) = logp, for logp ≤ 0
 * (SciPy's `ndtri_exp`). Works where p itself underflows: ndtriExp(−1e4) ≈ −141.4.
 * −Infinity gives −Infinity, 0 gives +Infinity, NaN above 0.
 */
export function ndtriExp(logp: number): number {
  if (!(logp <= 0)) return Number.NaN;
  // Φ(x) = ½·erfc(−x/√2), so log Φ(x) = logp ⇔ −x/√2 = erfcinvLog(logp + log 2).
  if (logp < LOG_QUARTER) return -SQRT2 * erfcinvLog(logp + Math.LN2);
  if (logp <= LOG_THREE_QUARTERS) return ndtri(Math.exp(logp));
  // 1 − Φ(x) = Φ(−x) = −expm1(logp), computed without cancellation.
  return SQRT2 * erfcinvLog(Math.log(-Math.expm1(logp)) + Math.LN2);
}
