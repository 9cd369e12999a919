/**
 * Log expected improvement over a batch of Gaussian predictions, accurate where EI underflows
 * (the "LogEI" of Ament et al., 2023), with gradients for the chain rule.
 *
 * Notation: for each i, the prediction is N(μᵢ, vᵢ) with σᵢ = √vᵢ; improvement is measured
 * upwards (maximisation): EIᵢ = E[max(f − best, 0)] = σᵢ·h(zᵢ) with zᵢ = (μᵢ − best)/σᵢ and
 * h(z) = z·Φ(z) + φ(z), so log EIᵢ = log σᵢ + logEI(zᵢ). Minimise by passing −μ and −best.
 * Derivatives: ∂ log EI/∂μ = logEI′(z)/σ and ∂ log EI/∂v = φ(z)/(2·v·h(z)).
 * A variance ≤ 0 means a certain prediction: log EI = log max(μ − best, 0).
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { logEI, logEIDerivative } from '../special/log-ei.js';
import { normLogPdf } from '../special/normal.js';

function checkLengths(
  name: string,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  out: Float64Array,
): void {
  if (variance.length !== mean.length || out.length < mean.length) {
    throw new InvalidArgumentError(
      `${name}: mean and variance must have equal lengths and out at least as many.`,
    );
  }
}

/**
 * log EI of each prediction N(mean[i], variance[i]) over `best` (maximisation) into `out`
 * (length ≥ mean.length). Finite far below the point where EI itself underflows to 0.
 */
export function logExpectedImprovement(
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  best: number,
  out: Float64Array,
): Float64Array {
  checkLengths('logExpectedImprovement', mean, variance, out);
  for (let i = 0; i < mean.length; i++) {
    const v = variance[i]!;
    const mu = mean[i]!;
    if (v > 0) {
      const sigma = Math.sqrt(v);
      out[i] = Math.log(sigma) + logEI((mu - best) / sigma);
    } else {
      out[i] = Number.isNaN(v) ? Number.NaN : Math.log(Math.max(mu - best, 0));
    }
  }
  return out;
}

/**
 * {@link logExpectedImprovement} with its derivatives with respect to each mean and each variance
 * (into `dMeanOut` and `dVarianceOut`). Where the variance is ≤ 0 the variance derivative is 0.
 */
export function logExpectedImprovementWithGradient(
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  best: number,
  out: Float64Array,
  dMeanOut: Float64Array,
  dVarianceOut: Float64Array,
): Float64Array {
  checkLengths('logExpectedImprovementWithGradient', mean, variance, out);
  if (dMeanOut.length < mean.length || dVarianceOut.length < mean.length) {
    throw new InvalidArgumentError('logExpectedImprovementWithGradient: the gradient outputs are too short.');
  }
  for (let i = 0; i < mean.length; i++) {
    const v = variance[i]!;
    const mu = mean[i]!;
    if (v > 0) {
      const sigma = Math.sqrt(v);
      const z = (mu - best) / sigma;
      const logH = logEI(z);
      out[i] = Math.log(sigma) + logH;
      dMeanOut[i] = logEIDerivative(z) / sigma;
      // φ(z)/h(z) ≈ z² far in the lower tail, where both logs overflow to −Infinity.
      const ratio = z < -1e150 ? z * z : Math.exp(normLogPdf(z) - logH);
      dVarianceOut[i] = ratio / (2 * v);
    } else {
      const gain = mu - best;
      out[i] = Number.isNaN(v) ? Number.NaN : Math.log(Math.max(gain, 0));
      dMeanOut[i] = gain > 0 ? 1 / gain : 0;
      dVarianceOut[i] = 0;
    }
  }
  return out;
}
