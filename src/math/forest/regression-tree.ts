/**
 * A CART regression tree (squared-error splits) stored in flat typed arrays, and the builder that
 * grows one from weighted samples.
 *
 * Notation:
 *   n — samples, d — features, m — samples with a positive weight (the ones a tree sees)
 *   X           Float64Array (n × d), row-major: X[i·d + j] is feature j of sample i
 *   y, w        Float64Array (n): targets and sample weights (bootstrap counts; 0 leaves a sample out)
 *   sorted      Int32Array (d × n): row j lists the sample indices in ascending order of feature j
 *   order       Int32Array (d × m), builder scratch: row j holds the tree's samples sorted by
 *               feature j; a node owns the same range [start, end) of every row
 *   values      Float64Array (d × m), builder scratch: values[r] = X[order[r]·d + j] on row j
 *               (kept beside `order` so that split scans read memory in sequence)
 * Tree (N nodes, node 0 the root):
 *   feature     Int32Array (N): split feature, −1 at a leaf
 *   threshold   Float64Array (N): a sample goes left when x[feature] ≤ threshold
 *   left, right Int32Array (N): child node ids, −1 at a leaf
 *   value       Float64Array (N): weighted mean target of the node's samples
 *   weight      Float64Array (N): total sample weight in the node
 * Splits are chosen like scikit-learn's `DecisionTreeRegressor` (best splitter, squared error):
 * among up to `maxFeatures` randomly drawn non-constant features, the split maximizing
 * S_L²/W_L + S_R²/W_R (S: weighted target sum, W: weight) with at least `minSamplesLeaf` samples
 * on each side; the threshold is the midpoint of the two neighbouring distinct values.
 * @module
 */
import type { Rng } from '../../core/rng.js';

/** Two feature values closer than this are treated as equal (no split between them). */
const FEATURE_THRESHOLD = 1e-7;

/** Growth limits of a tree. */
export interface TreeOptions {
  /** Depth limit; the root has depth 0. */
  readonly maxDepth: number;
  /** A node with fewer samples is a leaf. At least 2. */
  readonly minSamplesSplit: number;
  /** Each child keeps at least this many samples. At least 1. */
  readonly minSamplesLeaf: number;
  /** Features drawn per split, 1..d. */
  readonly maxFeatures: number;
}

/** A fitted regression tree. See the module notation for the arrays. */
export class RegressionTree {
  readonly nFeatures: number;
  readonly nodeCount: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly weight: Float64Array;

  constructor(
    nFeatures: number,
    arrays: {
      feature: Int32Array;
      threshold: Float64Array;
      left: Int32Array;
      right: Int32Array;
      value: Float64Array;
      weight: Float64Array;
    },
  ) {
    this.nFeatures = nFeatures;
    this.nodeCount = arrays.feature.length;
    this.feature = arrays.feature;
    this.threshold = arrays.threshold;
    this.left = arrays.left;
    this.right = arrays.right;
    this.value = arrays.value;
    this.weight = arrays.weight;
  }

  /** The leaf that point `x` (d numbers starting at `offset`) falls into. */
  leafOf(x: ArrayLike<number>, offset = 0): number {
    let node = 0;
    let f = this.feature[0]!;
    while (f >= 0) {
      node = x[offset + f]! <= this.threshold[node]! ? this.left[node]! : this.right[node]!;
      f = this.feature[node]!;
    }
    return node;
  }

  /** The prediction at point `x` (d numbers starting at `offset`). */
  predict(x: ArrayLike<number>, offset = 0): number {
    return this.value[this.leafOf(x, offset)]!;
  }

  /** Number of leaves. */
  get leafCount(): number {
    let count = 0;
    for (let k = 0; k < this.nodeCount; k++) if (this.feature[k]! < 0) count++;
    return count;
  }
}

/** `sorted` for {@link TreeBuilder.fit}: per feature, sample indices by ascending value. */
export function argsortColumns(X: Float64Array, n: number, d: number): Int32Array {
  const sorted = new Int32Array(d * n);
  const idx = new Array<number>(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => X[a * d + j]! - X[b * d + j]! || a - b);
    for (let i = 0; i < n; i++) sorted[j * n + i] = idx[i]!;
  }
  return sorted;
}

/**
 * Grows regression trees on one data set. Scratch buffers are allocated once per builder and
 * reused by every tree it fits.
 */
export class TreeBuilder {
  private readonly X: Float64Array;
  private readonly y: Float64Array;
  private readonly n: number;
  private readonly d: number;
  private readonly sorted: Int32Array;
  // Scratch (see the module notation).
  private readonly order: Int32Array;
  private readonly values: Float64Array;
  private readonly buffer: Int32Array;
  private readonly valueBuffer: Float64Array;
  private readonly goesLeft: Uint8Array;
  private readonly features: Int32Array;
  private readonly stack: Int32Array;
  private w: Float64Array;
  private m = 0;
  // Node arrays of the tree being grown (capacity 2m).
  private nFeature: Int32Array;
  private nThreshold: Float64Array;
  private nLeft: Int32Array;
  private nRight: Int32Array;
  private nValue: Float64Array;
  private nWeight: Float64Array;
  private nodeCount = 0;

  /**
   * @param X samples (n × d), row-major
   * @param y targets (n)
   * @param sorted from {@link argsortColumns}; computed here when omitted
   */
  constructor(X: Float64Array, y: Float64Array, n: number, d: number, sorted?: Int32Array) {
    if (X.length !== n * d || y.length !== n) {
      throw new RangeError(`TreeBuilder: X must hold n·d = ${n * d} numbers and y n = ${n}.`);
    }
    this.X = X;
    this.y = y;
    this.n = n;
    this.d = d;
    this.sorted = sorted ?? argsortColumns(X, n, d);
    this.order = new Int32Array(d * n);
    this.values = new Float64Array(d * n);
    this.buffer = new Int32Array(n);
    this.valueBuffer = new Float64Array(n);
    this.goesLeft = new Uint8Array(n);
    this.features = new Int32Array(d);
    this.stack = new Int32Array(4 * (2 * n + 2));
    this.w = new Float64Array(n);
    this.nFeature = new Int32Array(0);
    this.nThreshold = new Float64Array(0);
    this.nLeft = new Int32Array(0);
    this.nRight = new Int32Array(0);
    this.nValue = new Float64Array(0);
    this.nWeight = new Float64Array(0);
  }

  /**
   * Grows one tree on the samples with positive weight in `w` (n numbers; bootstrap counts or all
   * ones). `rng` draws the features tried at each split.
   */
  fit(w: Float64Array, options: TreeOptions, rng: Rng): RegressionTree {
    const { n, d } = this;
    this.w = w;
    let m = 0;
    for (let i = 0; i < n; i++) if (w[i]! > 0) m++;
    if (m === 0) throw new RangeError('TreeBuilder.fit: every sample weight is zero.');
    this.m = m;
    for (let j = 0; j < d; j++) {
      let k = j * m;
      for (let r = j * n, end = r + n; r < end; r++) {
        const i = this.sorted[r]!;
        if (w[i]! > 0) {
          this.values[k] = this.X[i * d + j]!;
          this.order[k++] = i;
        }
      }
    }
    const capacity = 2 * m;
    this.nFeature = new Int32Array(capacity);
    this.nThreshold = new Float64Array(capacity);
    this.nLeft = new Int32Array(capacity);
    this.nRight = new Int32Array(capacity);
    this.nValue = new Float64Array(capacity);
    this.nWeight = new Float64Array(capacity);
    this.nodeCount = 1;

    // Stack entries: node, start, end, depth.
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    stack[top++] = 0;
    stack[top++] = m;
    stack[top++] = 0;
    while (top > 0) {
      const depth = stack[--top]!;
      const end = stack[--top]!;
      const start = stack[--top]!;
      const node = stack[--top]!;
      const split = this.splitNode(node, start, end, depth, options, rng);
      if (split < 0) continue;
      const leftId = this.nLeft[node]!;
      const rightId = this.nRight[node]!;
      stack[top++] = rightId;
      stack[top++] = split;
      stack[top++] = end;
      stack[top++] = depth + 1;
      stack[top++] = leftId;
      stack[top++] = start;
      stack[top++] = split;
      stack[top++] = depth + 1;
    }
    const N = this.nodeCount;
    return new RegressionTree(d, {
      feature: this.nFeature.slice(0, N),
      threshold: this.nThreshold.slice(0, N),
      left: this.nLeft.slice(0, N),
      right: this.nRight.slice(0, N),
      value: this.nValue.slice(0, N),
      weight: this.nWeight.slice(0, N),
    });
  }

  /**
   * Fills node `node` (samples [start, end) of every order row). Splits it when it can, creating
   * its two children and partitioning the rows; returns the first position of the right child,
   * or −1 for a leaf.
   */
  private splitNode(
    node: number,
    start: number,
    end: number,
    depth: number,
    options: TreeOptions,
    rng: Rng,
  ): number {
    const { X, y, w, d, m, order, values } = this;
    let W = 0;
    let S = 0;
    let SS = 0;
    for (let r = start; r < end; r++) {
      const i = order[r]!;
      const wi = w[i]!;
      const yi = y[i]!;
      W += wi;
      S += wi * yi;
      SS += wi * yi * yi;
    }
    const mean = S / W;
    this.nValue[node] = mean;
    this.nWeight[node] = W;
    this.nFeature[node] = -1;
    this.nLeft[node] = -1;
    this.nRight[node] = -1;
    this.nThreshold[node] = Number.NaN;
    const count = end - start;
    const impurity = SS / W - mean * mean;
    if (
      count < options.minSamplesSplit ||
      count < 2 * options.minSamplesLeaf ||
      depth >= options.maxDepth ||
      impurity <= 1e-12 * Math.max(1, mean * mean)
    ) {
      return -1;
    }

    // Draw features in random order; constant ones do not count toward maxFeatures.
    const features = this.features;
    for (let j = 0; j < d; j++) features[j] = j;
    let bestProxy = Number.NEGATIVE_INFINITY;
    let bestFeature = -1;
    let bestPos = -1;
    let bestThreshold = 0;
    let tried = 0;
    const minLeaf = options.minSamplesLeaf;
    for (let k = 0; k < d && tried < options.maxFeatures; k++) {
      const pick = k + Math.floor(rng.random() * (d - k));
      const f = features[pick]!;
      features[pick] = features[k]!;
      features[k] = f;
      const row = f * m;
      const first = values[row + start]!;
      const last = values[row + end - 1]!;
      if (last <= first + FEATURE_THRESHOLD) continue;
      tried++;
      let wl = 0;
      let sl = 0;
      let xPrev = first;
      for (let r = start; r < end - 1; r++) {
        const i = order[row + r]!;
        wl += w[i]!;
        sl += w[i]! * y[i]!;
        xPrev = values[row + r]!;
        const xNext = values[row + r + 1]!;
        if (xNext <= xPrev + FEATURE_THRESHOLD) continue;
        const nl = r + 1 - start;
        if (nl < minLeaf || count - nl < minLeaf) continue;
        const wr = W - wl;
        const sr = S - sl;
        // proxy = sl²/wl + sr²/wr > best, multiplied through by wl·wr > 0 (no division per step).
        const lw = wl * wr;
        if (sl * sl * wr + sr * sr * wl > bestProxy * lw) {
          bestProxy = (sl * sl) / wl + (sr * sr) / wr;
          bestFeature = f;
          bestPos = r + 1;
          let t = 0.5 * (xPrev + xNext);
          if (t === xNext || !Number.isFinite(t)) t = xPrev;
          bestThreshold = t;
        }
      }
    }
    if (bestFeature < 0) return -1;

    // Partition every row stably: samples with x[f] ≤ threshold first.
    const goesLeft = this.goesLeft;
    for (let r = start; r < end; r++) {
      const i = order[r]!;
      goesLeft[i] = X[i * d + bestFeature]! <= bestThreshold ? 1 : 0;
    }
    const buffer = this.buffer;
    const valueBuffer = this.valueBuffer;
    for (let j = 0; j < d; j++) {
      const row = j * m;
      if (j === bestFeature) continue;
      let l = row + start;
      let nr = 0;
      for (let r = row + start, stop = row + end; r < stop; r++) {
        // Branch-free: write both places, advance one (the side is unpredictable).
        const i = order[r]!;
        const v = values[r]!;
        const g = goesLeft[i]!;
        values[l] = v;
        order[l] = i;
        valueBuffer[nr] = v;
        buffer[nr] = i;
        l += g;
        nr += 1 - g;
      }
      for (let q = 0; q < nr; q++) {
        order[l + q] = buffer[q]!;
        values[l + q] = valueBuffer[q]!;
      }
    }
    const leftId = this.nodeCount++;
    const rightId = this.nodeCount++;
    this.nFeature[node] = bestFeature;
    this.nThreshold[node] = bestThreshold;
    this.nLeft[node] = leftId;
    this.nRight[node] = rightId;
    return bestPos;
  }
}
