/**
 * The one-dimensional densities of PED-ANOVA: a parameter's values are counted on a grid, and a
 * Parzen estimator with Scott's bandwidth (plus a broad prior kernel) smooths the counts into a
 * probability mass function on that grid.
 *
 * Notation: G grid points 0..G−1.
 *   counts  Float64Array (G): observations per grid point
 *   pmf     Float64Array (G): the smoothed probabilities (they sum to 1)
 * Numeric parameters: G = `nSteps` points evenly spaced on [low, high] (in log space for `log`),
 * fewer for a coarse grid (a stepped parameter's own grid when it has fewer values; about
 * log2(range) points for a log-scale int). A value counts at its nearest grid point (a midpoint
 * goes down). Kernels are normals truncated to the grid and discretized on it: kernel k puts
 * Φ((g + ½ − g_k)/σ) − Φ((g − ½ − g_k)/σ) on point g, renormalized to [−½, G − ½]; σ follows
 * Scott's rule 1.059·min(IQR/1.34, sd)·W^(−1/5) on the grid indices, at least 0.5/1.64. The prior
 * kernel sits at the centre with σ = G.
 * Categorical parameters: G = number of choices; kernel k puts 1 + p/K on its choice and p/K on
 * every other (K kernels including the prior, p the prior weight), renormalized; the prior
 * kernel is uniform.
 * Kernel weights: the counts, and `priorWeight` for the prior kernel.
 * @module
 */
import type { Distribution } from '../core/distributions.js';
import { ndtr } from '../math/special/normal.js';

/** Number of grid points G for a parameter (see the module notation). */
export function gridSize(d: Distribution, nSteps: number): number {
  if (d.type === 'categorical') return d.choices.length;
  if (d.type === 'int' && d.log) {
    return Math.min(Math.ceil(Math.log2(d.high - d.low + 1)) + 1, nSteps);
  }
  const step = d.step;
  if (step !== null && !d.log) return Math.min(Math.round((d.high - d.low) / step) + 1, nSteps);
  return nSteps;
}

/**
 * Adds the internal values of a parameter to `counts` (length {@link gridSize}). `values` holds
 * one internal value per observation (a categorical's choice index).
 */
export function countOnGrid(d: Distribution, values: ArrayLike<number>, counts: Float64Array): Float64Array {
  const G = counts.length;
  counts.fill(0);
  if (d.type === 'categorical') {
    for (let i = 0; i < values.length; i++) counts[values[i]!]! += 1;
    return counts;
  }
  const low = d.log ? Math.log(d.low) : d.low;
  const high = d.log ? Math.log(d.high) : d.high;
  const stepSize = G > 1 ? (high - low) / (G - 1) : 1;
  for (let i = 0; i < values.length; i++) {
    const v = d.log ? Math.log(values[i]!) : values[i]!;
    let g = stepSize > 0 ? Math.ceil((v - low) / stepSize - 0.5) : 0;
    if (!(g >= 0)) g = 0;
    if (g > G - 1) g = G - 1;
    counts[g]! += 1;
  }
  return counts;
}

/** Scott's bandwidth of weighted grid indices (the nonzero entries of `counts`), in grid units. */
export function scottBandwidth(counts: Float64Array): number {
  const G = counts.length;
  let W = 0;
  let S = 0;
  for (let g = 0; g < G; g++) {
    W += counts[g]!;
    S += counts[g]! * g;
  }
  const mean = S / W;
  let ss = 0;
  for (let g = 0; g < G; g++) ss += counts[g]! * (g - mean) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, W - 1));
  // Quartiles of the weighted sample: the first index whose cumulative weight reaches ⌊W/4⌋,
  // and the first whose cumulative weight exceeds ⌊3W/4⌋.
  const q1Target = Math.floor(W / 4);
  const q3Target = Math.floor((3 * W) / 4);
  let q1 = -1;
  let q3 = -1;
  let last = 0;
  let cum = 0;
  for (let g = 0; g < G; g++) {
    if (counts[g]! <= 0) continue;
    cum += counts[g]!;
    last = g;
    if (q1 < 0 && cum >= q1Target) q1 = g;
    if (q3 < 0 && cum > q3Target) q3 = g;
  }
  if (q1 < 0) q1 = last;
  if (q3 < 0) q3 = last;
  const iqr = q3 - q1;
  const sigma = 1.059 * Math.min(iqr / 1.34, sd) * W ** -0.2;
  return Math.max(sigma, 0.5 / 1.64);
}

/** Discretized truncated normal on 0..G−1 centred at `mu`, added to `out` with weight `w`. */
function addDiscreteNormal(mu: number, sigma: number, w: number, out: Float64Array): void {
  const G = out.length;
  const lower = ndtr((-0.5 - mu) / sigma);
  const total = ndtr((G - 0.5 - mu) / sigma) - lower;
  if (!(total > 0)) {
    // Far outside the grid: all mass on the nearest end.
    out[mu < 0 ? 0 : G - 1]! += w;
    return;
  }
  let prev = lower;
  for (let g = 0; g < G; g++) {
    const next = ndtr((g + 0.5 - mu) / sigma);
    out[g]! += (w * (next - prev)) / total;
    prev = next;
  }
}

/** The smoothed probability mass function of `counts` on its grid, written to `out` (length G). */
export function parzenPmf(
  counts: Float64Array,
  categorical: boolean,
  priorWeight: number,
  out: Float64Array = new Float64Array(counts.length),
): Float64Array {
  const G = counts.length;
  out.fill(0);
  let W = 0;
  let K = 1;
  for (let g = 0; g < G; g++) {
    if (counts[g]! > 0) {
      W += counts[g]!;
      K++;
    }
  }
  const norm = W + priorWeight;
  if (W === 0 || !(norm > 0)) {
    out.fill(1 / G);
    return out;
  }
  if (categorical) {
    const base = priorWeight / K;
    const rowSum = G * base + 1;
    let spread = (priorWeight / norm) * (1 / G);
    for (let g = 0; g < G; g++) {
      const c = counts[g]!;
      if (c > 0) {
        spread += ((c / norm) * base) / rowSum;
        out[g]! += c / norm / rowSum;
      }
    }
    for (let g = 0; g < G; g++) out[g]! += spread;
    return out;
  }
  const sigma = scottBandwidth(counts);
  for (let g = 0; g < G; g++) {
    const c = counts[g]!;
    if (c > 0) addDiscreteNormal(g, sigma, c / norm, out);
  }
  if (priorWeight > 0) addDiscreteNormal((G - 1) / 2, G, priorWeight / norm, out);
  return out;
}

/**
 * Pearson χ² divergence Σ_g q_g (p_g / q_g − 1)² of `p` from `q` (both pmfs on one grid), each
 * offset by 1e−12 so that empty cells stay finite.
 */
export function pearsonDivergence(p: Float64Array, q: Float64Array): number {
  let s = 0;
  for (let g = 0; g < p.length; g++) {
    const pg = p[g]! + 1e-12;
    const qg = q[g]! + 1e-12;
    const r = pg / qg - 1;
    s += qg * r * r;
  }
  return s;
}
