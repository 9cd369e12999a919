/**
 * Log-priors on the GP hyperparameters, for maximum a posteriori fitting: independent gamma
 * densities on each inverse squared length scale λⱼ, on σ² and on the noise variance.
 *
 * Notation: Gamma(shape α, rate β) has log-density (α − 1)·log x − β·x + const; the constant
 * (α·log β − log Γ(α)) is dropped. The gradient is taken with respect to θ = log x, as the
 * optimiser sees it: d/dθ [(α − 1)·log x − β·x] = (α − 1) − β·x. Gradients are laid out like
 * θ = [log λ₁ … log λ_d, log σ², log noise] (length d + 2).
 *
 * The default prior follows the spirit of Optuna's GP sampler: σ² ~ Gamma(2, 1) for standardized
 * targets, noise ~ Gamma(1.1, 30) (favours small noise) and λⱼ ~ Gamma(1.1, 0.1), whose mode is
 * λ = 1 (ℓ = 1 on [0, 1]) and which penalises short length scales linearly while letting an
 * irrelevant dimension's λ shrink towards 0 almost freely.
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { KernelParams } from './kernel-params.js';

/** A gamma density with the given shape α > 0 and rate β ≥ 0. */
export interface GammaPrior {
  shape: number;
  rate: number;
}

/** Priors on the hyperparameters; `null` leaves a parameter without prior (flat in log space). */
export interface KernelPrior {
  /** Shared by every λⱼ. */
  inverseSquaredLengthScale: GammaPrior | null;
  signalVariance: GammaPrior | null;
  noiseVariance: GammaPrior | null;
}

/** The default prior (see the module notes). */
export const DEFAULT_KERNEL_PRIOR: Readonly<KernelPrior> = Object.freeze({
  inverseSquaredLengthScale: Object.freeze({ shape: 1.1, rate: 0.1 }),
  signalVariance: Object.freeze({ shape: 2, rate: 1 }),
  noiseVariance: Object.freeze({ shape: 1.1, rate: 30 }),
});

function gamma(prior: GammaPrior, x: number): number {
  return (prior.shape - 1) * Math.log(x) - prior.rate * x;
}

function checkPrior(name: string, prior: GammaPrior | null): void {
  if (prior !== null && !(prior.shape > 0 && prior.rate >= 0)) {
    throw new InvalidArgumentError(`kernelLogPrior: ${name} needs shape > 0 and rate ≥ 0.`);
  }
}

/**
 * The log-prior of `params` (up to a constant), and, when `gradOut` (length d + 2) is given, its
 * gradient with respect to θ = [log λ, log σ², log noise].
 */
export function kernelLogPrior(params: KernelParams, prior: KernelPrior, gradOut?: Float64Array): number {
  checkPrior('inverseSquaredLengthScale', prior.inverseSquaredLengthScale);
  checkPrior('signalVariance', prior.signalVariance);
  checkPrior('noiseVariance', prior.noiseVariance);
  const ils = params.inverseSquaredLengthScales;
  const d = ils.length;
  if (gradOut !== undefined && gradOut.length < d + 2) {
    throw new InvalidArgumentError(`kernelLogPrior: gradOut needs ${d + 2} entries.`);
  }
  let lp = 0;
  const pl = prior.inverseSquaredLengthScale;
  for (let j = 0; j < d; j++) {
    const x = ils[j]!;
    if (pl !== null) lp += gamma(pl, x);
    if (gradOut !== undefined) gradOut[j] = pl === null ? 0 : pl.shape - 1 - pl.rate * x;
  }
  const ps = prior.signalVariance;
  const pn = prior.noiseVariance;
  if (ps !== null) lp += gamma(ps, params.signalVariance);
  if (pn !== null) lp += gamma(pn, params.noiseVariance);
  if (gradOut !== undefined) {
    gradOut[d] = ps === null ? 0 : ps.shape - 1 - ps.rate * params.signalVariance;
    gradOut[d + 1] = pn === null ? 0 : pn.shape - 1 - pn.rate * params.noiseVariance;
  }
  return lp;
}
