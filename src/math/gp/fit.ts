/**
 * Fitting the GP hyperparameters: maximises log p(y | X, θ) + log prior(θ) over
 * θ = [log λ₁ … log λ_d, log σ², log noise] with L-BFGS-B inside box bounds (the noise bounded
 * below by a minimum), warm-startable from a previous fit.
 *
 * Notation: X is n×d (row-major, inputs in [0, 1]^d), y has length n and should be standardized
 * (mean 0, variance 1; the GP prior mean is 0). Bounds are given on the natural parameters and
 * applied to their logs.
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
import { DEFAULT_KERNEL_PRIOR, type KernelPrior, kernelLogPrior } from './log-prior.js';
import { createLikelihoodWorkspace, logMarginalLikelihood } from './marginal-likelihood.js';

/** Options of {@link fitKernelParams}. */
export interface FitKernelParamsOptions {
  /** Priors on the hyperparameters; `null` for plain maximum likelihood. Default {@link DEFAULT_KERNEL_PRIOR}. */
  prior?: KernelPrior | null;
  /** Lower bound of the noise variance. Default 1e−6. */
  minimumNoise?: number;
  /** Fix the noise variance at `minimumNoise` (for noiseless objectives). Default false. */
  deterministic?: boolean;
  /** Bounds of each λⱼ. Default [1e−4, 1e4]. */
  inverseSquaredLengthScaleBounds?: readonly [number, number];
  /** Bounds of σ². Default [1e−4, 1e4]. */
  signalVarianceBounds?: readonly [number, number];
  /** Upper bound of the noise variance. Default 1e2. */
  maximumNoise?: number;
  /** Dimensions compared by equality (Hamming distance), if any. */
  categorical?: ArrayLike<boolean>;
  /** L-BFGS-B tolerance on the projected gradient of the log posterior. Default 1e−3. */
  pgtol?: number;
  /** L-BFGS-B tolerance on the relative reduction of the objective. Default 2.2e−9 (factr 1e7). */
  ftol?: number;
  /** L-BFGS-B iteration limit. Default 500. */
  maxIter?: number;
}

/** The outcome of {@link fitKernelParams}. */
export interface FitKernelParamsResult {
  /** The fitted hyperparameters (pass them back as `init` to warm-start the next fit). */
  params: KernelParams;
  /** log p(y | X, θ) at `params`. */
  logMarginalLikelihood: number;
  /** The log-prior at `params` (0 without a prior). */
  logPrior: number;
  /** Whether L-BFGS-B met its convergence test. */
  converged: boolean;
  /** L-BFGS-B iterations and objective evaluations, summed over attempts. */
  iterations: number;
  evaluations: number;
  /** True when the result came from `init`; false without `init` or when the warm start failed. */
  usedInit: boolean;
  /** L-BFGS-B's message for the attempt kept. */
  message: string;
}

function checkBounds(name: string, b: readonly [number, number]): void {
  if (!(b[0] > 0 && b[0] <= b[1] && b[1] < Number.POSITIVE_INFINITY)) {
    throw new InvalidArgumentError(`fitKernelParams: ${name} must satisfy 0 < low ≤ high < Infinity.`);
  }
}

/**
 * Fits the kernel hyperparameters to (X, y) by maximising the log marginal likelihood plus the
 * log-prior with L-BFGS-B over the log-parameters, starting from `init` (a previous fit; clipped
 * into the bounds) or from {@link defaultKernelParams}. When the warm start cannot be evaluated or
 * ends non-finite, the fit restarts once from the defaults; the better of the two is returned.
 * Condition the posterior on the result with `gpPosteriorState(X, y, n, d, result.params)`.
 *
 * @throws {@link InvalidArgumentError} for inconsistent sizes, non-finite X or y, or invalid options.
 * @throws {@link NumericalError} when the likelihood cannot be evaluated from either start.
 */
export function fitKernelParams(
  X: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  d: number,
  init?: KernelParams,
  options: FitKernelParamsOptions = {},
): FitKernelParamsResult {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 0) {
    throw new InvalidArgumentError(
      `fitKernelParams: n and d must be non-negative integers, got ${n} and ${d}.`,
    );
  }
  if (X.length < n * d || y.length < n)
    throw new InvalidArgumentError(`fitKernelParams: X needs ${n * d} entries and y ${n}.`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!))
      throw new InvalidArgumentError(`fitKernelParams: y[${i}] = ${y[i]} is not finite.`);
  }
  for (let i = 0; i < n * d; i++) {
    if (!Number.isFinite(X[i]!))
      throw new InvalidArgumentError(`fitKernelParams: X[${i}] = ${X[i]} is not finite.`);
  }
  if (init !== undefined) checkKernelParams('fitKernelParams', init, d);
  const prior = options.prior === undefined ? DEFAULT_KERNEL_PRIOR : options.prior;
  const minNoise = options.minimumNoise ?? 1e-6;
  const maxNoise = options.maximumNoise ?? 1e2;
  const ilsBounds = options.inverseSquaredLengthScaleBounds ?? [1e-4, 1e4];
  const signalBounds = options.signalVarianceBounds ?? [1e-4, 1e4];
  checkBounds('inverseSquaredLengthScaleBounds', ilsBounds);
  checkBounds('signalVarianceBounds', signalBounds);
  if (!(minNoise > 0 && minNoise <= maxNoise && maxNoise < Number.POSITIVE_INFINITY)) {
    throw new InvalidArgumentError('fitKernelParams: need 0 < minimumNoise ≤ maximumNoise < Infinity.');
  }
  const deterministic = options.deterministic ?? false;

  const size = d + 2;
  const lower = new Float64Array(size);
  const upper = new Float64Array(size);
  for (let j = 0; j < d; j++) {
    lower[j] = Math.log(ilsBounds[0]);
    upper[j] = Math.log(ilsBounds[1]);
  }
  lower[d] = Math.log(signalBounds[0]);
  upper[d] = Math.log(signalBounds[1]);
  lower[d + 1] = Math.log(minNoise);
  upper[d + 1] = deterministic ? Math.log(minNoise) : Math.log(maxNoise);

  const workspace = createLikelihoodWorkspace(n, d);
  const params = defaultKernelParams(d);
  const priorGrad = new Float64Array(size);
  const categorical = options.categorical;
  let lastLml = Number.NaN;
  let lastPrior = 0;
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    kernelParamsFromLog(theta, params);
    let lml: number;
    try {
      lml = logMarginalLikelihood(X, y, n, d, params, grad, workspace, categorical);
    } catch (e) {
      if (e instanceof NumericalError) {
        grad.fill(0);
        return Number.POSITIVE_INFINITY;
      }
      throw e;
    }
    let lp = 0;
    if (prior !== null) {
      lp = kernelLogPrior(params, prior, priorGrad);
      for (let j = 0; j < size; j++) grad[j] = grad[j]! + priorGrad[j]!;
    }
    lastLml = lml;
    lastPrior = lp;
    for (let j = 0; j < size; j++) grad[j] = -grad[j]!;
    return -(lml + lp);
  };

  const starts: KernelParams[] =
    init === undefined ? [defaultKernelParams(d)] : [init, defaultKernelParams(d)];
  let best:
    | { theta: Float64Array; f: number; converged: boolean; message: string; usedInit: boolean }
    | undefined;
  let iterations = 0;
  let evaluations = 0;
  for (let s = 0; s < starts.length; s++) {
    const theta0 = kernelParamsToLog(starts[s]!, new Float64Array(size));
    for (let j = 0; j < size; j++) theta0[j] = Math.min(Math.max(theta0[j]!, lower[j]!), upper[j]!);
    const res = lbfgsb(objective, theta0, {
      lower,
      upper,
      pgtol: options.pgtol ?? 1e-3,
      ftol: options.ftol ?? 1e7 * 2.220446049250313e-16,
      maxIter: options.maxIter ?? 500,
    });
    iterations += res.iterations;
    evaluations += res.evaluations;
    if (best === undefined || res.f < best.f) {
      best = {
        theta: res.x,
        f: res.f,
        converged: res.converged,
        message: res.message,
        usedInit: s === 0 && init !== undefined,
      };
    }
    if (Number.isFinite(res.f) && res.status !== 'nonFiniteStart') break;
  }
  const chosen = best!;
  // Re-evaluate at the chosen point so the reported parts belong to it.
  const fitted = kernelParamsFromLog(chosen.theta, defaultKernelParams(d));
  const check = new Float64Array(size);
  const f = objective(chosen.theta, check);
  if (!Number.isFinite(f)) {
    throw new NumericalError('fitKernelParams: the log marginal likelihood is not finite at any start.');
  }
  return {
    params: fitted,
    logMarginalLikelihood: lastLml,
    logPrior: lastPrior,
    converged: chosen.converged,
    iterations,
    evaluations,
    usedInit: chosen.usedInit,
    message: chosen.message,
  };
}
