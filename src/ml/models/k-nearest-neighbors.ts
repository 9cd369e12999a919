/**
 * k-nearest-neighbours classification by brute force, as scikit-learn's KNeighborsClassifier:
 * Minkowski distance p = 1 (Manhattan) or 2 (Euclidean), uniform votes or votes weighted by
 * 1/distance (a training point at distance 0 takes the whole vote, shared among such points).
 * Neighbours at equal distance are taken in training order; a tied vote goes to the first class
 * in sorted order.
 *
 * Notation: n training rows, m query rows, d features; X (n×d) and Q (m×d) row-major;
 * dist (n) the distances of one query to every training row; order (n) their indices sorted by
 * (distance, index); votes (K) the weighted class counts of one query.
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { accuracy, argmaxRows, type Label } from '../metrics.js';
import { encodeLabels, toMatrix } from './matrix.js';

/** Options of {@link KNeighborsClassifier}. */
export interface KNeighborsOptions {
  /** Neighbours that vote (1 ≤ k ≤ training rows). Default 5. */
  k?: number | undefined;
  /** 'uniform' (default) or 'distance' (votes weighted by 1/distance). */
  weights?: 'uniform' | 'distance' | undefined;
  /** Minkowski power: 1 (Manhattan) or 2 (Euclidean, default). */
  p?: 1 | 2 | undefined;
}

/**
 * A k-nearest-neighbours classifier with `fit`/`predict`/`predictProba`/`score`.
 * @example
 * ```ts
 * const knn = new KNeighborsClassifier({ k: 7, weights: 'distance' }).fit(train.x, train.y);
 * knn.score(test.x, test.y);
 * ```
 */
export class KNeighborsClassifier {
  readonly k: number;
  readonly weights: 'uniform' | 'distance';
  readonly p: 1 | 2;
  /** The sorted class labels (columns of `predictProba`). */
  classes: Label[] = [];
  private x: Float64Array = new Float64Array(0);
  private codes: Int32Array = new Int32Array(0);
  private n = 0;
  private d = 0;

  constructor(options: KNeighborsOptions = {}) {
    this.k = options.k ?? 5;
    if (!Number.isInteger(this.k) || this.k < 1) {
      throw new InvalidArgumentError(`KNeighborsClassifier: k must be an integer ≥ 1, got ${this.k}.`);
    }
    this.weights = options.weights ?? 'uniform';
    if (this.weights !== 'uniform' && this.weights !== 'distance') {
      throw new InvalidArgumentError(
        `KNeighborsClassifier: weights must be 'uniform' or 'distance', got '${String(this.weights)}'.`,
      );
    }
    this.p = options.p ?? 2;
    if (this.p !== 1 && this.p !== 2) {
      throw new InvalidArgumentError(`KNeighborsClassifier: p must be 1 or 2, got ${String(this.p)}.`);
    }
  }

  /** Stores the training data (a copy). */
  fit(x: readonly (readonly number[])[], y: readonly Label[]): this {
    const { data, n, d } = toMatrix(x, 'KNeighborsClassifier.fit');
    const { classes, codes } = encodeLabels(y, n, 'KNeighborsClassifier.fit');
    if (this.k > n) {
      throw new InvalidArgumentError(
        `KNeighborsClassifier.fit: k = ${this.k} neighbours need at least ${this.k} training rows, got ${n}.`,
      );
    }
    this.x = data;
    this.codes = codes;
    this.n = n;
    this.d = d;
    this.classes = classes;
    return this;
  }

  /** Class probabilities (weighted vote shares), columns in the order of `classes`. */
  predictProba(x: readonly (readonly number[])[]): number[][] {
    if (this.n === 0) throw new InvalidArgumentError('KNeighborsClassifier.predictProba: call fit() first.');
    const { data: q, n: m, d } = toMatrix(x, 'KNeighborsClassifier.predictProba', this.d);
    const n = this.n;
    const k = this.k;
    const nClasses = this.classes.length;
    const dist = new Float64Array(n);
    const order = new Int32Array(n);
    const votes = new Float64Array(nClasses);
    const out: number[][] = [];
    for (let a = 0; a < m; a++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = q[a * d + j]! - this.x[i * d + j]!;
          s += this.p === 1 ? Math.abs(diff) : diff * diff;
        }
        dist[i] = this.p === 1 ? s : Math.sqrt(s);
        order[i] = i;
      }
      order.sort((u, v) => dist[u]! - dist[v]! || u - v);
      votes.fill(0);
      const exact = this.weights === 'distance' && dist[order[0]!] === 0;
      for (let r = 0; r < k; r++) {
        const i = order[r]!;
        const w = this.weights === 'uniform' ? 1 : exact ? (dist[i] === 0 ? 1 : 0) : 1 / dist[i]!;
        votes[this.codes[i]!]! += w;
      }
      let total = 0;
      for (let c = 0; c < nClasses; c++) total += votes[c]!;
      out.push(Array.from(votes, (v) => v / total));
    }
    return out;
  }

  /** The class with the largest (weighted) vote of each row. */
  predict(x: readonly (readonly number[])[]): Label[] {
    return argmaxRows(this.predictProba(x)).map((c) => this.classes[c]!);
  }

  /** Accuracy on `x`, `y`. */
  score(x: readonly (readonly number[])[], y: readonly Label[]): number {
    return accuracy(y, this.predict(x));
  }
}
