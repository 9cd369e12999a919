/**
 * Exact hypervolume of a set of points (every objective minimised) with respect to a reference
 * point: the Lebesgue measure of the union of the boxes [p, r] over the points p.
 *
 * Points that do not strictly dominate the reference point in every coordinate contribute nothing
 * and are dropped first; so are duplicates and dominated points (they add no volume).
 *
 * - 1 objective: r − min p.
 * - 2 objectives: a sweep in x after sorting, O(n log n).
 * - 3 objectives: a sweep in z keeping the 2-D staircase of the points seen so far, O(n²) worst
 *   case (the staircase update is a splice).
 * - 4 and more: WFG (While, Bradstreet, Barone 2012): the volume is the sum of the exclusive
 *   contributions of the points, each its box minus the hypervolume of the later points limited
 *   to that box. Taking the points from the worst first objective to the best makes every
 *   limited set flat in that objective, so the recursion drops one objective per level and ends
 *   in the 3-D sweep; one or two points are done by inclusion–exclusion.
 *
 * Coordinates must be finite or +Infinity (a point with +Infinity lies outside the region);
 * NaN coordinates throw.
 * @module
 */

/** A set of points: an array of coordinate arrays, each as long as the reference point. */
export type PointSet = ReadonlyArray<ArrayLike<number>>;

/**
 * The hypervolume dominated by `points` and bounded by `reference` (minimisation).
 * @throws RangeError when a point's length differs from the reference point's, or on NaN.
 */
export function hypervolume(points: PointSet, reference: ArrayLike<number>): number {
  const m = reference.length;
  if (m === 0) throw new RangeError('hypervolume: the reference point has no coordinates.');
  for (let j = 0; j < m; j++) {
    if (Number.isNaN(reference[j]!)) throw new RangeError('hypervolume: the reference point holds NaN.');
  }
  const kept: number[][] = [];
  for (const p of points) {
    if (p.length !== m) {
      throw new RangeError(`hypervolume: a point has ${p.length} coordinates, the reference point ${m}.`);
    }
    let inside = true;
    for (let j = 0; j < m; j++) {
      const v = p[j]!;
      if (Number.isNaN(v)) throw new RangeError('hypervolume: a point holds NaN.');
      if (!(v < reference[j]!)) inside = false;
    }
    if (inside) kept.push(Array.from(p));
  }
  if (kept.length === 0) return 0;
  const ref = Array.from(reference);
  if (m === 1) {
    let lo = Number.POSITIVE_INFINITY;
    for (const p of kept) lo = Math.min(lo, p[0]!);
    return ref[0]! - lo;
  }
  return hvAny(kept, ref);
}

/** Compares two points lexicographically. */
function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The points no other point weakly dominates (one copy of each duplicate), sorted
 * lexicographically. Sorting first means a point can only be dominated by an earlier one.
 */
export function nonDominated(points: readonly (readonly number[])[]): number[][] {
  const sorted = points.map((p) => Array.from(p)).sort(lexCompare);
  const out: number[][] = [];
  const m = sorted[0]?.length ?? 0;
  for (const p of sorted) {
    let dominated = false;
    for (const q of out) {
      let le = true;
      for (let j = 0; j < m; j++) {
        if (q[j]! > p[j]!) {
          le = false;
          break;
        }
      }
      if (le) {
        dominated = true;
        break;
      }
    }
    if (!dominated) out.push(p);
  }
  return out;
}

/** 2-D: sort by x, sweep the staircase. Works with dominated points and duplicates. */
function hv2(points: number[][], ref: readonly number[]): number {
  points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let area = 0;
  let yPrev = ref[1]!;
  for (const p of points) {
    const y = p[1]!;
    if (y < yPrev) {
      area += (ref[0]! - p[0]!) * (yPrev - y);
      yPrev = y;
    }
  }
  return area;
}

/** 3-D: sweep in z, keeping the 2-D staircase (x ascending, y descending) of the slices. */
function hv3(points: number[][], ref: readonly number[]): number {
  points.sort((a, b) => a[2]! - b[2]!);
  const xs: number[] = [];
  const ys: number[] = [];
  let area = 0;
  let volume = 0;
  const rx = ref[0]!;
  const ry = ref[1]!;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const x = p[0]!;
    const y = p[1]!;
    // First staircase index with xs[k] ≥ x (binary search).
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    // Weakly dominated: by the staircase point just left of x (the lowest y among xs < x), or
    // by one at the same x.
    const dominated = (lo > 0 && ys[lo - 1]! <= y) || (lo < xs.length && xs[lo] === x && ys[lo]! <= y);
    if (!dominated) {
      // Points from lo on with y' ≥ y have x' ≥ x: p dominates them, they leave the staircase.
      const yLeft = lo > 0 ? ys[lo - 1]! : ry;
      let end = lo;
      while (end < xs.length && ys[end]! >= y) end++;
      // The area p adds: the part of [x, rx) × [y, ry) not yet covered, strip by strip.
      let added = 0;
      let cx = x;
      let cy = yLeft; // the ceiling of the uncovered region at the current x
      for (let k = lo; k < end; k++) {
        added += (xs[k]! - cx) * (cy - y);
        cx = xs[k]!;
        cy = ys[k]!;
      }
      const nextX = end < xs.length ? xs[end]! : rx;
      added += (nextX - cx) * (cy - y);
      area += added;
      xs.splice(lo, end - lo, x);
      ys.splice(lo, end - lo, y);
    }
    const zNext = i + 1 < points.length ? points[i + 1]![2]! : ref[2]!;
    volume += area * (zNext - p[2]!);
  }
  return volume;
}

function boxVolume(p: readonly number[], ref: readonly number[]): number {
  let v = 1;
  for (let j = 0; j < ref.length; j++) v *= ref[j]! - p[j]!;
  return v;
}

/** Dispatches on the number of objectives (m ≥ 2); `points` need not be non-dominated. */
function hvAny(points: number[][], ref: readonly number[]): number {
  const m = ref.length;
  if (points.length === 0) return 0;
  if (m === 2) return hv2(points, ref);
  const front = nonDominated(points);
  if (m === 3) return hv3(front, ref);
  return wfg(front, ref);
}

/**
 * WFG over a non-dominated set, m ≥ 4 objectives. The points are taken from the worst first
 * objective to the best: every later point then has a smaller first coordinate, so the later
 * points limited to the current one's box all share its first coordinate, and their hypervolume
 * is a slab of height (r₀ − p₀) over an (m − 1)-objective hypervolume.
 */
function wfg(points: number[][], ref: readonly number[]): number {
  const n = points.length;
  if (n === 0) return 0;
  if (n === 1) return boxVolume(points[0]!, ref);
  const m = ref.length;
  if (n === 2) {
    const a = points[0]!;
    const b = points[1]!;
    let inter = 1;
    for (let j = 0; j < m; j++) inter *= ref[j]! - Math.max(a[j]!, b[j]!);
    return boxVolume(a, ref) + boxVolume(b, ref) - inter;
  }
  points.sort((a, b) => b[0]! - a[0]!);
  const subRef = ref.slice(1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    const limited: number[][] = [];
    for (let k = i + 1; k < n; k++) {
      const q = points[k]!;
      const l = new Array<number>(m - 1);
      for (let j = 1; j < m; j++) l[j - 1] = Math.max(p[j]!, q[j]!);
      limited.push(l);
    }
    total += boxVolume(p, ref) - (ref[0]! - p[0]!) * hvAny(limited, subRef);
  }
  return total;
}
