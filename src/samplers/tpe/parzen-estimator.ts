/**
 * The Parzen estimator of TPE: a weighted mixture with one kernel per observation plus a prior
 * kernel, over a transformed space (log scale for log parameters).
 *
 * Notation:
 *   n  — kernels (observations, then the prior), k indexes them
 *   d  — dimensions, j indexes them
 *   obs        Float64Array (nObs × d), row-major: transformed observations
 *   mu, sigma  Float64Array (n × d): kernel centres and widths of numeric dimensions
 *   logNorm    Float64Array (n): log weight of kernel k plus the normalising constants of its
 *              continuous dimensions (−log σ − log √2π − log mass on [lo, hi])
 *   catLogP[j] Float64Array (n × C_j): log probability of each choice under kernel k
 * Numeric dimensions are truncated normals on [lo, hi]; a discrete one (step > 0: ints and
 * stepped floats, whose [lo, hi] is widened by half a step) puts on each grid point the normal
 * mass of [x − step/2, x + step/2]. Categorical dimensions are weighted histograms.
 * @module
 */
import type { Rng } from '../../core/rng.js';
import { logGaussMass, truncnormPpf } from '../../math/special/index.js';

/** One dimension of the estimator's space. */
export type ParzenDim =
  | {
      readonly kind: 'numeric';
      /** Domain in the transformed space (widened by step/2 for discrete dimensions). */
      readonly lo: number;
      readonly hi: number;
      /** Grid step in the transformed space; 0 for a continuous dimension. */
      readonly step: number;
    }
  | { readonly kind: 'categorical'; readonly nChoices: number };

/** Settings of the estimator (TPE's options). */
export interface ParzenOptions {
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
}

const LOG_SQRT_2PI = 0.9189385332046728;

/** A fitted mixture; see the module notation. */
export class ParzenEstimator {
  readonly n: number;
  readonly d: number;
  private readonly dims: readonly ParzenDim[];
  private readonly mu: Float64Array;
  private readonly invSigma: Float64Array;
  private readonly sigma: Float64Array;
  private readonly logNorm: Float64Array;
  private readonly logDiscreteNorm: Float64Array;
  private readonly catLogP: Array<Float64Array | null>;
  private readonly cumWeights: Float64Array;
  private readonly scratch: Float64Array;
  private readonly hasDiscrete: boolean;

  /**
   * @param obs transformed observations, (nObs × d) row-major.
   * @param weights one weight per observation (≥ 0); the prior kernel gets `priorWeight`.
   */
  constructor(
    dims: readonly ParzenDim[],
    obs: Float64Array,
    nObs: number,
    weights: Float64Array,
    options: ParzenOptions,
  ) {
    const d = dims.length;
    const n = nObs + 1;
    this.n = n;
    this.d = d;
    this.dims = dims;
    this.mu = new Float64Array(n * d);
    this.sigma = new Float64Array(n * d);
    this.invSigma = new Float64Array(n * d);
    this.logNorm = new Float64Array(n);
    this.logDiscreteNorm = new Float64Array(n * d);
    this.catLogP = dims.map((dim) =>
      dim.kind === 'categorical' ? new Float64Array(n * dim.nChoices) : null,
    );
    this.cumWeights = new Float64Array(n);
    this.scratch = new Float64Array(n);
    this.hasDiscrete = dims.some((dim) => dim.kind === 'numeric' && dim.step > 0);

    let total = options.priorWeight;
    for (let k = 0; k < nObs; k++) total += weights[k]!;
    let acc = 0;
    for (let k = 0; k < n; k++) {
      const w = (k < nObs ? weights[k]! : options.priorWeight) / total;
      acc += w;
      this.cumWeights[k] = acc;
      this.logNorm[k] = Math.log(w);
    }

    for (let j = 0; j < d; j++) {
      const dim = dims[j]!;
      if (dim.kind === 'categorical') this.fitCategorical(j, dim.nChoices, obs, nObs, options.priorWeight);
      else this.fitNumeric(j, dim, obs, nObs, options);
    }
  }

  private fitCategorical(j: number, c: number, obs: Float64Array, nObs: number, priorWeight: number): void {
    const table = this.catLogP[j]!;
    const d = this.d;
    // Every kernel spreads priorWeight / n over each choice, then adds 1 on its observed choice.
    const base = priorWeight / this.n;
    const norm = 1 + c * base;
    for (let k = 0; k < nObs; k++) {
      const chosen = obs[k * d + j]!;
      for (let ci = 0; ci < c; ci++) table[k * c + ci] = Math.log((base + (ci === chosen ? 1 : 0)) / norm);
    }
    const uniform = -Math.log(c);
    for (let ci = 0; ci < c; ci++) table[nObs * c + ci] = uniform;
  }

  private fitNumeric(
    j: number,
    dim: Extract<ParzenDim, { kind: 'numeric' }>,
    obs: Float64Array,
    nObs: number,
    options: ParzenOptions,
  ): void {
    const { lo, hi } = dim;
    const d = this.d;
    const n = this.n;
    const width = hi - lo;
    for (let k = 0; k < nObs; k++) this.mu[k * d + j] = obs[k * d + j]!;
    this.mu[nObs * d + j] = 0.5 * (lo + hi);

    this.neighbourSigmas(j, lo, hi, nObs, options.considerEndpoints);
    const maxSigma = width;
    const minSigma = options.considerMagicClip ? width / Math.min(100, 1 + n) : 1e-12;
    for (let k = 0; k < nObs; k++) {
      const i = k * d + j;
      this.sigma[i] = Math.min(maxSigma, Math.max(minSigma, this.sigma[i]!));
    }
    this.sigma[nObs * d + j] = width;

    for (let k = 0; k < n; k++) {
      const i = k * d + j;
      const m = this.mu[i]!;
      const s = this.sigma[i]!;
      this.invSigma[i] = 1 / s;
      const logMass = logGaussMass((lo - m) / s, (hi - m) / s);
      if (dim.step > 0) this.logDiscreteNorm[i] = logMass;
      else this.logNorm[k]! -= Math.log(s) + LOG_SQRT_2PI + logMass;
    }
  }

  /**
   * Each kernel as wide as the larger gap to its neighbours among the observations (the bounds
   * count as neighbours of the outermost ones only with `considerEndpoints`).
   */
  private neighbourSigmas(j: number, lo: number, hi: number, nObs: number, endpoints: boolean): void {
    const d = this.d;
    const m = nObs;
    if (m === 0) return;
    const order = Array.from({ length: m }, (_, k) => k);
    order.sort((a, b) => this.mu[a * d + j]! - this.mu[b * d + j]!);
    const sorted = order.map((k) => this.mu[k * d + j]!);
    const sig = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const left = sorted[i]! - (i === 0 ? lo : sorted[i - 1]!);
      const right = (i === m - 1 ? hi : sorted[i + 1]!) - sorted[i]!;
      sig[i] = Math.max(left, right);
    }
    if (!endpoints && m >= 2) {
      sig[0] = sorted[1]! - sorted[0]!;
      sig[m - 1] = sorted[m - 1]! - sorted[m - 2]!;
    }
    for (let i = 0; i < m; i++) {
      this.sigma[order[i]! * d + j] = sig[i]!;
    }
  }

  /** Draws `count` points, (count × d) row-major, into `out` (transformed values; discrete ones unrounded). */
  sample(rng: Rng, count: number, out: Float64Array): Float64Array {
    const d = this.d;
    for (let i = 0; i < count; i++) {
      const k = this.pickKernel(rng.random());
      for (let j = 0; j < d; j++) {
        const dim = this.dims[j]!;
        if (dim.kind === 'categorical') {
          const table = this.catLogP[j]!;
          const c = dim.nChoices;
          let u = rng.random();
          let ci = 0;
          for (; ci < c - 1; ci++) {
            u -= Math.exp(table[k * c + ci]!);
            if (u < 0) break;
          }
          out[i * d + j] = ci;
        } else {
          const m = this.mu[k * d + j]!;
          const s = this.sigma[k * d + j]!;
          let x = truncnormPpf(rng.random(), m, s, dim.lo, dim.hi);
          if (!Number.isFinite(x)) x = Math.min(dim.hi, Math.max(dim.lo, m));
          out[i * d + j] = x;
        }
      }
    }
    return out;
  }

  private pickKernel(u: number): number {
    const cw = this.cumWeights;
    let lo = 0;
    let hi = cw.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cw[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Log density of each of `count` points ((count × d) row-major, discrete values on their
   * grid) into `out`.
   */
  logPdf(points: Float64Array, count: number, out: Float64Array): Float64Array {
    const d = this.d;
    const n = this.n;
    const s = this.scratch;
    const mu = this.mu;
    const inv = this.invSigma;
    for (let i = 0; i < count; i++) {
      const base = i * d;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        let acc = this.logNorm[k]!;
        const off = k * d;
        for (let j = 0; j < d; j++) {
          const dim = this.dims[j]!;
          if (dim.kind === 'numeric') {
            if (dim.step === 0) {
              const z = (points[base + j]! - mu[off + j]!) * inv[off + j]!;
              acc -= 0.5 * z * z;
            } else {
              const x = points[base + j]!;
              const m = mu[off + j]!;
              const w = inv[off + j]!;
              acc +=
                logGaussMass((x - 0.5 * dim.step - m) * w, (x + 0.5 * dim.step - m) * w) -
                this.logDiscreteNorm[off + j]!;
            }
          } else {
            acc += this.catLogP[j]![k * dim.nChoices + points[base + j]!]!;
          }
        }
        s[k] = acc;
        if (acc > max) max = acc;
      }
      if (max === Number.NEGATIVE_INFINITY) {
        out[i] = max;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(s[k]! - max);
      out[i] = max + Math.log(sum);
    }
    return out;
  }

  /** Whether some dimension is discrete (its log-density then costs more). */
  get discrete(): boolean {
    return this.hasDiscrete;
  }
}
