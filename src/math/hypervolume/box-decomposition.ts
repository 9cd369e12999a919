/**
 * Decomposition of the region a Pareto front does not dominate into disjoint axis-aligned boxes
 * (every objective minimised), for expected hypervolume improvement: the hypervolume a new point
 * y adds is Σ_b vol([y, ∞) ∩ box_b), a sum of products of one-dimensional lengths.
 *
 * Method (a grid sweep): the region {z ≤ r : no front point p satisfies p ≤ z} is, for fixed
 * (z₁, …, z_{m−1}), the half-line z_m < h(z₁…z_{m−1}) (capped at r_m), where h is the smallest
 * last coordinate among the points whose first m − 1 coordinates are ≤ z's. h is constant on the
 * cells of the grid the points' first m − 1 coordinates draw (with −∞ and r as outer edges), so
 * each cell gives one box cell × (−∞, h]. Runs of cells along the first axis with equal h are
 * merged. For 2 objectives this is the usual staircase of n + 1 boxes; for m objectives it gives
 * at most Π_{d<m}(n_d + 1) boxes (n_d distinct coordinates), so callers keep fronts small for m ≥ 4.
 *
 * Notation: m objectives, B boxes; `lower` and `upper` are B×m row-major; a lower bound may be
 * −Infinity; upper bounds are ≤ the reference point.
 * @module
 */

/** Disjoint boxes covering the non-dominated part of (−∞, r]. */
export interface BoxDecomposition {
  /** m, the number of objectives. */
  readonly m: number;
  /** B, the number of boxes. */
  readonly count: number;
  /** B×m lower corners (−Infinity allowed). */
  readonly lower: Float64Array;
  /** B×m upper corners. */
  readonly upper: Float64Array;
}

/**
 * Boxes whose union is the part of (−∞, reference] that no point of `front` weakly dominates
 * (minimisation). Points not strictly below the reference point in every coordinate are ignored;
 * dominated points and duplicates are harmless.
 * @throws RangeError on a length mismatch, NaN, or more than `maxCells` grid cells.
 */
export function nonDominatedBoxes(
  front: ReadonlyArray<ArrayLike<number>>,
  reference: ArrayLike<number>,
  maxCells = 200_000,
): BoxDecomposition {
  const m = reference.length;
  if (m < 1) throw new RangeError('nonDominatedBoxes: the reference point has no coordinates.');
  const pts: number[][] = [];
  for (const p of front) {
    if (p.length !== m) {
      throw new RangeError(
        `nonDominatedBoxes: a point has ${p.length} coordinates, the reference point ${m}.`,
      );
    }
    let inside = true;
    for (let j = 0; j < m; j++) {
      if (Number.isNaN(p[j]!)) throw new RangeError('nonDominatedBoxes: a point holds NaN.');
      if (!(p[j]! < reference[j]!)) inside = false;
    }
    if (inside) pts.push(Array.from(p));
  }
  const last = m - 1;
  if (m === 1) {
    let h = reference[0]!;
    for (const p of pts) h = Math.min(h, p[0]!);
    return {
      m,
      count: 1,
      lower: Float64Array.of(Number.NEGATIVE_INFINITY),
      upper: Float64Array.of(h),
    };
  }
  // Grid edges per leading axis: −∞, the distinct coordinates, r.
  const edges: number[][] = [];
  let cells = 1;
  for (let d = 0; d < last; d++) {
    const values = [...new Set(pts.map((p) => p[d]!))].sort((a, b) => a - b);
    edges.push([Number.NEGATIVE_INFINITY, ...values, reference[d]!]);
    cells *= values.length + 1;
  }
  if (cells > maxCells) {
    throw new RangeError(
      `nonDominatedBoxes: ${cells} grid cells exceed ${maxCells}; pass a smaller front (or raise maxCells).`,
    );
  }
  const lower: number[] = [];
  const upper: number[] = [];
  const counts = edges.map((e) => e.length - 1);
  const index = new Array<number>(last).fill(0);
  const corner = new Float64Array(last);
  const ref = reference[last]!;
  // Odometer over the cells, the first axis fastest, merging runs of equal h along it.
  for (;;) {
    let runStart = 0;
    let runH = Number.NaN;
    for (let i0 = 0; i0 <= counts[0]!; i0++) {
      let h = Number.NaN;
      if (i0 < counts[0]!) {
        index[0] = i0;
        for (let d = 0; d < last; d++) corner[d] = edges[d]![index[d]!]!;
        h = ref;
        for (const p of pts) {
          if (p[last]! >= h) continue;
          let below = true;
          for (let d = 0; d < last; d++) {
            if (p[d]! > corner[d]!) {
              below = false;
              break;
            }
          }
          if (below) h = p[last]!;
        }
      }
      if (i0 > 0 && h !== runH) {
        // Close the run [runStart, i0) along axis 0.
        for (let d = 0; d < last; d++) {
          const k = d === 0 ? runStart : index[d]!;
          lower.push(edges[d]![k]!);
          upper.push(edges[d]![d === 0 ? i0 : k + 1]!);
        }
        lower.push(Number.NEGATIVE_INFINITY);
        upper.push(runH);
        runStart = i0;
      }
      runH = h;
    }
    let d = 1;
    while (d < last) {
      index[d] = index[d]! + 1;
      if (index[d]! < counts[d]!) break;
      index[d] = 0;
      d++;
    }
    if (d >= last) break;
  }
  return { m, count: lower.length / m, lower: Float64Array.from(lower), upper: Float64Array.from(upper) };
}
