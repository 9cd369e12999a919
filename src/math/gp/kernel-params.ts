/**
 * Hyperparameters of the Matérn-5/2 ARD Gaussian process and their log-space packing.
 *
 * Notation: d input dimensions. The kernel is k(x, x′) = σ²·m(r²) with
 * r² = Σⱼ λⱼ·(xⱼ − x′ⱼ)², where λ = `inverseSquaredLengthScales` (λⱼ = 1/ℓⱼ², length d) and
 * σ² = `signalVariance`; observations carry Gaussian noise of variance `noiseVariance`.
 * The optimiser works on θ = [log λ₁ … log λ_d, log σ², log noise] (length d + 2).
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** Hyperparameters of the GP (all strictly positive). */
export interface KernelParams {
  /** λⱼ = 1/ℓⱼ² for each input dimension (length d). */
  inverseSquaredLengthScales: Float64Array;
  /** σ², the prior variance of the latent function. */
  signalVariance: number;
  /** The variance of the observation noise. */
  noiseVariance: number;
}

/**
 * The default starting point of a fit: λ = 1 (ℓ = 1 on inputs in [0, 1]), σ² = 1 (for
 * standardized targets) and noise 1e−2.
 */
export function defaultKernelParams(d: number): KernelParams {
  return { inverseSquaredLengthScales: new Float64Array(d).fill(1), signalVariance: 1, noiseVariance: 1e-2 };
}

/** A deep copy of `params`. */
export function copyKernelParams(params: KernelParams): KernelParams {
  return {
    inverseSquaredLengthScales: Float64Array.from(params.inverseSquaredLengthScales),
    signalVariance: params.signalVariance,
    noiseVariance: params.noiseVariance,
  };
}

/** Writes θ = [log λ, log σ², log noise] (length d + 2) into `out` and returns it. */
export function kernelParamsToLog(params: KernelParams, out: Float64Array): Float64Array {
  const d = params.inverseSquaredLengthScales.length;
  if (out.length < d + 2) throw new InvalidArgumentError(`kernelParamsToLog: out needs ${d + 2} entries.`);
  for (let j = 0; j < d; j++) out[j] = Math.log(params.inverseSquaredLengthScales[j]!);
  out[d] = Math.log(params.signalVariance);
  out[d + 1] = Math.log(params.noiseVariance);
  return out;
}

/** Reads θ = [log λ, log σ², log noise] into `out` (whose λ array has length d) and returns it. */
export function kernelParamsFromLog(theta: ArrayLike<number>, out: KernelParams): KernelParams {
  const d = out.inverseSquaredLengthScales.length;
  if (theta.length < d + 2)
    throw new InvalidArgumentError(`kernelParamsFromLog: theta needs ${d + 2} entries.`);
  for (let j = 0; j < d; j++) out.inverseSquaredLengthScales[j] = Math.exp(theta[j]!);
  out.signalVariance = Math.exp(theta[d]!);
  out.noiseVariance = Math.exp(theta[d + 1]!);
  return out;
}

/** Throws unless `params` has d positive finite inverse squared length scales and positive variances. */
export function checkKernelParams(name: string, params: KernelParams, d: number): void {
  const ils = params.inverseSquaredLengthScales;
  if (ils.length !== d) {
    throw new InvalidArgumentError(
      `${name}: inverseSquaredLengthScales has length ${ils.length}, expected ${d}.`,
    );
  }
  for (let j = 0; j < d; j++) {
    if (!(ils[j]! > 0 && ils[j]! < Number.POSITIVE_INFINITY)) {
      throw new InvalidArgumentError(
        `${name}: inverseSquaredLengthScales[${j}] = ${ils[j]} must be positive and finite.`,
      );
    }
  }
  if (!(params.signalVariance > 0 && params.signalVariance < Number.POSITIVE_INFINITY)) {
    throw new InvalidArgumentError(
      `${name}: signalVariance = ${params.signalVariance} must be positive and finite.`,
    );
  }
  if (!(params.noiseVariance >= 0 && params.noiseVariance < Number.POSITIVE_INFINITY)) {
    throw new InvalidArgumentError(
      `${name}: noiseVariance = ${params.noiseVariance} must be ≥ 0 and finite.`,
    );
  }
}
