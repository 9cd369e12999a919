/**
 * Server-side downsampling: which of n points a plot draws when it may draw at most `maxPoints`.
 * Points the caller must keep (best-so-far improvements, best trials, extremes) always stay, even
 * past the budget; the rest of the budget is a seeded, hence deterministic, uniform sample.
 *
 * Notation: n points indexed 0..n−1; `values` Float64Array(n); `keep` indices in [0, n).
 * @module
 */
import { Rng } from '../core/rng.js';

/** The seed of the sample: the same input gives the same points. */
const SAMPLE_SEED = 0x7e5e;

/** The chosen points, ascending, and whether any point was left out. */
export interface Sample {
  indices: Int32Array;
  downsampled: boolean;
}

/**
 * At most `maxPoints` of the indices 0..n−1 (more only when `keep` alone is larger): every index
 * of `keep`, then a uniform seeded sample of the others. Ascending.
 */
export function samplePoints(n: number, maxPoints: number, keep: Iterable<number> = []): Sample {
  if (n <= maxPoints) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return { indices: all, downsampled: false };
  }
  const mark = new Uint8Array(n);
  let kept = 0;
  for (const i of keep) {
    if (i >= 0 && i < n && mark[i] === 0) {
      mark[i] = 1;
      kept++;
    }
  }
  const budget = Math.max(0, maxPoints - kept);
  if (budget > 0) {
    const rest = new Int32Array(n - kept);
    let r = 0;
    for (let i = 0; i < n; i++) if (mark[i] === 0) rest[r++] = i;
    // Partial Fisher–Yates: the first `budget` slots become a uniform sample without replacement.
    const rng = new Rng(SAMPLE_SEED);
    const take = Math.min(budget, r);
    for (let k = 0; k < take; k++) {
      const j = k + Math.floor(rng.random() * (r - k));
      const tmp = rest[k]!;
      rest[k] = rest[j]!;
      rest[j] = tmp;
      mark[rest[k]!] = 1;
    }
    kept += take;
  }
  const indices = new Int32Array(kept);
  let m = 0;
  for (let i = 0; i < n; i++) if (mark[i] === 1) indices[m++] = i;
  return { indices, downsampled: kept < n };
}

/**
 * The points a downsampled plot keeps: the `k` best values for `direction` (none when it is
 * null; ties broken by lower index) and the smallest and largest value. NaN never counts.
 */
export function extremeIndices(
  values: ArrayLike<number>,
  direction: 'minimize' | 'maximize' | null,
  k: number,
): number[] {
  const n = values.length;
  const out: number[] = [];
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (lo < 0 || v < values[lo]!) lo = i;
    if (hi < 0 || v > values[hi]!) hi = i;
  }
  if (lo < 0) return out;
  out.push(lo);
  if (hi !== lo) out.push(hi);
  if (direction === null || k <= 0) return out;
  const smallest = direction === 'minimize';
  const sorted = Float64Array.from(values).sort(); // NaN sorts last
  let finite = n;
  while (finite > 0 && Number.isNaN(sorted[finite - 1]!)) finite--;
  const kk = Math.min(k, finite);
  const threshold = smallest ? sorted[kk - 1]! : sorted[finite - kk]!;
  let taken = 0;
  for (let i = 0; i < n && taken < kk; i++) {
    const v = values[i]!;
    if (smallest ? v < threshold : v > threshold) {
      out.push(i);
      taken++;
    }
  }
  for (let i = 0; i < n && taken < kk; i++) {
    if (values[i] === threshold) {
      out.push(i);
      taken++;
    }
  }
  return out;
}
