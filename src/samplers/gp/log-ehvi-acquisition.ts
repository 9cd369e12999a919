/**
 * Log expected hypervolume improvement over the encoded box: one independent GP per objective
 * (every objective maximised, standardised), the current front's non-dominated region cut into
 * boxes, and the exact log EHVI of the joint (independent) prediction — see src/math/gp/log-ehvi.
 *
 * Notation: D encoded columns, k objectives; X is m×D row-major; per point the k posterior means
 * and variances; ∇a = Σ_j ∂a/∂μ_j·∇μ_j + ∂a/∂v_j·∇v_j.
 * @module
 */
import {
  createEhviWorkspace,
  type EhviBoxes,
  type EhviWorkspace,
  logEhvi,
  logEhviWithGradient,
} from '../../math/gp/log-ehvi.js';
import {
  createPosteriorWorkspace,
  type GpPosteriorState,
  gpPosteriorWithGradient,
  type PosteriorWorkspace,
} from '../../math/gp/posterior.js';
import {
  type BatchPosteriorWorkspace,
  createBatchPosteriorWorkspace,
  gpPosteriorBatch,
} from '../../math/gp/posterior-batch.js';
import type { Acquisition } from './acquisition.js';

/** log EHVI of k independent GPs over the boxes of the current front. */
export class LogEHVIAcquisition implements Acquisition {
  readonly dim: number;
  private readonly k: number;
  private readonly work: EhviWorkspace;
  private readonly batchWork: BatchPosteriorWorkspace[];
  private readonly pointWork: PosteriorWorkspace[];
  private means: Float64Array[] = [];
  private variances: Float64Array[] = [];
  private readonly mu: Float64Array;
  private readonly v: Float64Array;
  private readonly gMu: Float64Array;
  private readonly gV: Float64Array;
  private readonly mv = new Float64Array(2);
  private readonly dMean: Float64Array[];
  private readonly dVariance: Float64Array[];

  constructor(
    readonly states: readonly GpPosteriorState[],
    readonly boxes: EhviBoxes,
  ) {
    this.k = states.length;
    this.dim = states[0]!.d;
    this.work = createEhviWorkspace(boxes);
    this.batchWork = states.map((s) => createBatchPosteriorWorkspace(s.n));
    this.pointWork = states.map((s) => createPosteriorWorkspace(s.n));
    this.mu = new Float64Array(this.k);
    this.v = new Float64Array(this.k);
    this.gMu = new Float64Array(this.k);
    this.gV = new Float64Array(this.k);
    this.dMean = states.map(() => new Float64Array(this.dim));
    this.dVariance = states.map(() => new Float64Array(this.dim));
  }

  evaluate(X: Float64Array, m: number, out: Float64Array): void {
    if ((this.means[0]?.length ?? 0) < m) {
      this.means = this.states.map(() => new Float64Array(m));
      this.variances = this.states.map(() => new Float64Array(m));
    }
    for (let j = 0; j < this.k; j++) {
      gpPosteriorBatch(
        this.states[j]!,
        X,
        m,
        this.means[j]!.subarray(0, m),
        this.variances[j]!.subarray(0, m),
        this.batchWork[j],
      );
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < this.k; j++) {
        this.mu[j] = this.means[j]![i]!;
        this.v[j] = this.variances[j]![i]!;
      }
      out[i] = logEhvi(this.boxes, this.mu, this.v, this.work);
    }
  }

  evaluateWithGradient(x: Float64Array, gradOut: Float64Array): number {
    for (let j = 0; j < this.k; j++) {
      gpPosteriorWithGradient(
        this.states[j]!,
        x,
        this.mv,
        this.dMean[j]!,
        this.dVariance[j]!,
        this.pointWork[j],
      );
      this.mu[j] = this.mv[0]!;
      this.v[j] = this.mv[1]!;
    }
    const value = logEhviWithGradient(this.boxes, this.mu, this.v, this.gMu, this.gV, this.work);
    gradOut.fill(0, 0, this.dim);
    for (let j = 0; j < this.k; j++) {
      const gm = this.gMu[j]!;
      const gv = this.gV[j]!;
      const dm = this.dMean[j]!;
      const dv = this.dVariance[j]!;
      for (let c = 0; c < this.dim; c++) gradOut[c] = gradOut[c]! + gm * dm[c]! + gv * dv[c]!;
    }
    return value;
  }
}
