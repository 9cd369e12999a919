/**
 * Maximum a posteriori fitting of the GP hyperparameters under any differentiable log-prior (the
 * gamma priors of `fit.ts` cannot express a prior that penalises both ends of a length scale).
 *
 * Notation: as in `fit.ts` — X is n×d (inputs in [0, 1]^d), y (length n) standardised,
 * θ = [log λ₁ … log λ_d, log σ², log noise]. A log-prior returns log p(params) (up to a constant)
 * and writes its gradient with respect to θ. {@link twoSidedLengthScalePrior} is the default:
 * per dimension −a/λ − b·λ (it keeps length scales away from both 0 and ∞; the shape Optuna's GP
 * sampler uses), with Gamma(2, 1) on σ² and Gamma(1.1, 30) on the noise.
 *
 * @module
 */
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import { lbfgsb } from '../optim/lbfgsb.js';
import {
  checkKernelParams,
  defaultKernelParams,
  type KernelParams,
  kernelParamsFromLog,
  kernelParamsToLog,
} from './kernel-params.js';
import { createLikelihoodWorkspace, logMarginalLikelihood } from './marginal-likelihood.js';

/** A log-prior: returns log p(params) + const and writes ∂/∂θ into `gradOut` (length d + 2). */
export type KernelLogPriorFn = (params: KernelParams, gradOut: Float64Array) => number;

/** Options of {@link twoSidedLengthScalePrior}. */
export interface TwoSidedPriorOptions {
  /** a in −a/λ − b·λ. Default 0.1. */
  inverseWeight?: number;
  /** b in −a/λ − b·λ. Default 0.1. */
  linearWeight?: number;
  /** Gamma(shape, rate) on σ². Default (2, 1). */
  signal?: { shape: number; rate: number };
  /** Gamma(shape, rate) on the noise variance. Default (1.1, 30). */
  noise?: { shape: number; rate: number };
}

/**
 * Σⱼ (−a/λⱼ − b·λⱼ) + log Gamma(σ²; 2, 1) + log Gamma(noise; 1.1, 30), constants dropped.
 * The λ part peaks at λ = √(a/b) (1 by default) and grows without bound towards both 0 and ∞.
 */
export function twoSidedLengthScalePrior(options: TwoSidedPriorOptions = {}): KernelLogPriorFn {
  const a = options.inverseWeight ?? 0.1;
  const b = options.linearWeight ?? 0.1;
  const sig = options.signal ?? { shape: 2, rate: 1 };
  const noi = options.noise ?? { shape: 1.1, rate: 30 };
  if (!(a >= 0 && b >= 0 && sig.shape > 0 && sig.rate >= 0 && noi.shape > 0 && noi.rate >= 0)) {
    throw new InvalidArgumentError('twoSidedLengthScalePrior: weights must be ≥ 0 and shapes > 0.');
  }
  return (params, gradOut) => {
    const ils = params.inverseSquaredLengthScales;
    const d = ils.length;
    let lp = 0;
    for (let j = 0; j < d; j++) {
      const l = ils[j]!;
      lp += -a / l - b * l;
      gradOut[j] = a / l - b * l;
    }
    const s = params.signalVariance;
    const e = params.noiseVariance;
    lp += (sig.shape - 1) * Math.log(s) - sig.rate * s;
    lp += (noi.shape - 1) * Math.log(e) - noi.rate * e;
    gradOut[d] = sig.shape - 1 - sig.rate * s;
    gradOut[d + 1] = noi.shape - 1 - noi.rate * e;
    return lp;
  };
}

/** Options of {@link fitKernelParamsMap}. */
export interface FitMapOptions {
  /** The log-prior. Default {@link twoSidedLengthScalePrior}(). */
  logPrior?: KernelLogPriorFn;
  /** Lower bound of the noise variance. Default 1e−6. */
  minimumNoise?: number;
  /** Fix the noise at `minimumNoise`. Default false. */
  deterministic?: boolean;
  /** Bounds of each λⱼ. Default [1e−4, 1e4]. */
  inverseSquaredLengthScaleBounds?: readonly [number, number];
  /** Bounds of σ². Default [1e−4, 1e4]. */
  signalVarianceBounds?: readonly [number, number];
  /** Upper bound of the noise variance. Default 1e2. */
  maximumNoise?: number;
  /** Starting point without `init`. Default λ = 1, σ² = 1, noise = 1e−2. */
  defaults?: KernelParams;
  /** L-BFGS-B projected-gradient tolerance. Default 1e−2. */
  pgtol?: number;
  /** L-BFGS-B iteration limit. Default 500. */
  maxIter?: number;
}

/** The outcome of {@link fitKernelParamsMap}. */
export interface FitMapResult {
  params: KernelParams;
  /** log p(y | X, θ) + log prior(θ) at `params`. */
  logPosterior: number;
  converged: boolean;
  evaluations: number;
  /** True when the kept run started from `init`. */
  usedInit: boolean;
}

/**
 * Maximises log p(y | X, θ) + logPrior(θ) with L-BFGS-B inside box bounds, from `init` (clipped
 * into the bounds) — or, when that start cannot be evaluated or ends non-finite, from the defaults.
 *
 * @throws {@link NumericalError} when the likelihood cannot be evaluated from any start.
 */
export function fitKernelParamsMap(
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  d: number,
  init?: KernelParams,
  options: FitMapOptions = {},
): FitMapResult {
  if (X.length < n * d || y.length < n) {
    throw new InvalidArgumentError(`fitKernelParamsMap: X needs ${n * d} entries and y ${n}.`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) throw new InvalidArgumentError(`fitKernelParamsMap: y[${i}] is not finite.`);
  }
  if (init !== undefined) checkKernelParams('fitKernelParamsMap', init, d);
  const logPrior = options.logPrior ?? twoSidedLengthScalePrior();
  const minNoise = options.minimumNoise ?? 1e-6;
  const maxNoise = options.maximumNoise ?? 1e2;
  const ilsB = options.inverseSquaredLengthScaleBounds ?? [1e-4, 1e4];
  const sigB = options.signalVarianceBounds ?? [1e-4, 1e4];
  if (
    !(
      minNoise > 0 &&
      minNoise <= maxNoise &&
      ilsB[0] > 0 &&
      ilsB[0] <= ilsB[1] &&
      sigB[0] > 0 &&
      sigB[0] <= sigB[1]
    )
  ) {
    throw new InvalidArgumentError('fitKernelParamsMap: invalid bounds.');
  }
  const size = d + 2;
  const lower = new Float64Array(size);
  const upper = new Float64Array(size);
  lower.fill(Math.log(ilsB[0]), 0, d);
  upper.fill(Math.log(ilsB[1]), 0, d);
  lower[d] = Math.log(sigB[0]);
  upper[d] = Math.log(sigB[1]);
  lower[d + 1] = Math.log(minNoise);
  upper[d + 1] = options.deterministic ? Math.log(minNoise) : Math.log(maxNoise);

  const ws = createLikelihoodWorkspace(n, d);
  const params = defaultKernelParams(d);
  const priorGrad = new Float64Array(size);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    kernelParamsFromLog(theta, params);
    let lml: number;
    try {
      lml = logMarginalLikelihood(X, y, n, d, params, grad, ws);
    } catch (e) {
      if (e instanceof NumericalError) {
        grad.fill(0);
        return Number.POSITIVE_INFINITY;
      }
      throw e;
    }
    const lp = logPrior(params, priorGrad);
    for (let j = 0; j < size; j++) grad[j] = -(grad[j]! + priorGrad[j]!);
    return -(lml + lp);
  };

  const starts: KernelParams[] = [];
  if (init !== undefined) starts.push(init);
  starts.push(options.defaults ?? defaultKernelParams(d));
  let best: { theta: Float64Array; f: number; converged: boolean; usedInit: boolean } | undefined;
  let evaluations = 0;
  for (let s = 0; s < starts.length; s++) {
    const theta0 = kernelParamsToLog(starts[s]!, new Float64Array(size));
    for (let j = 0; j < size; j++) theta0[j] = Math.min(Math.max(theta0[j]!, lower[j]!), upper[j]!);
    const res = lbfgsb(objective, theta0, {
      lower,
      upper,
      pgtol: options.pgtol ?? 1e-2,
      maxIter: options.maxIter ?? 500,
    });
    evaluations += res.evaluations;
    if (best === undefined || res.f < best.f) {
      best = { theta: res.x, f: res.f, converged: res.converged, usedInit: s === 0 && init !== undefined };
    }
    if (Number.isFinite(res.f) && res.status !== 'nonFiniteStart') break;
  }
  if (best === undefined || !Number.isFinite(best.f)) {
    throw new NumericalError('fitKernelParamsMap: the log posterior is not finite at any start.');
  }
  return {
    params: kernelParamsFromLog(best.theta, defaultKernelParams(d)),
    logPosterior: -best.f,
    converged: best.converged,
    evaluations,
    usedInit: best.usedInit,
  };
}
