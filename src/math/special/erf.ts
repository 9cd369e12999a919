/**
 * The error function family: erf, erfc and the scaled complement erfcx(x) = exp(x²)·erfc(x).
 *
 * Notation: x is a scalar double; results are doubles with a relative error of a few ulps.
 * Algorithm (written for this library):
 * - |x| < 0.5: erf from its Maclaurin series x·Σ aₙx²ⁿ (14 terms), erfc = 1 − erf.
 * - x ≥ 0.5: erfcx(x) = t·h(t) with t = 4/(4 + x) ∈ (0, 8/9], where h is smooth on the whole
 *   half line and is evaluated from a 28-term Chebyshev expansion in u = (9/4)·t − 1. The
 *   coefficients were fitted by `scripts/gen-math-fixtures.py --erfcx-coefficients` (mpmath,
 *   60 digits); the truncation error is below 1e−21. erfc(x) = exp(−x²)·erfcx(x) with exp(−x²)
 *   from {@link expNegSquare}.
 * - x ≤ −0.5: the reflections erfc(x) = 2 − erfc(−x) and erfcx(x) = 2·exp(x²) − erfcx(−x).
 *
 * @module
 */
import { expNegSquare, expSquare } from './exp-square.js';

/** 2/√π. */
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** Maclaurin coefficients of erf(x)/x in powers of x²: (2/√π)·(−1)ⁿ/(n!·(2n + 1)). */
const ERF_SERIES = (() => {
  const c = new Float64Array(14);
  let factorial = 1;
  for (let n = 0; n < c.length; n++) {
    if (n > 0) factorial *= n;
    c[n] = (TWO_OVER_SQRT_PI * (n % 2 === 0 ? 1 : -1)) / (factorial * (2 * n + 1));
  }
  return c;
})();

/** Chebyshev coefficients of h(t) = erfcx(4(1 − t)/t)/t on t ∈ [0, 8/9], in u = (9/4)t − 1. */
const ERFCX_CHEBYSHEV = new Float64Array([
  0.6533756950500185, 0.2498500034446085, 0.08362641159890778, 0.024531922883083916, 0.00627576398090307,
  0.0013823909534494078, 0.00025567281259028973, 3.768978646074819e-5, 3.864576748937643e-6,
  1.2215935505779874e-7, -4.360772872867615e-8, -8.69302789574543e-9, -3.563685461848122e-10,
  1.318321462995075e-10, 2.2510609740972073e-11, -6.803395505228215e-13, -5.950686935113676e-13,
  -3.189826393394224e-14, 1.3013426648289364e-14, 1.6819551068934876e-15, -2.68178650939854e-16,
  -6.084013395862876e-17, 5.5600591465661486e-18, 2.0318938907838907e-18, -1.2516661514501275e-19,
  -6.770386548008554e-20, 3.4314242227550584e-21, 2.3103907796438794e-21,
]);

/** erf(x) for |x| < 0.5 from the series (no cancellation: the terms fall by ≥ 12× each). */
function erfSmall(x: number): number {
  const x2 = x * x;
  let p = 0;
  for (let n = ERF_SERIES.length - 1; n >= 0; n--) p = p * x2 + ERF_SERIES[n]!;
  return x * p;
}

/** erfcx(x) for x ≥ 0.5 (including +Infinity, which gives 0). */
function erfcxLarge(x: number): number {
  const t = 4 / (4 + x);
  const u = 2.25 * t - 1;
  const twoU = 2 * u;
  let b1 = 0;
  let b2 = 0;
  for (let k = ERFCX_CHEBYSHEV.length - 1; k >= 1; k--) {
    const b0 = twoU * b1 - b2 + ERFCX_CHEBYSHEV[k]!;
    b2 = b1;
    b1 = b0;
  }
  return t * (u * b1 - b2 + 0.5 * ERFCX_CHEBYSHEV[0]!);
}

/** The error function erf(x) = (2/√π)∫₀ˣ exp(−s²) ds. erf(±Infinity) = ±1, erf(NaN) = NaN. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 0.5) return erfSmall(x);
  const r = 1 - expNegSquare(ax) * erfcxLarge(ax);
  return x < 0 ? -r : r;
}

/**
 * The complementary error function erfc(x) = 1 − erf(x), accurate relative to its own size in the
 * upper tail (it underflows to 0 past x ≈ 27.2). erfc(−Infinity) = 2, erfc(+Infinity) = 0.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 0.5) return expNegSquare(x) * erfcxLarge(x);
  if (x > -0.5) return 1 - erfSmall(x);
  return 2 - expNegSquare(x) * erfcxLarge(-x);
}

/**
 * The scaled complementary error function erfcx(x) = exp(x²)·erfc(x) ≈ 1/(x√π) for large x.
 * It never underflows for finite x ≥ 0 and overflows to Infinity for x below about −26.6.
 * erfcx(+Infinity) = 0, erfcx(−Infinity) = Infinity.
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 0.5) return erfcxLarge(x);
  if (x > -0.5) return expSquare(x) * (1 - erfSmall(x));
  return 2 * expSquare(x) - erfcxLarge(-x);
}
