/**
 * The truncated normal distribution on [low, high], for TPE's Parzen estimators: log-pdf, cdf,
 * quantile (ppf), and the log-mass log(Φ(b) − Φ(a)) they share.
 *
 * Notation: x is a point, mu and sigma > 0 the untruncated mean and standard deviation, low < high
 * the bounds (±Infinity allowed); a = (low − mu)/sigma and b = (high − mu)/sigma are the
 * standardized bounds and q ∈ [0, 1] a probability. Invalid parameters (sigma ≤ 0, low ≥ high, NaN)
 * give NaN rather than throwing, as these are scalar kernels called in loops.
 * Accuracy in the tails: an interval such as [10, 12] or [−1e3, −999] standard deviations away has
 * a mass far below the smallest double, so every quantity is formed from logs of Φ on the side
 * where Φ is small, and the quantile inverts a log-probability with {@link ndtriExp}.
 *
 * @module
 */
import { erf, erfcx } from './erf.js';
import { log1mExp, logAddExp } from './log-sum-exp.js';
import { logNdtr, ndtr, ndtri, ndtriExp, normLogPdf } from './normal.js';

/** log √(2π). */
const LOG_SQRT_2PI = 0.9189385332046728;

/** Nodes and weights of the 8-point Gauss–Legendre rule on [−1, 1], by Newton's method on P₈. */
const [GL_NODES, GL_WEIGHTS] = (() => {
  const n = 8;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 1;
    for (let iter = 0; iter < 100; iter++) {
      // Three-term recurrence: p1 = P_n(z), p0 = P_{n−1}(z).
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / derivative;
      z -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    nodes[i] = z;
    weights[i] = 2 / ((1 - z * z) * derivative * derivative);
  }
  return [nodes, weights] as const;
})();

/** √(π/2). */
const SQRT_HALF_PI = 1.2533141373155003;

/** log R(u) for u ≥ 0, with R(u) = Φ(−u)/φ(u) = √(π/2)·erfcx(u/√2) the Mills ratio. */
function logMills(u: number): number {
  return Math.log(SQRT_HALF_PI * erfcx(u * Math.SQRT1_2));
}

/** Which point of [a, b] anchors its mass: the lower end (a ≥ 0), the upper end (b ≤ 0) or 0. */
const ANCHOR_LOW = 0;
const ANCHOR_HIGH = 1;
const ANCHOR_ZERO = 2;

function anchorOf(a: number, b: number): number {
  return a >= 0 ? ANCHOR_LOW : b <= 0 ? ANCHOR_HIGH : ANCHOR_ZERO;
}

/**
 * log((Φ(b) − Φ(a))/φ(c)) for a < b, where c is the anchor of {@link anchorOf} (the point of [a, b]
 * nearest 0). Dividing by φ(c) removes the huge −c²/2 common to every mass far in a tail, so
 * differences of these values keep their precision. `width` is b − a, possibly known better.
 */
function logMassOverAnchorPdf(a: number, b: number, width: number): number {
  if (a >= 0 || b <= 0) {
    if (width * (Math.abs(a) + Math.abs(b)) <= 4) {
      // A short interval on one side: Gauss–Legendre quadrature of φ(t)/φ(c) = exp(−(t − c)(t + c)/2),
      // with t − c formed from the half-width so that it keeps full relative precision.
      const half = 0.5 * width;
      const c = a >= 0 ? a : b;
      let sum = 0;
      for (let i = 0; i < GL_NODES.length; i++) {
        const x = GL_NODES[i]!;
        const offset = a >= 0 ? half * (1 + x) : -half * (1 - x);
        sum += GL_WEIGHTS[i]! * Math.exp(-0.5 * offset * (offset + 2 * c));
      }
      return Math.log(half * sum);
    }
    // Φ(b) − Φ(a) = Φ(b)·(1 − Φ(a)/Φ(b)) and Φ(b)/φ(b) = R(−b); the upper tail is the mirror image.
    if (b <= 0) return logMills(-b) + log1mExp(logNdtr(a) - logNdtr(b));
    return logMills(a) + log1mExp(logNdtr(-b) - logNdtr(-a));
  }
  return Math.log(0.5 * (erf(b * Math.SQRT1_2) - erf(a * Math.SQRT1_2))) + LOG_SQRT_2PI;
}

/**
 * log(Φ(b) − Φ(a)), the log-probability that a standard normal falls in [a, b] (a ≤ b;
 * −Infinity when a = b, NaN when a > b). Accurate when both ends lie far in one tail: the lower
 * tail uses Φ(b)·(1 − Φ(a)/Φ(b)) with Φ(b) = φ(b)·R(−b) (R the Mills ratio), the upper tail its
 * mirror image, an interval around 0 uses ½(erf(b/√2) − erf(a/√2)), whose two terms never cancel,
 * and a short interval on one side (where log(Φ(a)/Φ(b)) would cancel) uses 8-point
 * Gauss–Legendre quadrature of φ relative to its value at the end nearest 0.
 */
export function logGaussMass(a: number, b: number): number {
  if (!(a <= b)) return Number.NaN;
  if (a === b) return Number.NEGATIVE_INFINITY;
  const anchor = anchorOf(a, b);
  const c = anchor === ANCHOR_LOW ? a : anchor === ANCHOR_HIGH ? b : 0;
  return normLogPdf(c) + logMassOverAnchorPdf(a, b, b - a);
}

function invalid(mu: number, sigma: number, low: number, high: number): boolean {
  return !(sigma > 0 && low < high && Number.isFinite(mu) && sigma < Number.POSITIVE_INFINITY);
}

/** The unstandardized location of an anchor: low, high or mu. */
function anchorLocation(anchor: number, low: number, high: number, mu: number): number {
  return anchor === ANCHOR_LOW ? low : anchor === ANCHOR_HIGH ? high : mu;
}

/**
 * The log-density of N(mu, sigma²) truncated to [low, high] at x: −Infinity outside the
 * interval, NaN for invalid parameters or x = NaN. Computed as log(φ(z)/φ(c)) − log σ −
 * log(mass/φ(c)) with c the anchor of the interval, so that an interval 1000 standard deviations
 * out still gives a log-density accurate to a few ulps.
 */
export function truncnormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (Number.isNaN(x) || invalid(mu, sigma, low, high)) return Number.NaN;
  if (x < low || x > high) return Number.NEGATIVE_INFINITY;
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  const anchor = anchorOf(a, b);
  const c = anchor === ANCHOR_LOW ? a : anchor === ANCHOR_HIGH ? b : 0;
  const dz = (x - anchorLocation(anchor, low, high, mu)) / sigma;
  const rel = logMassOverAnchorPdf(a, b, (high - low) / sigma);
  return -0.5 * dz * (dz + 2 * c) - Math.log(sigma) - rel;
}

/** log((Φ(z) − Φ(a))/(Φ(b) − Φ(a))) for low < x < high, with all differences taken unstandardized. */
function logCdfInside(x: number, mu: number, sigma: number, low: number, high: number): number {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  const z = (x - mu) / sigma;
  const below = anchorOf(a, z);
  const whole = anchorOf(a, b);
  const c1 = below === ANCHOR_LOW ? a : below === ANCHOR_HIGH ? z : 0;
  const c2 = whole === ANCHOR_LOW ? a : whole === ANCHOR_HIGH ? b : 0;
  const u1 = below === ANCHOR_LOW ? low : below === ANCHOR_HIGH ? x : mu;
  const u2 = anchorLocation(whole, low, high, mu);
  const d = (u1 - u2) / sigma;
  return (
    -0.5 * d * (c1 + c2) +
    logMassOverAnchorPdf(a, z, (x - low) / sigma) -
    logMassOverAnchorPdf(a, b, (high - low) / sigma)
  );
}

/** log((Φ(b) − Φ(z))/(Φ(b) − Φ(a))), the log survival function, for low < x < high. */
function logSfInside(x: number, mu: number, sigma: number, low: number, high: number): number {
  // The mirror image: −x is inside [−high, −low] for N(−mu, sigma²).
  return logCdfInside(-x, -mu, sigma, -high, -low);
}

/**
 * The cdf of N(mu, sigma²) truncated to [low, high] at x: 0 below low, 1 above high,
 * NaN for invalid parameters or x = NaN.
 */
export function truncnormCdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (Number.isNaN(x) || invalid(mu, sigma, low, high)) return Number.NaN;
  if (x <= low) return 0;
  if (x >= high) return 1;
  const p = Math.exp(logCdfInside(x, mu, sigma, low, high));
  return Math.min(p, 1);
}

/**
 * The quantile (inverse cdf) of N(mu, sigma²) truncated to [low, high] at q ∈ [0, 1]: ppf(0) =
 * low, ppf(1) = high; NaN for q outside [0, 1] or invalid parameters. The result is clipped into
 * [low, high]. Accurate when the interval lies far in a tail: the target Φ(x) = Φ(a) + q·mass is
 * formed as a log-probability on whichever side, Φ(x) or 1 − Φ(x) = Φ(−x), is the smaller, and
 * inverted with {@link ndtriExp}; Newton steps on the log-cdf (or, for q > ½, the log-survival)
 * measured from the bounds then remove the rounding of mu + sigma·z, so that a quantile just above a
 * bound keeps its relative precision.
 */
export function truncnormPpf(q: number, mu: number, sigma: number, low: number, high: number): number {
  if (!(q >= 0 && q <= 1) || invalid(mu, sigma, low, high)) return Number.NaN;
  if (q === 0) return low;
  if (q === 1) return high;
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  const mass = logGaussMass(a, b);
  // log Φ(x) = log(Φ(a) + q·mass) and log Φ(−x) = log(Φ(−b) + (1 − q)·mass).
  const logLower = logAddExp(logNdtr(a), Math.log(q) + mass);
  const logUpper = logAddExp(logNdtr(-b), Math.log1p(-q) + mass);
  const z = logLower <= logUpper ? ndtriExp(logLower) : -ndtriExp(logUpper);
  let x = mu + sigma * z;
  // Newton on g(x) = log F(x) − log q for q ≤ ½ (else on log(1 − F(x)) − log(1 − q)), with F measured
  // from the nearer bound: g′ = pdf/F (or −pdf/(1 − F)). The start is good to ~ε·max(|mu|, |sigma·z|)
  // absolutely, so this rarely takes more than two steps.
  const fromLow = q <= 0.5;
  const logTarget = fromLow ? Math.log(q) : Math.log1p(-q);
  for (let iter = 0; iter < 4 && x > low && x < high; iter++) {
    const logF = fromLow ? logCdfInside(x, mu, sigma, low, high) : logSfInside(x, mu, sigma, low, high);
    const step = (logF - logTarget) * Math.exp(logF - truncnormLogPdf(x, mu, sigma, low, high));
    if (!Number.isFinite(step)) break;
    x = fromLow ? x - step : x + step;
    if (!(Math.abs(step) > 1e-9 * Math.abs(x))) break;
  }
  return Math.min(Math.max(x, low), high);
}

/**
 * A draw from N(mu, sigma²) truncated to [low, high], given a uniform u ∈ [0, 1]: the quantile at
 * u, accurate to about 1e-9 of max(|mu|, sigma) rather than to the last bit near the bounds, which
 * is what a sampler needs and several times cheaper than {@link truncnormPpf}. When the interval
 * holds a usable mass (≥ 1e-6) the quantile is Φ⁻¹ of Φ(a) + u·mass, or −Φ⁻¹ of Φ(−b) + (1 − u)·mass
 * when that target lies above ½, so that no probability near 1 loses its digits; the mass is formed
 * on the side of the mean where the interval lies. Far in a tail it falls back to
 * {@link truncnormPpf}. Invalid parameters give NaN, as there.
 */
export function truncnormSample(u: number, mu: number, sigma: number, low: number, high: number): number {
  if (!(u >= 0 && u <= 1) || invalid(mu, sigma, low, high)) return Number.NaN;
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  const below = ndtr(a);
  const above = ndtr(-b);
  const mass = a + b > 0 ? ndtr(-a) - above : ndtr(b) - below;
  if (!(mass >= 1e-6)) return truncnormPpf(u, mu, sigma, low, high);
  const target = below + u * mass;
  const z = target <= 0.5 ? ndtri(target) : -ndtri(above + (1 - u) * mass);
  return Math.min(Math.max(mu + sigma * z, low), high);
}
