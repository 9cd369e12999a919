/**
 * Acquisition functions over the encoded unit box, as the optimiser sees them: values at a batch
 * of points and the value with its gradient at one point. The GP sampler uses log expected
 * improvement of the posterior over the best standardized observation (maximisation).
 *
 * Notation: D encoded columns; X is m×D row-major. For log EI, with posterior N(μ(x), v(x)) and
 * threshold y* (the best standardized value), a(x) = log EI(μ, v; y*), and by the chain rule
 * ∇a = ∂a/∂μ·∇μ + ∂a/∂v·∇v.
 * @module
 */

import {
  createPosteriorWorkspace,
  type GpPosteriorState,
  gpPosteriorWithGradient,
  logExpectedImprovement,
  logExpectedImprovementWithGradient,
  type PosteriorWorkspace,
} from '../../math/gp/index.js';
import {
  type BatchPosteriorWorkspace,
  createBatchPosteriorWorkspace,
  gpPosteriorBatch,
} from '../../math/gp/posterior-batch.js';

/** A function to maximise over the encoded box. */
export interface Acquisition {
  /** D, the length of a point. */
  readonly dim: number;
  /** Values at the m rows of X (m×D) into `out` (length ≥ m). */
  evaluate(X: Float64Array, m: number, out: Float64Array): void;
  /** The value at x (length D); writes its gradient into `gradOut` (length D). */
  evaluateWithGradient(x: Float64Array, gradOut: Float64Array): number;
}

/** log EI of a GP posterior over a threshold (maximisation). */
export class LogEIAcquisition implements Acquisition {
  readonly dim: number;
  private readonly batchWork: BatchPosteriorWorkspace;
  private readonly pointWork: PosteriorWorkspace;
  private mean = new Float64Array(0);
  private variance = new Float64Array(0);
  private readonly mv = new Float64Array(2);
  private readonly dMean: Float64Array;
  private readonly dVariance: Float64Array;
  private readonly one = new Float64Array(1);
  private readonly gMean = new Float64Array(1);
  private readonly gVariance = new Float64Array(1);

  constructor(
    readonly state: GpPosteriorState,
    readonly threshold: number,
  ) {
    this.dim = state.d;
    this.batchWork = createBatchPosteriorWorkspace(state.n);
    this.pointWork = createPosteriorWorkspace(state.n);
    this.dMean = new Float64Array(state.d);
    this.dVariance = new Float64Array(state.d);
  }

  evaluate(X: Float64Array, m: number, out: Float64Array): void {
    if (this.mean.length < m) {
      this.mean = new Float64Array(m);
      this.variance = new Float64Array(m);
    }
    const mean = this.mean.subarray(0, m);
    const variance = this.variance.subarray(0, m);
    gpPosteriorBatch(this.state, X, m, mean, variance, this.batchWork);
    logExpectedImprovement(mean, variance, this.threshold, out.subarray(0, m));
  }

  evaluateWithGradient(x: Float64Array, gradOut: Float64Array): number {
    gpPosteriorWithGradient(this.state, x, this.mv, this.dMean, this.dVariance, this.pointWork);
    logExpectedImprovementWithGradient(
      this.mv.subarray(0, 1),
      this.mv.subarray(1, 2),
      this.threshold,
      this.one,
      this.gMean,
      this.gVariance,
    );
    const gm = this.gMean[0]!;
    const gv = this.gVariance[0]!;
    for (let j = 0; j < this.dim; j++) gradOut[j] = gm * this.dMean[j]! + gv * this.dVariance[j]!;
    return this.one[0]!;
  }
}
