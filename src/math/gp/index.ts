/**
 * Gaussian-process kernels for Bayesian optimisation: the Matérn-5/2 ARD kernel, the log marginal
 * likelihood with gradients and priors, hyperparameter fitting with L-BFGS-B, the posterior, and
 * log expected improvement.
 *
 * @module
 */
export { type FitKernelParamsOptions, type FitKernelParamsResult, fitKernelParams } from './fit.js';
export {
  checkKernelParams,
  copyKernelParams,
  defaultKernelParams,
  type KernelParams,
  kernelParamsFromLog,
  kernelParamsToLog,
} from './kernel-params.js';
export {
  createEhviWorkspace,
  type EhviBoxes,
  type EhviWorkspace,
  ehviBoxes,
  logEhvi,
  logEhviWithGradient,
} from './log-ehvi.js';
export { logExpectedImprovement, logExpectedImprovementWithGradient } from './log-expected-improvement.js';
export { DEFAULT_KERNEL_PRIOR, type GammaPrior, type KernelPrior, kernelLogPrior } from './log-prior.js';
export {
  createLikelihoodWorkspace,
  type LikelihoodWorkspace,
  logMarginalLikelihood,
} from './marginal-likelihood.js';
export {
  matern52,
  matern52CrossKernel,
  matern52Derivative,
  matern52Kernel,
  matern52KernelGradient,
  matern52KernelVjp,
  scaledSquaredDistance,
} from './matern52.js';
export {
  createPosteriorWorkspace,
  type GpPosteriorState,
  gpPosterior,
  gpPosteriorState,
  gpPosteriorWithGradient,
  type PosteriorWorkspace,
} from './posterior.js';
