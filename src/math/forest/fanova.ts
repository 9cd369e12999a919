/**
 * Functional ANOVA of regression trees (Hutter, Hoos & Leyton-Brown 2014): how much of a tree's
 * variance over a box each single feature explains on its own.
 *
 * A tree is piecewise constant: leaf ℓ owns the cell Π_j [a_ℓj, b_ℓj] of the box
 * B = Π_j [lo_j, hi_j] and predicts v_ℓ. Under the uniform measure on B:
 *   vol_ℓ   = Π_j (b_ℓj − a_ℓj) / (hi_j − lo_j)          (cell volume as a fraction of B)
 *   μ       = Σ_ℓ vol_ℓ v_ℓ                               (the tree's mean)
 *   V       = Σ_ℓ vol_ℓ (v_ℓ − μ)²                        (its total variance)
 *   m_j(x)  = Σ_{ℓ: a_ℓj ≤ x < b_ℓj} vol_ℓ v_ℓ (hi_j − lo_j) / (b_ℓj − a_ℓj)
 *             (the mean over every other feature with feature j held at x)
 *   V_j     = ∫ (m_j(x) − μ)² dx / (hi_j − lo_j)          (the main-effect variance of j)
 * m_j is constant between consecutive split thresholds of feature j, so V_j is an exact finite
 * sum. Each leaf adds its term to a contiguous run of those intervals (a difference array), so a
 * tree with L leaves and K_j thresholds on j costs O(L·d·log K) for all j.
 *
 * Notation (per tree; N nodes, L leaves, d features):
 *   cellLo, cellHi  Float64Array (L × d), row-major: the leaf cells
 *   leafValue, leafVolume  Float64Array (L): v_ℓ and vol_ℓ
 *   breaks          Float64Array (K_j + 2): lo_j, the sorted distinct thresholds on j, hi_j
 *   marginal        Float64Array (K_j + 2): difference array, then m_j per interval
 *   shares          Float64Array (d): V_j / V
 * @module
 */
import type { RandomForestRegressor } from './random-forest.js';
import type { RegressionTree } from './regression-tree.js';

/** Scratch buffers of {@link treeMainEffects}, sized for a number of nodes and features. */
export class FanovaScratch {
  readonly capacity: number;
  readonly d: number;
  readonly cellLo: Float64Array;
  readonly cellHi: Float64Array;
  readonly leafValue: Float64Array;
  readonly breaks: Float64Array;
  readonly marginal: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly leafVolume: Float64Array;

  constructor(capacity: number, d: number) {
    this.capacity = capacity;
    this.d = d;
    this.cellLo = new Float64Array(capacity * d);
    this.cellHi = new Float64Array(capacity * d);
    this.leafValue = new Float64Array(capacity);
    this.breaks = new Float64Array(capacity + 2);
    this.marginal = new Float64Array(capacity + 2);
    this.lower = new Float64Array(d);
    this.upper = new Float64Array(d);
    this.leafVolume = new Float64Array(capacity);
  }
}

/** Index of `x` in the sorted `a[0..len)`, which must hold it exactly. */
function indexOf(a: Float64Array, len: number, x: number): number {
  let lo = 0;
  let hi = len - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Collects the leaf cells of `tree` inside the box into the scratch; returns L. */
function collectLeaves(
  tree: RegressionTree,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  s: FanovaScratch,
): number {
  const d = s.d;
  const { lower, upper, cellLo, cellHi, leafValue } = s;
  for (let j = 0; j < d; j++) {
    lower[j] = lo[j]!;
    upper[j] = hi[j]!;
  }
  // Recursive walk with explicit bounds: a node's cell is its parent's, narrowed on one feature.
  let L = 0;
  const walk = (node: number): void => {
    const f = tree.feature[node]!;
    if (f < 0) {
      const base = L * d;
      for (let j = 0; j < d; j++) {
        cellLo[base + j] = lower[j]!;
        cellHi[base + j] = upper[j]!;
      }
      leafValue[L++] = tree.value[node]!;
      return;
    }
    const t = Math.min(upper[f]!, Math.max(lower[f]!, tree.threshold[node]!));
    const savedUpper = upper[f]!;
    upper[f] = t;
    walk(tree.left[node]!);
    upper[f] = savedUpper;
    const savedLower = lower[f]!;
    lower[f] = t;
    walk(tree.right[node]!);
    lower[f] = savedLower;
  };
  walk(0);
  return L;
}

/**
 * Main-effect variance shares of one tree over the box [lo, hi] (d numbers each): writes V_j / V
 * to `shares` (d) and returns V. When V is 0 (a constant tree) `shares` is all zeros.
 */
export function treeMainEffects(
  tree: RegressionTree,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  shares: Float64Array,
  scratch: FanovaScratch = new FanovaScratch(tree.nodeCount, tree.nFeatures),
): number {
  const d = tree.nFeatures;
  if (scratch.capacity < tree.nodeCount || scratch.d !== d) {
    throw new RangeError('treeMainEffects: scratch is too small for this tree.');
  }
  for (let j = 0; j < d; j++) {
    if (!(hi[j]! > lo[j]!))
      throw new RangeError(`treeMainEffects: box side ${j} is empty [${lo[j]}, ${hi[j]}].`);
  }
  const L = collectLeaves(tree, lo, hi, scratch);
  const { cellLo, cellHi, leafValue, leafVolume, breaks, marginal } = scratch;
  let mu = 0;
  for (let l = 0; l < L; l++) {
    let vol = 1;
    const base = l * d;
    for (let j = 0; j < d; j++) vol *= (cellHi[base + j]! - cellLo[base + j]!) / (hi[j]! - lo[j]!);
    leafVolume[l] = vol;
    mu += vol * leafValue[l]!;
  }
  let V = 0;
  for (let l = 0; l < L; l++) {
    const dv = leafValue[l]! - mu;
    V += leafVolume[l]! * dv * dv;
  }
  shares.fill(0, 0, d);
  if (!(V > 0)) return 0;

  for (let j = 0; j < d; j++) {
    // Breakpoints of feature j: the box ends and every threshold on j.
    let K = 0;
    breaks[K++] = lo[j]!;
    breaks[K++] = hi[j]!;
    for (let k = 0; k < tree.nodeCount; k++) {
      if (tree.feature[k] === j) {
        const t = tree.threshold[k]!;
        if (t > lo[j]! && t < hi[j]!) breaks[K++] = t;
      }
    }
    const sorted = breaks.subarray(0, K).sort();
    let u = 1;
    for (let k = 1; k < K; k++) if (sorted[k]! !== sorted[u - 1]!) sorted[u++] = sorted[k]!;
    K = u;
    if (K === 2) continue; // never split on j: m_j is constant, V_j = 0
    marginal.fill(0, 0, K);
    const width = hi[j]! - lo[j]!;
    for (let l = 0; l < L; l++) {
      const a = cellLo[l * d + j]!;
      const b = cellHi[l * d + j]!;
      const contribution = (leafVolume[l]! * leafValue[l]! * width) / (b - a);
      marginal[indexOf(sorted, K, a)]! += contribution;
      marginal[indexOf(sorted, K, b)]! -= contribution;
    }
    let m = 0;
    let Vj = 0;
    for (let k = 0; k < K - 1; k++) {
      m += marginal[k]!;
      const dm = m - mu;
      Vj += ((sorted[k + 1]! - sorted[k]!) / width) * dm * dm;
    }
    shares[j] = Vj / V;
  }
  return V;
}

/** Importances of a forest's features: per-tree shares V_j / V, averaged over the trees. */
export interface FanovaResult {
  /** Mean over trees of V_j / V (d). Trees with V = 0 are left out. */
  readonly mean: Float64Array;
  /** Standard deviation over those trees (d). */
  readonly std: Float64Array;
  /** Trees that entered the average. */
  readonly nTrees: number;
}

/**
 * fANOVA main-effect importances of every feature of a fitted forest, over the box [lo, hi]
 * (default the unit box [0, 1]^d).
 */
export function forestMainEffects(
  forest: RandomForestRegressor,
  lo?: ArrayLike<number>,
  hi?: ArrayLike<number>,
): FanovaResult {
  const d = forest.nFeatures;
  if (forest.trees.length === 0) throw new RangeError('forestMainEffects: the forest is not fitted.');
  const low = lo ?? new Float64Array(d);
  const high = hi ?? new Float64Array(d).fill(1);
  let capacity = 0;
  for (const t of forest.trees) capacity = Math.max(capacity, t.nodeCount);
  const scratch = new FanovaScratch(capacity, d);
  const shares = new Float64Array(d);
  const sum = new Float64Array(d);
  const sumSq = new Float64Array(d);
  let count = 0;
  for (const tree of forest.trees) {
    const V = treeMainEffects(tree, low, high, shares, scratch);
    if (!(V > 0)) continue;
    count++;
    for (let j = 0; j < d; j++) {
      sum[j]! += shares[j]!;
      sumSq[j]! += shares[j]! * shares[j]!;
    }
  }
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  if (count > 0) {
    for (let j = 0; j < d; j++) {
      mean[j] = sum[j]! / count;
      std[j] = Math.sqrt(Math.max(0, sumSq[j]! / count - mean[j]! * mean[j]!));
    }
  }
  return { mean, std, nTrees: count };
}
