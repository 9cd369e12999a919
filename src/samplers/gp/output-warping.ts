/**
 * Output warping: monotone transforms of the objective values applied before the GP sees them,
 * so that heavy tails (a few very good or very bad values among many ordinary ones) do not make
 * the GP overconfident. Every transform preserves the order of the values, so the best trial
 * stays the best; results are standardised (mean 0, variance 1).
 *
 * - `yeo-johnson`: the Yeo–Johnson power transform of the standardised values, its exponent
 *   λ ∈ [−2, 4] fitted by maximising the Gaussian profile log-likelihood (as HEBO does):
 *     ψ(y) = ((y + 1)^λ − 1)/λ (y ≥ 0), −((1 − y)^(2 − λ) − 1)/(2 − λ) (y < 0), log forms at λ = 0, 2;
 *     ℓ(λ) = −(n/2)·log σ̂²(ψ(y)) + (λ − 1)·Σ sign(yᵢ)·log(1 + |yᵢ|).
 * - `none`: standardisation only.
 * @module
 */

/** Values with ±Infinity clipped to the range [lo, hi] of the finite ones. */
export interface ClippedValues {
  readonly y: Float64Array;
  readonly lo: number;
  readonly hi: number;
  /** Whether some value was infinite (and so clipped). */
  readonly clipped: boolean;
}

/** Clips infinite values to the finite ones' range; null when no value is finite. */
export function clipToFiniteRange(values: ArrayLike<number>): ClippedValues | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let clipped = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    } else if (!Number.isNaN(v)) clipped = true;
  }
  if (lo > hi) return null;
  const y = Float64Array.from(values, (v) => Math.min(hi, Math.max(lo, v)));
  return { y, lo, hi, clipped };
}

/** Whether clipped values are all the same, to 1e-12 relative: nothing for a GP to learn. */
export function isFlat(c: ClippedValues): boolean {
  return c.hi - c.lo <= 1e-12 * Math.max(1, Math.abs(c.hi));
}

/** Which warping {@link warpOutputs} applies. */
export type OutputWarping = 'none' | 'yeo-johnson';

function standardise(y: Float64Array): boolean {
  const n = y.length;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= n;
  let sq = 0;
  for (const v of y) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / n);
  if (!(std > 0) || !Number.isFinite(std)) return false;
  for (let i = 0; i < n; i++) y[i] = (y[i]! - mean) / std;
  return true;
}

function yeoJohnson(v: number, lambda: number): number {
  if (v >= 0) return Math.abs(lambda) < 1e-12 ? Math.log1p(v) : ((v + 1) ** lambda - 1) / lambda;
  const l2 = 2 - lambda;
  return Math.abs(l2) < 1e-12 ? -Math.log1p(-v) : -((1 - v) ** l2 - 1) / l2;
}

function profileLogLikelihood(y: Float64Array, lambda: number, logTerm: number, work: Float64Array): number {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    work[i] = yeoJohnson(y[i]!, lambda);
    mean += work[i]!;
  }
  mean /= n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (work[i]! - mean) ** 2;
  const variance = sq / n;
  if (!(variance > 0) || !Number.isFinite(variance)) return Number.NEGATIVE_INFINITY;
  return -0.5 * n * Math.log(variance) + (lambda - 1) * logTerm;
}

/**
 * Warps and standardises `y` in place (larger is better; all finite). Returns false when the
 * values are constant (y is then left as it was).
 */
export function warpOutputs(y: Float64Array, warping: OutputWarping): boolean {
  if (!standardise(y)) return false;
  if (warping === 'none') return true;
  const n = y.length;
  let logTerm = 0;
  for (const v of y) logTerm += Math.sign(v) * Math.log1p(Math.abs(v));
  const work = new Float64Array(n);
  // Golden-section search of the profile likelihood over λ.
  let a = -2;
  let b = 4;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = profileLogLikelihood(y, c, logTerm, work);
  let fd = profileLogLikelihood(y, d, logTerm, work);
  for (let it = 0; it < 40; it++) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = profileLogLikelihood(y, c, logTerm, work);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = profileLogLikelihood(y, d, logTerm, work);
    }
  }
  const lambda = (a + b) / 2;
  const warped = Float64Array.from(y, (v) => yeoJohnson(v, lambda));
  if (!standardise(warped)) return true;
  y.set(warped);
  return true;
}
