/**
 * The Parzen estimator of TPE: a weighted mixture with one kernel per observation plus a prior
 * kernel, over a transformed space (log scale for log parameters).
 *
 * Notation:
 *   n  — kernels (observations, then the prior), k indexes them
 *   d  — dimensions, j indexes them
 *   obs        Float64Array (nObs × d), row-major: transformed observations
 *   mu, sigma  Float64Array (d × n), dimension-major: kernel centres and widths of numeric
 *              dimensions (row j holds dimension j for every kernel, so inner loops run over k)
 *   logNorm    Float64Array (n): log weight of kernel k plus the normalising constants of its
 *              continuous dimensions (−log σ − log √2π − log mass on [lo, hi])
 *   catLogP[j] Float64Array (n × C_j): log probability of each choice under kernel k
 * Numeric dimensions are truncated normals on [lo, hi]; a discrete one (step > 0: ints and
 * stepped floats, whose [lo, hi] is widened by half a step) puts on each grid point the normal
 * mass of [x − step/2, x + step/2]. Categorical dimensions are weighted histograms.
 * @module
 */
import type { Rng } from '../../core/rng.js';
import { logGaussMass, ndtr, truncnormSample } from '../../math/special/index.js';

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

/** log √(2π). */
export const LOG_SQRT_2PI = 0.9189385332046728;

/** Below this many kernels {@link ParzenEstimator.logPdf} computes every term. */
const PRUNE_MIN_KERNELS = 32;

/**
 * log(Φ(b) − Φ(a)) with shortcuts for kernels far from one or both bounds (Φ(−8.5) < 1e−17, so
 * the far side changes nothing in double precision); the general case is `logGaussMass`.
 */
export function logMassFast(a: number, b: number): number {
  if (a < -8.5) {
    if (b > 8.5) return 0;
    if (b > -5) return Math.log(ndtr(b));
  } else if (b > 8.5 && a < 5) {
    return Math.log(ndtr(-a));
  }
  return logGaussMass(a, b);
}

/** A fitted mixture; see the module notation. */
export class ParzenEstimator {
  readonly n: number;
  readonly d: number;
  private readonly dims: readonly ParzenDim[];
  private readonly mu: Float64Array;
  private readonly invSigma: Float64Array;
  /** −1 / (2σ²) per kernel and dimension, (d × n). */
  private readonly negHalfInvVar: Float64Array;
  /** Running product of each kernel's continuous σ's, folded into logNorm after fitting. */
  private readonly sigmaProduct: Float64Array;
  private readonly sigma: Float64Array;
  private readonly logNorm: Float64Array;
  private readonly logDiscreteNorm: Float64Array;
  private readonly catLogP: Array<Float64Array | null>;
  private readonly cumWeights: Float64Array;
  private readonly hasDiscrete: boolean;
  /** Per dimension: 0 continuous, 1 discrete, 2 categorical. */
  private readonly kind: Int8Array;
  private readonly allContinuous: boolean;
  private muK: Float64Array | null = null;
  private nhK: Float64Array | null = null;

  /**
   * @param obs transformed observations, (nObs × d) row-major.
   * @param weights one weight per observation (≥ 0); the prior kernel gets `priorWeight`.
   * @param orders optional, per dimension: the observations' indices sorted by value (callers that
   *   know the order pass it to skip a sort per dimension).
   */
  constructor(
    dims: readonly ParzenDim[],
    obs: Float64Array,
    nObs: number,
    weights: Float64Array,
    options: ParzenOptions,
    orders?: ReadonlyArray<Int32Array | null>,
  ) {
    const d = dims.length;
    const n = nObs + 1;
    this.n = n;
    this.d = d;
    this.dims = dims;
    this.mu = new Float64Array(n * d);
    this.sigma = new Float64Array(n * d);
    this.invSigma = new Float64Array(n * d);
    this.negHalfInvVar = new Float64Array(n * d);
    this.sigmaProduct = new Float64Array(n).fill(1);
    this.logNorm = new Float64Array(n);
    this.logDiscreteNorm = new Float64Array(n * d);
    this.kind = new Int8Array(d);
    this.catLogP = dims.map((dim) =>
      dim.kind === 'categorical' ? new Float64Array(n * dim.nChoices) : null,
    );
    this.cumWeights = new Float64Array(n);
    this.hasDiscrete = dims.some((dim) => dim.kind === 'numeric' && dim.step > 0);
    this.allContinuous = dims.every((dim) => dim.kind === 'numeric' && dim.step === 0);

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
      this.kind[j] = dim.kind === 'categorical' ? 2 : dim.step > 0 ? 1 : 0;
      if (dim.kind === 'categorical') this.fitCategorical(j, dim.nChoices, obs, nObs, options.priorWeight);
      else this.fitNumeric(j, dim, obs, nObs, options, orders?.[j] ?? null);
    }
    for (let k = 0; k < n; k++)
      if (this.sigmaProduct[k] !== 1) this.logNorm[k]! -= Math.log(this.sigmaProduct[k]!);
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
    order: Int32Array | null,
  ): void {
    const { lo, hi } = dim;
    const d = this.d;
    const n = this.n;
    const row = j * n;
    const width = hi - lo;
    for (let k = 0; k < nObs; k++) this.mu[row + k] = obs[k * d + j]!;
    this.mu[row + nObs] = 0.5 * (lo + hi);
    if (order !== null) this.orderedSigmas(row, lo, hi, nObs, options.considerEndpoints, order);
    else this.neighbourSigmas(row, lo, hi, nObs, options.considerEndpoints);
    const maxSigma = width;
    const minSigma = options.considerMagicClip ? width / Math.min(100, 1 + n) : 1e-12;
    for (let k = 0; k < nObs; k++) {
      const i = row + k;
      this.sigma[i] = Math.min(maxSigma, Math.max(minSigma, this.sigma[i]!));
    }
    this.sigma[row + nObs] = width;

    for (let k = 0; k < n; k++) {
      const i = row + k;
      const m = this.mu[i]!;
      const s = this.sigma[i]!;
      this.invSigma[i] = 1 / s;
      this.negHalfInvVar[i] = -0.5 / (s * s);
      const a = (lo - m) / s;
      const b = (hi - m) / s;
      const logMass = logMassFast(a, b);
      if (dim.step > 0) this.logDiscreteNorm[i] = logMass;
      else {
        // log σ is folded in once per kernel from a running product (see finishNorms).
        this.logNorm[k]! -= LOG_SQRT_2PI + logMass;
        let p = this.sigmaProduct[k]! * s;
        if (p < 1e-200 || p > 1e200) {
          this.logNorm[k]! -= Math.log(p);
          p = 1;
        }
        this.sigmaProduct[k] = p;
      }
    }
  }

  /**
   * Each kernel as wide as the larger gap to its neighbours among the observations (the bounds
   * count as neighbours of the outermost ones only with `considerEndpoints`). Equal values keep
   * their index order. Used when the caller passes no sorted order.
   */
  private neighbourSigmas(row: number, lo: number, hi: number, m: number, endpoints: boolean): void {
    if (m === 0) return;
    const mu = this.mu;
    const before = (a: number, b: number): number => mu[row + a]! - mu[row + b]! || a - b;
    const order = Int32Array.from({ length: m }, (_, k) => k);
    if (m <= 32) {
      // Insertion sort: the same order (a total order: ties by index), faster for a few.
      for (let i = 1; i < m; i++) {
        const k = order[i]!;
        let p = i - 1;
        while (p >= 0 && before(order[p]!, k) > 0) {
          order[p + 1] = order[p]!;
          p--;
        }
        order[p + 1] = k;
      }
    } else order.sort(before);
    this.orderedSigmas(row, lo, hi, m, endpoints, order);
  }

  /** {@link neighbourSigmas} when the sorted order of the observations is known. */
  private orderedSigmas(
    row: number,
    lo: number,
    hi: number,
    m: number,
    endpoints: boolean,
    order: Int32Array,
  ): void {
    if (m === 0) return;
    const mu = this.mu;
    for (let i = 0; i < m; i++) {
      const k = order[i]!;
      const v = mu[row + k]!;
      let sig: number;
      if (!endpoints && m >= 2 && i === 0) sig = mu[row + order[1]!]! - v;
      else if (!endpoints && m >= 2 && i === m - 1) sig = v - mu[row + order[m - 2]!]!;
      else {
        const left = v - (i === 0 ? lo : mu[row + order[i - 1]!]!);
        const right = (i === m - 1 ? hi : mu[row + order[i + 1]!]!) - v;
        sig = Math.max(left, right);
      }
      this.sigma[row + k] = sig;
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
          const m = this.mu[j * this.n + k]!;
          const s = this.sigma[j * this.n + k]!;
          let x = truncnormSample(rng.random(), m, s, dim.lo, dim.hi);
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
    if (!this.hasDiscrete && this.n >= PRUNE_MIN_KERNELS) return this.logPdfPruned(points, count, out);
    return this.logPdfDense(points, count, out);
  }

  /**
   * {@link logPdf} computing every kernel's term: the reference the pruned path must equal
   * bit for bit. @internal
   */
  logPdfDense(points: Float64Array, count: number, out: Float64Array): Float64Array {
    const d = this.d;
    const n = this.n;
    const mu = this.mu;
    const inv = this.invSigma;
    const nh = this.negHalfInvVar;
    const kind = this.kind;
    // acc is (n × count): each kernel's log term for every point, contiguous over points so that
    // the innermost loop reuses one kernel's centre and width for all points.
    const acc = new Float64Array(n * count);
    for (let k = 0; k < n; k++) acc.fill(this.logNorm[k]!, k * count, (k + 1) * count);
    const xj = new Float64Array(count);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < count; i++) xj[i] = points[i * d + j]!;
      const row = j * n;
      const kj = kind[j]!;
      if (kj === 0) {
        for (let k = 0; k < n; k++) {
          const m = mu[row + k]!;
          const h = nh[row + k]!;
          const base = k * count;
          for (let i = 0; i < count; i++) {
            const u = xj[i]! - m;
            acc[base + i]! += h * u * u;
          }
        }
      } else if (kj === 1) {
        const half = 0.5 * (this.dims[j] as { step: number }).step;
        for (let k = 0; k < n; k++) {
          const m = mu[row + k]!;
          const w = inv[row + k]!;
          const norm = this.logDiscreteNorm[row + k]!;
          const base = k * count;
          for (let i = 0; i < count; i++) {
            acc[base + i]! += logGaussMass((xj[i]! - half - m) * w, (xj[i]! + half - m) * w) - norm;
          }
        }
      } else {
        const table = this.catLogP[j]!;
        const c = (this.dims[j] as { nChoices: number }).nChoices;
        for (let k = 0; k < n; k++) {
          const base = k * count;
          for (let i = 0; i < count; i++) acc[base + i]! += table[k * c + xj[i]!]!;
        }
      }
    }
    for (let i = 0; i < count; i++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) if (acc[k * count + i]! > max) max = acc[k * count + i]!;
      if (max === Number.NEGATIVE_INFINITY) {
        out[i] = max;
        continue;
      }
      // Terms more than 40 nats below the largest add less than 1e-17 relative: skip their exp.
      const floor = max - 40;
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const v = acc[k * count + i]!;
        if (v > floor) sum += Math.exp(v - max);
      }
      out[i] = max + Math.log(sum);
    }
    return out;
  }

  /**
   * {@link logPdfDense} without the kernels that cannot matter, equal to it bit for bit. Every
   * continuous or categorical term is ≤ 0, so a kernel's partial sum only decreases as dimensions
   * are added (rounding is monotone: fl(a + t) ≤ a for t ≤ 0). Once it is ≤ L − 40, with L the
   * largest complete log term found so far (a lower bound of the maximum), the kernel is one the
   * dense path skips in its sum (its term is ≤ max − 40), so it is dropped there. The kernels kept
   * are summed in the same order with the same terms, hence the same result. Estimators with
   * discrete dimensions (whose terms may round above 0) take the dense path.
   */
  private logPdfPruned(points: Float64Array, count: number, out: Float64Array): Float64Array {
    const d = this.d;
    const n = this.n;
    const { muK, nhK } = this.kernelMajor();
    const logNorm = this.logNorm;
    const kind = this.kind;
    const allContinuous = this.allContinuous;
    const vals = new Float64Array(n);
    const x = new Float64Array(d);
    const cat = this.catLogP;
    const nChoices = this.dims.map((dim) => (dim.kind === 'categorical' ? dim.nChoices : 0));
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < d; j++) x[j] = points[i * d + j]!;
      // The prior kernel (the last, as wide as the domain) first: a good lower bound of the maximum.
      let max = Number.NEGATIVE_INFINITY;
      let floor = Number.NEGATIVE_INFINITY;
      const order0 = n - 1;
      for (let r = 0; r <= n; r++) {
        const k = r === 0 ? order0 : r - 1;
        if (r > 0 && k === order0) continue;
        let a = logNorm[k]!;
        const base = k * d;
        let dropped = a <= floor;
        if (allContinuous) {
          for (let j = 0; j < d && !dropped; j++) {
            const u = x[j]! - muK[base + j]!;
            a += nhK[base + j]! * u * u;
            dropped = a <= floor;
          }
        } else {
          for (let j = 0; j < d && !dropped; j++) {
            if (kind[j] === 0) {
              const u = x[j]! - muK[base + j]!;
              a += nhK[base + j]! * u * u;
            } else {
              a += cat[j]![k * nChoices[j]! + x[j]!]!;
            }
            dropped = a <= floor;
          }
        }
        if (dropped) {
          vals[k] = Number.NEGATIVE_INFINITY;
          continue;
        }
        vals[k] = a;
        if (a > max) {
          max = a;
          floor = max - 40;
        }
      }
      if (max === Number.NEGATIVE_INFINITY) {
        out[i] = max;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const v = vals[k]!;
        if (v > floor) sum += Math.exp(v - max);
      }
      out[i] = max + Math.log(sum);
    }
    return out;
  }

  /** Kernel-major (n × d) copies of the centres and −1/(2σ²), built on first use. */
  private kernelMajor(): { muK: Float64Array; nhK: Float64Array } {
    if (this.muK === null || this.nhK === null) {
      const { n, d } = this;
      const muK = new Float64Array(n * d);
      const nhK = new Float64Array(n * d);
      for (let j = 0; j < d; j++) {
        const row = j * n;
        for (let k = 0; k < n; k++) {
          muK[k * d + j] = this.mu[row + k]!;
          nhK[k * d + j] = this.negHalfInvVar[row + k]!;
        }
      }
      this.muK = muK;
      this.nhK = nhK;
    }
    return { muK: this.muK, nhK: this.nhK };
  }

  /** Whether some dimension is discrete (its log-density then costs more). */
  get discrete(): boolean {
    return this.hasDiscrete;
  }
}
