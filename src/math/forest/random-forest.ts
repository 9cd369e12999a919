/**
 * A seeded random-forest regressor: bagged CART trees (see {@link RegressionTree}) grown on
 * bootstrap resamples with a random subset of features tried at each split, as scikit-learn's
 * `RandomForestRegressor`.
 *
 * Notation:
 *   n — samples, d — features, T — trees
 *   X    Float64Array (n × d), row-major; y Float64Array (n)
 *   w    Float64Array (n), per tree: bootstrap counts (n draws with replacement), or all ones
 *   predict(Xq, q): Float64Array (q) mean over trees; predictVariance: the variance over trees
 * Targets are centred by their mean before growing (better conditioned split sums); the mean is
 * added back to every node value, so the trees predict on the original scale.
 * @module
 */
import { deriveSeed, Rng } from '../../core/rng.js';
import { argsortColumns, type RegressionTree, TreeBuilder } from './regression-tree.js';

/** Options of {@link RandomForestRegressor}. */
export interface RandomForestOptions {
  /** Number of trees T. Default 64. */
  readonly nTrees?: number;
  /** Depth limit of each tree. Default 64. */
  readonly maxDepth?: number;
  /** Fewest samples a node needs to be split. Default 2. */
  readonly minSamplesSplit?: number;
  /** Fewest samples each child keeps. Default 1. */
  readonly minSamplesLeaf?: number;
  /** Features tried per split, an integer ≥ 1 (capped at d). Default: all d, as scikit-learn's regressor. */
  readonly maxFeatures?: number;
  /** Grow each tree on a bootstrap resample. Default true. */
  readonly bootstrap?: boolean;
  /** Seed of the resamples and feature draws; the same seed grows the same forest. */
  readonly seed?: number;
}

function checkInt(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`RandomForestRegressor: ${name} must be an integer ≥ ${min}, got ${value}.`);
  }
  return value;
}

/** A random-forest regressor. Call {@link fit}, then {@link predict}. */
export class RandomForestRegressor {
  readonly nTrees: number;
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly maxFeatures: number;
  readonly bootstrap: boolean;
  readonly seed: number;
  /** The fitted trees (empty before {@link fit}). */
  trees: RegressionTree[] = [];
  /** d of the fitted data. */
  nFeatures = 0;

  constructor(options: RandomForestOptions = {}) {
    this.nTrees = checkInt('nTrees', options.nTrees ?? 64, 1);
    this.maxDepth = checkInt('maxDepth', options.maxDepth ?? 64, 1);
    this.minSamplesSplit = checkInt('minSamplesSplit', options.minSamplesSplit ?? 2, 2);
    this.minSamplesLeaf = checkInt('minSamplesLeaf', options.minSamplesLeaf ?? 1, 1);
    this.maxFeatures = checkInt('maxFeatures', options.maxFeatures ?? Number.MAX_SAFE_INTEGER, 1);
    this.bootstrap = options.bootstrap ?? true;
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed))
      throw new RangeError(`RandomForestRegressor: seed must be finite, got ${seed}.`);
    this.seed = seed;
  }

  /** Grows the forest on X (n × d, row-major) and y (n). Replaces any previous fit. */
  fit(X: Float64Array, y: Float64Array, n: number, d: number): this {
    if (n < 1 || d < 1)
      throw new RangeError(`RandomForestRegressor.fit: need n ≥ 1 and d ≥ 1, got ${n}, ${d}.`);
    if (X.length !== n * d || y.length !== n) {
      throw new RangeError(`RandomForestRegressor.fit: X must hold n·d = ${n * d} numbers and y n = ${n}.`);
    }
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (!Number.isFinite(v))
        throw new RangeError(`RandomForestRegressor.fit: y[${i}] = ${v} is not finite.`);
      mean += v;
    }
    mean /= n;
    const yc = new Float64Array(n);
    for (let i = 0; i < n; i++) yc[i] = y[i]! - mean;
    for (let k = 0; k < n * d; k++) {
      if (Number.isNaN(X[k]!)) throw new RangeError(`RandomForestRegressor.fit: X[${k}] is NaN.`);
    }
    const builder = new TreeBuilder(X, yc, n, d, argsortColumns(X, n, d));
    const maxFeatures = Math.min(d, this.maxFeatures);
    const options = {
      maxDepth: this.maxDepth,
      minSamplesSplit: this.minSamplesSplit,
      minSamplesLeaf: this.minSamplesLeaf,
      maxFeatures,
    };
    const w = new Float64Array(n);
    const rng = new Rng(0);
    this.trees = [];
    for (let t = 0; t < this.nTrees; t++) {
      rng.reseed(deriveSeed(this.seed, 'forest-tree', t));
      if (this.bootstrap) {
        w.fill(0);
        for (let k = 0; k < n; k++) w[Math.floor(rng.random() * n)]! += 1;
      } else w.fill(1);
      const tree = builder.fit(w, options, rng);
      for (let k = 0; k < tree.nodeCount; k++) tree.value[k]! += mean;
      this.trees.push(tree);
    }
    this.nFeatures = d;
    return this;
  }

  private checkFitted(what: string, Xq: Float64Array, q: number): void {
    if (this.trees.length === 0) throw new RangeError(`RandomForestRegressor.${what}: call fit() first.`);
    if (Xq.length !== q * this.nFeatures) {
      throw new RangeError(
        `RandomForestRegressor.${what}: Xq must hold q·d = ${q * this.nFeatures} numbers.`,
      );
    }
  }

  /** Mean prediction over trees at the q points of Xq (q × d, row-major), written to `out`. */
  predict(Xq: Float64Array, q: number, out: Float64Array = new Float64Array(q)): Float64Array {
    this.checkFitted('predict', Xq, q);
    const d = this.nFeatures;
    const T = this.trees.length;
    for (let p = 0; p < q; p++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += this.trees[t]!.predict(Xq, p * d);
      out[p] = s / T;
    }
    return out;
  }

  /** Variance over trees of the prediction at the q points of Xq, written to `out`. */
  predictVariance(Xq: Float64Array, q: number, out: Float64Array = new Float64Array(q)): Float64Array {
    this.checkFitted('predictVariance', Xq, q);
    const d = this.nFeatures;
    const T = this.trees.length;
    for (let p = 0; p < q; p++) {
      let s = 0;
      let ss = 0;
      for (let t = 0; t < T; t++) {
        const v = this.trees[t]!.predict(Xq, p * d);
        s += v;
        ss += v * v;
      }
      const mu = s / T;
      out[p] = Math.max(0, ss / T - mu * mu);
    }
    return out;
  }
}
