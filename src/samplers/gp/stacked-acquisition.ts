/**
 * Log expected improvement of a stacked (transfer) GP: the objective is modelled as
 * f(x) = a·μ_s(x) + b + r(x), where μ_s is the posterior mean of a GP fitted to the warm-start
 * sources, a and b scale it to the study's own standardised values, and r is a GP of the
 * residuals of the study's own observations. Its prediction is
 * mean(x) = a·μ_s(x) + b + μ_r(x), variance(x) = v_r(x) + a²·v_s(x),
 * so places neither the sources nor the study have seen stay uncertain. Without own
 * observations the residual GP is its prior: mean 0, variance σ²_r.
 *
 * Notation: D encoded columns; X is m×D row-major; s = source GP, r = residual GP.
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
import type { Acquisition } from './acquisition.js';

/** The stacked model: source GP, its scaling, and the residual GP (null: no own data yet). */
export interface StackedGp {
  readonly source: GpPosteriorState;
  readonly a: number;
  readonly b: number;
  readonly residual: GpPosteriorState | null;
  /** Prior variance of the residual, used while `residual` is null. */
  readonly residualPriorVariance: number;
}

/** Reusable buffers of {@link stackedPosteriorBatch}: the two GPs' workspaces and room (≥ m) for the source's mean and variance. */
export interface StackedBatchScratch {
  readonly source: BatchPosteriorWorkspace;
  readonly residual: BatchPosteriorWorkspace | null;
  readonly ms: Float64Array;
  readonly vs: Float64Array;
}

/** Posterior mean and variance of a {@link StackedGp} at the m rows of X (m×D). */
export function stackedPosteriorBatch(
  model: StackedGp,
  X: Float64Array,
  m: number,
  meanOut: Float64Array,
  varianceOut: Float64Array,
  scratch?: StackedBatchScratch,
): void {
  const ms = scratch === undefined ? new Float64Array(m) : scratch.ms.subarray(0, m);
  const vs = scratch === undefined ? new Float64Array(m) : scratch.vs.subarray(0, m);
  gpPosteriorBatch(model.source, X, m, ms, vs, scratch?.source);
  if (model.residual !== null) {
    gpPosteriorBatch(model.residual, X, m, meanOut, varianceOut, scratch?.residual ?? undefined);
  } else {
    meanOut.fill(0, 0, m);
    varianceOut.fill(model.residualPriorVariance, 0, m);
  }
  const a2 = model.a * model.a;
  for (let i = 0; i < m; i++) {
    meanOut[i] = meanOut[i]! + model.a * ms[i]! + model.b;
    varianceOut[i] = varianceOut[i]! + a2 * vs[i]!;
  }
}

/** log EI of a {@link StackedGp} over a threshold (maximisation). */
export class StackedLogEIAcquisition implements Acquisition {
  readonly dim: number;
  private readonly sourceBatch: BatchPosteriorWorkspace;
  private readonly residualBatch: BatchPosteriorWorkspace | null;
  private readonly sourcePoint: PosteriorWorkspace;
  private readonly residualPoint: PosteriorWorkspace | null;
  private ms = new Float64Array(0);
  private vs = new Float64Array(0);
  private mean = new Float64Array(0);
  private variance = new Float64Array(0);
  private readonly mvS = new Float64Array(2);
  private readonly mvR = new Float64Array(2);
  private readonly dMeanS: Float64Array;
  private readonly dVarS: Float64Array;
  private readonly dMeanR: Float64Array;
  private readonly dVarR: Float64Array;
  private readonly one = new Float64Array(1);
  private readonly m1 = new Float64Array(1);
  private readonly v1 = new Float64Array(1);
  private readonly gMean = new Float64Array(1);
  private readonly gVariance = new Float64Array(1);

  constructor(
    readonly model: StackedGp,
    readonly threshold: number,
  ) {
    const d = model.source.d;
    this.dim = d;
    this.sourceBatch = createBatchPosteriorWorkspace(model.source.n);
    this.sourcePoint = createPosteriorWorkspace(model.source.n);
    this.residualBatch = model.residual === null ? null : createBatchPosteriorWorkspace(model.residual.n);
    this.residualPoint = model.residual === null ? null : createPosteriorWorkspace(model.residual.n);
    this.dMeanS = new Float64Array(d);
    this.dVarS = new Float64Array(d);
    this.dMeanR = new Float64Array(d);
    this.dVarR = new Float64Array(d);
  }

  evaluate(X: Float64Array, m: number, out: Float64Array): void {
    if (this.mean.length < m) {
      this.ms = new Float64Array(m);
      this.vs = new Float64Array(m);
      this.mean = new Float64Array(m);
      this.variance = new Float64Array(m);
    }
    const mean = this.mean.subarray(0, m);
    const variance = this.variance.subarray(0, m);
    stackedPosteriorBatch(this.model, X, m, mean, variance, {
      source: this.sourceBatch,
      residual: this.residualBatch,
      ms: this.ms,
      vs: this.vs,
    });
    logExpectedImprovement(mean, variance, this.threshold, out.subarray(0, m));
  }

  evaluateWithGradient(x: Float64Array, gradOut: Float64Array): number {
    const { model, dim } = this;
    gpPosteriorWithGradient(model.source, x, this.mvS, this.dMeanS, this.dVarS, this.sourcePoint);
    if (model.residual !== null) {
      gpPosteriorWithGradient(model.residual, x, this.mvR, this.dMeanR, this.dVarR, this.residualPoint!);
    } else {
      this.mvR[0] = 0;
      this.mvR[1] = model.residualPriorVariance;
      this.dMeanR.fill(0);
      this.dVarR.fill(0);
    }
    const a = model.a;
    const a2 = a * a;
    this.m1[0] = this.mvR[0]! + a * this.mvS[0]! + model.b;
    this.v1[0] = this.mvR[1]! + a2 * this.mvS[1]!;
    logExpectedImprovementWithGradient(
      this.m1,
      this.v1,
      this.threshold,
      this.one,
      this.gMean,
      this.gVariance,
    );
    const gm = this.gMean[0]!;
    const gv = this.gVariance[0]!;
    for (let j = 0; j < dim; j++) {
      gradOut[j] = gm * (this.dMeanR[j]! + a * this.dMeanS[j]!) + gv * (this.dVarR[j]! + a2 * this.dVarS[j]!);
    }
    return this.one[0]!;
  }
}
