/**
 * Log expected hypervolume improvement (log EHVI) of independent Gaussian predictions of m
 * objectives (every objective maximised), exact, with its gradient for the chain rule.
 *
 * The region the current front does not dominate (above the reference point) is cut into disjoint
 * boxes [l_b, u_b] (see {@link nonDominatedBoxes}; here u may be +∞). A new point y adds the
 * hypervolume HVI(y) = Σ_b Π_d max(0, min(y_d, u_bd) − l_bd). With independent
 * Y_d ~ N(μ_d, σ_d²) the expectation factorises per box and objective:
 *   EHVI = Σ_b Π_d g_bd,  g_bd = ψ_d(l_bd) − ψ_d(u_bd),  ψ_d(a) = E[max(Y_d − a, 0)] = σ_d·h(z),
 *   z = (μ_d − a)/σ_d, h(z) = z·Φ(z) + φ(z)  (ψ(+∞) = 0),
 * and everything is kept in logs: log g = logSubExp(log ψ(l), log ψ(u)), log EHVI = logSumExp_b
 * Σ_d log g_bd. Derivatives: ∂g/∂μ = Φ(z_l) − Φ(z_u), ∂g/∂σ = φ(z_l) − φ(z_u), and
 * ∂ log EHVI/∂θ = Σ_b w_b·∂ log g_bd/∂θ with w_b the softmax of the box log-terms.
 *
 * Notation: m objectives, B boxes; per objective d a sorted grid of the G_d distinct bounds;
 * `lowerIndex` and `upperIndex` are B×m row-major indices into those grids. Variances below
 * 1e−12 are raised to it.
 * @module
 */
import { nonDominatedBoxes } from '../hypervolume/box-decomposition.js';
import { logEI } from '../special/log-ei.js';
import { logSubExp, logSumExp } from '../special/log-sum-exp.js';
import { logNdtr, normLogPdf } from '../special/normal.js';

/** Boxes of the non-dominated region in a form log EHVI evaluates quickly. */
export interface EhviBoxes {
  /** m, the number of objectives. */
  readonly m: number;
  /** B, the number of boxes. */
  readonly count: number;
  /** Per objective, the sorted distinct box bounds (the largest may be +Infinity). */
  readonly grids: readonly Float64Array[];
  /** B×m indices of the lower bounds into `grids[d]`. */
  readonly lowerIndex: Int32Array;
  /** B×m indices of the upper bounds into `grids[d]`. */
  readonly upperIndex: Int32Array;
}

/** Scratch space of {@link logEhvi} and {@link logEhviWithGradient}. */
export interface EhviWorkspace {
  readonly logPsi: Float64Array[];
  readonly logCdf: Float64Array[];
  readonly logPdf: Float64Array[];
  readonly logTerm: Float64Array;
  readonly dMeanBox: Float64Array;
  readonly dSigmaBox: Float64Array;
}

/**
 * The boxes of the region above `reference` that no point of `front` weakly dominates
 * (maximisation; points not strictly above the reference point are ignored).
 */
export function ehviBoxes(
  front: ReadonlyArray<ArrayLike<number>>,
  reference: ArrayLike<number>,
  maxCells?: number,
): EhviBoxes {
  const m = reference.length;
  const neg = front.map((p) => Float64Array.from(p, (v) => -v));
  const dec = nonDominatedBoxes(
    neg,
    Float64Array.from(reference, (v) => -v),
    maxCells,
  );
  const B = dec.count;
  const grids: Float64Array[] = [];
  const lowerIndex = new Int32Array(B * m);
  const upperIndex = new Int32Array(B * m);
  for (let d = 0; d < m; d++) {
    const values = new Set<number>();
    for (let b = 0; b < B; b++) {
      values.add(-dec.upper[b * m + d]!);
      values.add(-dec.lower[b * m + d]!);
    }
    const grid = Float64Array.from([...values].sort((a, c) => a - c));
    const at = new Map<number, number>();
    grid.forEach((v, i) => {
      at.set(v, i);
    });
    for (let b = 0; b < B; b++) {
      lowerIndex[b * m + d] = at.get(-dec.upper[b * m + d]!)!;
      upperIndex[b * m + d] = at.get(-dec.lower[b * m + d]!)!;
    }
    grids.push(grid);
  }
  return { m, count: B, grids, lowerIndex, upperIndex };
}

/** A workspace for `boxes`. */
export function createEhviWorkspace(boxes: EhviBoxes): EhviWorkspace {
  const sized = () => boxes.grids.map((g) => new Float64Array(g.length));
  return {
    logPsi: sized(),
    logCdf: sized(),
    logPdf: sized(),
    logTerm: new Float64Array(boxes.count),
    dMeanBox: new Float64Array(boxes.count * boxes.m),
    dSigmaBox: new Float64Array(boxes.count * boxes.m),
  };
}

/** Fills log ψ (and log Φ, log φ of z when `withDerivatives`) at every grid value. */
function fillGrids(
  boxes: EhviBoxes,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  work: EhviWorkspace,
  withDerivatives: boolean,
): void {
  for (let d = 0; d < boxes.m; d++) {
    const grid = boxes.grids[d]!;
    const mu = mean[d]!;
    const sigma = Math.sqrt(Math.max(variance[d]!, 1e-12));
    const logSigma = Math.log(sigma);
    const logPsi = work.logPsi[d]!;
    const logCdf = work.logCdf[d]!;
    const logPdf = work.logPdf[d]!;
    for (let i = 0; i < grid.length; i++) {
      const a = grid[i]!;
      if (a === Number.POSITIVE_INFINITY) {
        logPsi[i] = Number.NEGATIVE_INFINITY;
        logCdf[i] = Number.NEGATIVE_INFINITY;
        logPdf[i] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const z = (mu - a) / sigma;
      logPsi[i] = logSigma + logEI(z);
      if (withDerivatives) {
        logCdf[i] = logNdtr(z);
        logPdf[i] = normLogPdf(z);
      }
    }
  }
}

/** log EHVI of one prediction (means and variances of the m objectives). */
export function logEhvi(
  boxes: EhviBoxes,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  work: EhviWorkspace,
): number {
  fillGrids(boxes, mean, variance, work, false);
  const { m, count, lowerIndex, upperIndex } = boxes;
  const logTerm = work.logTerm;
  for (let b = 0; b < count; b++) {
    let s = 0;
    for (let d = 0; d < m; d++) {
      const lp = work.logPsi[d]!;
      s += logSubExp(lp[lowerIndex[b * m + d]!]!, lp[upperIndex[b * m + d]!]!);
    }
    logTerm[b] = s;
  }
  return logSumExp(logTerm, 0, count);
}

/**
 * {@link logEhvi} with its derivatives with respect to each objective's mean and variance
 * (into `dMeanOut` and `dVarianceOut`, length m).
 */
export function logEhviWithGradient(
  boxes: EhviBoxes,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  dMeanOut: Float64Array,
  dVarianceOut: Float64Array,
  work: EhviWorkspace,
): number {
  fillGrids(boxes, mean, variance, work, true);
  const { m, count, lowerIndex, upperIndex } = boxes;
  const { logTerm, dMeanBox, dSigmaBox } = work;
  for (let b = 0; b < count; b++) {
    let s = 0;
    for (let d = 0; d < m; d++) {
      const i = lowerIndex[b * m + d]!;
      const j = upperIndex[b * m + d]!;
      const logG = logSubExp(work.logPsi[d]![i]!, work.logPsi[d]![j]!);
      s += logG;
      const lc = work.logCdf[d]!;
      const lpdf = work.logPdf[d]!;
      dMeanBox[b * m + d] = Math.exp(logSubExp(lc[i]!, lc[j]!) - logG);
      dSigmaBox[b * m + d] = Math.exp(lpdf[i]! - logG) - Math.exp(lpdf[j]! - logG);
    }
    logTerm[b] = s;
  }
  const total = logSumExp(logTerm, 0, count);
  dMeanOut.fill(0, 0, m);
  dVarianceOut.fill(0, 0, m);
  if (!Number.isFinite(total)) return total;
  for (let b = 0; b < count; b++) {
    const w = Math.exp(logTerm[b]! - total);
    if (!(w > 0)) continue;
    for (let d = 0; d < m; d++) {
      dMeanOut[d] = dMeanOut[d]! + w * dMeanBox[b * m + d]!;
      dVarianceOut[d] = dVarianceOut[d]! + w * dSigmaBox[b * m + d]!;
    }
  }
  for (let d = 0; d < m; d++) {
    const v = variance[d]!;
    dVarianceOut[d] = v < 1e-12 ? 0 : dVarianceOut[d]! / (2 * Math.sqrt(v));
  }
  return total;
}
