/**
 * The log of the standard expected improvement, logEI(z) = log h(z) with h(z) = z·Φ(z) + φ(z),
 * and its derivative, accurate for z → −∞ (Ament et al., "Unexpected Improvements to Expected
 * Improvement for Bayesian Optimization", NeurIPS 2023).
 *
 * Notation: z = (μ − best)/σ is a scalar standardized improvement; h(z) = E[max(Z + z, 0)] for
 * Z ~ N(0, 1). For z < −1 write u = −z and R(u) = Φ(−u)/φ(u) = √(π/2)·erfcx(u/√2) (the Mills
 * ratio); then h(z) = φ(u)·S(u) with S(u) = 1 − u·R(u) ∈ (0, 1), and
 * - 1 < u < 10: S is formed directly; the cancellation costs at most a factor u² ≤ 100 in S's
 *   relative error, i.e. about 1e−14 absolute in logEI;
 * - u ≥ 10: S(u) = u⁻²·Σₖ (−1)ᵏ(2k + 1)!!·u⁻²ᵏ, the asymptotic series, summed until its terms
 *   fall below 1e−17 (at most ~25 terms; its error is near exp(−u²/2));
 * so logEI(z) = −u²/2 − log √(2π) + log S(u) stays accurate to −1e154 (logEI(−1e3) ≈ −500014.7).
 *
 * @module
 */
import { erfcx } from './erf.js';
import { ndtr, normPdf } from './normal.js';

/** log √(2π). */
const LOG_SQRT_2PI = 0.9189385332046728;
/** √(π/2). */
const SQRT_HALF_PI = 1.2533141373155003;

/** The series Σₖ (−1)ᵏ(2k + 1)!!·vᵏ with v = u⁻² ≤ 0.01, i.e. u²·S(u). */
function tailSeries(v: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 60; k++) {
    term *= -(2 * k + 1) * v;
    sum += term;
    if (Math.abs(term) < 1e-17 * sum) break;
  }
  return sum;
}

/**
 * log(z·Φ(z) + φ(z)), the log of the expected improvement of a standard normal over −z.
 * Finite for every finite z down to about −1.9e154 (where z²/2 overflows): logEI(−40) ≈ −808.30.
 * logEI(+Infinity) = +Infinity, logEI(−Infinity) = −Infinity, NaN gives NaN.
 */
export function logEI(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z >= -1) return z === Number.POSITIVE_INFINITY ? z : Math.log(z * ndtr(z) + normPdf(z));
  const u = -z;
  const logPhi = -0.5 * u * u - LOG_SQRT_2PI;
  if (u < 10) return logPhi + Math.log(1 - u * SQRT_HALF_PI * erfcx(u * Math.SQRT1_2));
  return logPhi - 2 * Math.log(u) + Math.log(tailSeries(1 / (u * u)));
}

/**
 * The derivative d logEI/dz = Φ(z)/(z·Φ(z) + φ(z)) ∈ (0, ∞), ≈ −z for z → −∞ and ≈ 1/z for
 * z → +∞. Used with the chain rule to optimise log EI over inputs. NaN gives NaN.
 */
export function logEIDerivative(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z >= -1) {
    if (z === Number.POSITIVE_INFINITY) return 0;
    const cdf = ndtr(z);
    return cdf / (z * cdf + normPdf(z));
  }
  if (z === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
  // Φ(z)/h(z) = φ(u)R(u)/(φ(u)S(u)) = R(u)/S(u).
  const u = -z;
  const mills = SQRT_HALF_PI * erfcx(u * Math.SQRT1_2);
  if (u < 10) return mills / (1 - u * mills);
  return (u * mills * u) / tailSeries(1 / (u * u));
}
