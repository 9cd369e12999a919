/**
 * Multinomial (softmax) logistic regression with an L1 or L2 penalty, regularisation strength C
 * as scikit-learn defines it, solved deterministically: L-BFGS-B for L2 (and no penalty),
 * FISTA (accelerated proximal gradient with backtracking and adaptive restart) for L1.
 *
 * The objective (scikit-learn's, divided by n, which does not move the minimiser):
 *   F(W, b) = (1/n)·Σᵢ −log softmax(zᵢ)[yᵢ] + P(W)/(n·C),   zᵢ = W·xᵢ + b,
 *   P(W) = ½‖W‖²_F (l2), ‖W‖₁ (l1, elementwise), 0 (none); intercepts b are not penalised.
 * With two classes the model has one row of weights (class 0 scores 0, class 1 scores w·x + b),
 * which is the binary logistic regression of scikit-learn (same coefficients).
 *
 * Notation: n samples, d features, K classes (sorted labels), R score rows (K, or 1 when K = 2);
 * X is n×d row-major; θ is the flat parameter vector of length R·(d+1), row r = [w_r (d), b_r];
 * Z is K scores and P K probabilities of one sample (buffers of length K).
 *
 * Features are used as given: standardise them first (`StandardScaler`, or `withStandardScaler`
 * for cross-validation), as scikit-learn's documentation advises for these solvers.
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { lbfgsb } from '../../math/optim/lbfgsb.js';
import { accuracy, type Label } from '../metrics.js';
import { encodeLabels, toMatrix } from './matrix.js';

/** The penalties of {@link LogisticRegression}. */
export const LOGISTIC_PENALTIES = ['l1', 'l2', 'none'] as const;
/** One of {@link LOGISTIC_PENALTIES}. */
export type LogisticPenalty = (typeof LOGISTIC_PENALTIES)[number];

/** Options of {@link LogisticRegression}. */
export interface LogisticRegressionOptions {
  /** Default 'l2'. */
  penalty?: LogisticPenalty | undefined;
  /** Inverse regularisation strength (> 0): smaller is stronger, as in scikit-learn. Default 1. */
  C?: number | undefined;
  /**
   * Convergence tolerance on the (projected) gradient of the mean objective: L-BFGS-B's pgtol
   * for l2, the gradient mapping's largest entry for l1. Default 1e-6 (l2), 1e-5 (l1).
   */
  tol?: number | undefined;
  /** Iteration limit. Default 1000 (l2), 20000 (l1). */
  maxIter?: number | undefined;
  /** Fit intercepts (unpenalised). Default true. */
  fitIntercept?: boolean | undefined;
}

/** The loss part of F: (1/n)·Σ log-loss, its gradient written into `g` (length R·(d+1)). */
function smoothLoss(
  theta: Float64Array,
  g: Float64Array,
  x: Float64Array,
  codes: Int32Array,
  n: number,
  d: number,
  k: number,
  z: Float64Array,
): number {
  const rows = k === 2 ? 1 : k;
  const stride = d + 1;
  g.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      if (k > 2 || c === 1) {
        const r = k === 2 ? 0 : c;
        const o = r * stride;
        s = theta[o + d]!;
        for (let j = 0; j < d; j++) s += theta[o + j]! * x[xi + j]!;
      }
      z[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(z[c]! - max);
    const lse = max + Math.log(sum);
    const yi = codes[i]!;
    loss += lse - z[yi]!;
    for (let r = 0; r < rows; r++) {
      const c = k === 2 ? 1 : r;
      const resid = Math.exp(z[c]! - lse) - (c === yi ? 1 : 0);
      const o = r * stride;
      for (let j = 0; j < d; j++) g[o + j]! += resid * x[xi + j]!;
      g[o + d]! += resid;
    }
  }
  const inv = 1 / n;
  for (let p = 0; p < g.length; p++) g[p]! *= inv;
  return loss * inv;
}

/**
 * Multinomial logistic regression (binary when there are two classes) with an L1 or L2 penalty.
 * Implements `fit`/`predict`/`predictProba` for `searchCV` and `crossValidate`.
 * @example
 * ```ts
 * const scaler = new StandardScaler().fit(train.x);
 * const model = new LogisticRegression({ penalty: 'l1', C: 0.1 }).fit(scaler.transform(train.x), train.y);
 * model.score(scaler.transform(test.x), test.y); // accuracy
 * ```
 */
export class LogisticRegression {
  readonly penalty: LogisticPenalty;
  readonly C: number;
  readonly tol: number;
  readonly maxIter: number;
  readonly fitIntercept: boolean;
  /** The sorted class labels (columns of `predictProba`). */
  classes: Label[] = [];
  /** Weights: K rows (1 row for two classes) of d numbers. */
  coef: number[][] = [];
  /** Intercepts, one per row of `coef` (for K > 2 centred to sum to zero, which changes no prediction). */
  intercept: number[] = [];
  /** Iterations the solver took. */
  nIter = 0;
  /** Whether the solver met its tolerance. */
  converged = false;
  private d = 0;

  constructor(options: LogisticRegressionOptions = {}) {
    this.penalty = options.penalty ?? 'l2';
    if (!LOGISTIC_PENALTIES.includes(this.penalty)) {
      throw new InvalidArgumentError(
        `LogisticRegression: unknown penalty '${String(this.penalty)}'; choose one of ${LOGISTIC_PENALTIES.join(', ')}.`,
      );
    }
    this.C = options.C ?? 1;
    if (!(this.C > 0) || !Number.isFinite(this.C)) {
      throw new InvalidArgumentError(
        `LogisticRegression: C must be a positive number, got ${String(this.C)}.`,
      );
    }
    this.tol = options.tol ?? (this.penalty === 'l1' ? 1e-5 : 1e-6);
    if (!(this.tol > 0))
      throw new InvalidArgumentError(`LogisticRegression: tol must be > 0, got ${this.tol}.`);
    this.maxIter = options.maxIter ?? (this.penalty === 'l1' ? 20000 : 1000);
    if (!Number.isInteger(this.maxIter) || this.maxIter < 1) {
      throw new InvalidArgumentError(
        `LogisticRegression: maxIter must be an integer ≥ 1, got ${this.maxIter}.`,
      );
    }
    this.fitIntercept = options.fitIntercept ?? true;
  }

  /** Fits the model to rows `x` and labels `y` (at least two classes). */
  fit(x: readonly (readonly number[])[], y: readonly Label[]): this {
    const { data, n, d } = toMatrix(x, 'LogisticRegression.fit');
    const { classes, codes } = encodeLabels(y, n, 'LogisticRegression.fit');
    const k = classes.length;
    if (k < 2) {
      throw new InvalidArgumentError(
        `LogisticRegression.fit: y has a single class (${String(classes[0])}); it needs at least two.`,
      );
    }
    const rows = k === 2 ? 1 : k;
    const stride = d + 1;
    const size = rows * stride;
    const z = new Float64Array(k);
    const lambda = this.penalty === 'none' ? 0 : 1 / (n * this.C);
    let theta: Float64Array;
    if (this.penalty === 'l1') {
      theta = this.fista(data, codes, n, d, k, z, lambda);
    } else {
      const lower = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
      const upper = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
      if (!this.fitIntercept)
        for (let r = 0; r < rows; r++) lower[r * stride + d] = upper[r * stride + d] = 0;
      const res = lbfgsb(
        (t, g) => {
          let f = smoothLoss(t, g, data, codes, n, d, k, z);
          if (lambda > 0) {
            for (let r = 0; r < rows; r++) {
              for (let j = 0; j < d; j++) {
                const w = t[r * stride + j]!;
                f += 0.5 * lambda * w * w;
                g[r * stride + j]! += lambda * w;
              }
            }
          }
          if (!this.fitIntercept) for (let r = 0; r < rows; r++) g[r * stride + d] = 0;
          return f;
        },
        new Float64Array(size),
        { lower, upper, pgtol: this.tol, factr: 10, maxIter: this.maxIter, maxFun: 10 * this.maxIter },
      );
      theta = res.x;
      this.nIter = res.iterations;
      this.converged = res.converged || res.projectedGradientNorm <= 10 * this.tol;
    }
    this.classes = classes;
    this.d = d;
    this.coef = [];
    this.intercept = [];
    for (let r = 0; r < rows; r++) {
      this.coef.push(Array.from(theta.subarray(r * stride, r * stride + d)));
      this.intercept.push(theta[r * stride + d]!);
    }
    if (rows > 1 && this.fitIntercept) {
      const mean = this.intercept.reduce((a, b) => a + b, 0) / rows;
      this.intercept = this.intercept.map((b) => b - mean);
    }
    return this;
  }

  /**
   * FISTA on F = smooth + λ‖W‖₁: a backtracking step 1/L (L halved before each step, then
   * doubled until the quadratic bound holds: the curvature falls as the probabilities
   * saturate), the soft-threshold prox on the weights (not the intercepts), and a momentum
   * restart whenever F increases.
   */
  private fista(
    x: Float64Array,
    codes: Int32Array,
    n: number,
    d: number,
    k: number,
    z: Float64Array,
    lambda: number,
  ): Float64Array {
    const rows = k === 2 ? 1 : k;
    const stride = d + 1;
    const size = rows * stride;
    const cur = new Float64Array(size);
    const prev = new Float64Array(size);
    const yv = new Float64Array(size);
    const next = new Float64Array(size);
    const gy = new Float64Array(size);
    const gNext = new Float64Array(size);
    const l1 = (t: Float64Array) => {
      let s = 0;
      for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) s += Math.abs(t[r * stride + j]!);
      return s;
    };
    let lip = 1;
    let tk = 1;
    let fCur = smoothLoss(cur, gNext, x, codes, n, d, k, z) + lambda * l1(cur);
    this.converged = false;
    let iter = 0;
    for (; iter < this.maxIter; iter++) {
      const fy = smoothLoss(yv, gy, x, codes, n, d, k, z);
      // The local curvature shrinks as the probabilities saturate: try a longer step first.
      lip = Math.max(lip * 0.5, 1e-12);
      let fNextSmooth = 0;
      for (;;) {
        const step = 1 / lip;
        let lin = 0;
        let sq = 0;
        for (let p = 0; p < size; p++) {
          let v = yv[p]! - step * gy[p]!;
          const isIntercept = p % stride === d;
          if (isIntercept) {
            if (!this.fitIntercept) v = 0;
          } else {
            const thr = step * lambda;
            v = v > thr ? v - thr : v < -thr ? v + thr : 0;
          }
          next[p] = v;
          const diff = v - yv[p]!;
          lin += gy[p]! * diff;
          sq += diff * diff;
        }
        fNextSmooth = smoothLoss(next, gNext, x, codes, n, d, k, z);
        if (fNextSmooth <= fy + lin + 0.5 * lip * sq + 1e-12 * Math.abs(fy) || lip > 1e12) break;
        lip *= 2;
      }
      // Gradient mapping of the step just taken: L·(y − x₊).
      let gm = 0;
      for (let p = 0; p < size; p++) gm = Math.max(gm, Math.abs(lip * (yv[p]! - next[p]!)));
      const fNext = fNextSmooth + lambda * l1(next);
      prev.set(cur);
      cur.set(next);
      if (gm <= this.tol) {
        this.converged = true;
        fCur = fNext;
        iter++;
        break;
      }
      if (fNext > fCur) {
        // Adaptive restart (O'Donoghue & Candès, 2015): drop the momentum.
        tk = 1;
        yv.set(cur);
      } else {
        const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
        const beta = (tk - 1) / tNext;
        for (let p = 0; p < size; p++) yv[p] = cur[p]! + beta * (cur[p]! - prev[p]!);
        tk = tNext;
      }
      fCur = fNext;
    }
    this.nIter = iter;
    return cur;
  }

  private check(x: readonly (readonly number[])[], what: string) {
    if (this.coef.length === 0)
      throw new InvalidArgumentError(`LogisticRegression.${what}: call fit() first.`);
    return toMatrix(x, `LogisticRegression.${what}`, this.d);
  }

  /** The K class scores of each row (for two classes: [0, w·x + b]). */
  decisionFunction(x: readonly (readonly number[])[]): number[][] {
    const { data, n, d } = this.check(x, 'decisionFunction');
    const k = this.classes.length;
    const out: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row = new Array<number>(k).fill(0);
      for (let r = 0; r < this.coef.length; r++) {
        const w = this.coef[r]!;
        let s = this.intercept[r]!;
        for (let j = 0; j < d; j++) s += w[j]! * data[i * d + j]!;
        row[k === 2 ? 1 : r] = s;
      }
      out.push(row);
    }
    return out;
  }

  /** Class probabilities, one row per sample, columns in the order of `classes`. */
  predictProba(x: readonly (readonly number[])[]): number[][] {
    return this.decisionFunction(x).map((z) => {
      const max = Math.max(...z);
      const e = z.map((s) => Math.exp(s - max));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    });
  }

  /** The most probable class of each row (the first in `classes` on a tie). */
  predict(x: readonly (readonly number[])[]): Label[] {
    return this.decisionFunction(x).map((z) => {
      let best = 0;
      for (let c = 1; c < z.length; c++) if (z[c]! > z[best]!) best = c;
      return this.classes[best]!;
    });
  }

  /** Accuracy on `x`, `y`. */
  score(x: readonly (readonly number[])[], y: readonly Label[]): number {
    return accuracy(y, this.predict(x));
  }
}
