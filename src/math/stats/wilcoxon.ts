/**
 * The Wilcoxon signed-rank test of paired differences: is the median of `d` zero?
 *
 * The statistic is the sum of the ranks of |d| that belong to positive differences (R+). With
 * few differences (≤ 50) and no zero or tied |d|, the p-value comes from the exact null
 * distribution of R+ (every sign pattern equally likely); otherwise from the normal
 * approximation with the tie correction, optionally with a continuity correction. This follows
 * `scipy.stats.wilcoxon` (and its `method='auto'` of SciPy ≥ 1.13), against which it is tested.
 *
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { ndtr } from '../special/normal.js';

/** The alternative hypothesis: the differences are shifted away from 0, above 0 or below 0. */
export type WilcoxonAlternative = 'two-sided' | 'greater' | 'less';

/**
 * What zero differences do: `wilcox` drops them; `pratt` ranks them and then drops them;
 * `zsplit` ranks them and splits their ranks evenly between R+ and R−.
 */
export type WilcoxonZeroMethod = 'wilcox' | 'pratt' | 'zsplit';

/** Options of {@link wilcoxonSignedRank}. */
export interface WilcoxonOptions {
  /** Default 'two-sided'. */
  alternative?: WilcoxonAlternative;
  /** Default 'wilcox'. */
  zeroMethod?: WilcoxonZeroMethod;
  /**
   * 'exact' (the exact null distribution; falls back to 'approx' when a difference is zero or
   * two |d| tie), 'approx' (normal approximation) or 'auto' (default: exact when n ≤ 50 without
   * zeros or ties).
   */
  method?: 'auto' | 'exact' | 'approx';
  /** Continuity correction of the normal approximation (±0.5). Default false. */
  correction?: boolean;
}

/** Result of {@link wilcoxonSignedRank}. */
export interface WilcoxonResult {
  /** R+ for one-sided tests, min(R+, R−) for the two-sided test (as SciPy). NaN for no data. */
  readonly statistic: number;
  /** NaN for no data. */
  readonly pvalue: number;
  /** The method used. */
  readonly method: 'exact' | 'approx';
  /** The z statistic of the normal approximation (absent for the exact method). */
  readonly zstatistic?: number;
}

/** Exact counts of the sign patterns giving each R+ = 0…n(n+1)/2, by n (exact in doubles up to n = 50). */
const countsMemo = new Map<number, Float64Array>();

/** Number of subsets of {1…n} with each sum, as doubles (exact for n ≤ 52: the total is 2ⁿ). */
function signedRankCounts(n: number): Float64Array {
  let c = countsMemo.get(n);
  if (c !== undefined) return c;
  c = new Float64Array((n * (n + 1)) / 2 + 1);
  c[0] = 1;
  let top = 0;
  for (let k = 1; k <= n; k++) {
    top += k;
    for (let s = top; s >= k; s--) c[s]! += c[s - k]!;
  }
  countsMemo.set(n, c);
  return c;
}

/** Average ranks (1-based) of `a`, ties sharing the mean of their ranks, and the tie group sizes. */
function averageRanks(a: readonly number[]): { ranks: Float64Array; tieSizes: number[] } {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]!);
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && a[order[j]!] === a[order[i]!]) j++;
    const r = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]!] = r;
    if (j - i > 1) tieSizes.push(j - i);
    i = j;
  }
  return { ranks, tieSizes };
}

/**
 * The Wilcoxon signed-rank test of the paired differences `d` (for two samples x and y, pass
 * x − y). Returns the statistic and the p-value.
 * @example
 * ```ts
 * // Is x systematically greater than y?
 * const d = x.map((v, i) => v - y[i]!);
 * const { pvalue } = wilcoxonSignedRank(d, { alternative: 'greater' });
 * ```
 */
export function wilcoxonSignedRank(d: ArrayLike<number>, options: WilcoxonOptions = {}): WilcoxonResult {
  const alternative = options.alternative ?? 'two-sided';
  const zeroMethod = options.zeroMethod ?? 'wilcox';
  const method = options.method ?? 'auto';
  if (alternative !== 'two-sided' && alternative !== 'greater' && alternative !== 'less') {
    throw new InvalidArgumentError(
      `wilcoxonSignedRank: alternative must be 'two-sided', 'greater' or 'less', got ${JSON.stringify(alternative)}.`,
    );
  }
  if (zeroMethod !== 'wilcox' && zeroMethod !== 'pratt' && zeroMethod !== 'zsplit') {
    throw new InvalidArgumentError(
      `wilcoxonSignedRank: zeroMethod must be 'wilcox', 'pratt' or 'zsplit', got ${JSON.stringify(zeroMethod)}.`,
    );
  }
  if (method !== 'auto' && method !== 'exact' && method !== 'approx') {
    throw new InvalidArgumentError(
      `wilcoxonSignedRank: method must be 'auto', 'exact' or 'approx', got ${JSON.stringify(method)}.`,
    );
  }
  let diffs = Array.from(d);
  for (const x of diffs) {
    if (!Number.isFinite(x)) {
      throw new InvalidArgumentError(
        `wilcoxonSignedRank: every difference must be a finite number, got ${x}. Drop the non-finite pairs first.`,
      );
    }
  }
  const n = diffs.length;
  if (n === 0)
    return { statistic: Number.NaN, pvalue: Number.NaN, method: method === 'exact' ? 'exact' : 'approx' };

  const nZero = diffs.reduce((c, x) => c + (x === 0 ? 1 : 0), 0);
  let exact = method !== 'approx' && n <= 50 && nZero === 0;
  let ranked = averageRanks(diffs.map(Math.abs));
  if (ranked.tieSizes.length > 0) exact = false;

  if (!exact) {
    if (zeroMethod !== 'zsplit' && nZero === n) {
      throw new InvalidArgumentError(
        `wilcoxonSignedRank: every difference is zero, which zeroMethod '${zeroMethod}' cannot test. Use zeroMethod 'zsplit'.`,
      );
    }
    if (zeroMethod === 'wilcox' && nZero > 0) {
      diffs = diffs.filter((x) => x !== 0);
      ranked = averageRanks(diffs.map(Math.abs));
    }
  }
  const count = diffs.length;
  const { ranks } = ranked;
  let rPlus = 0;
  let rMinus = 0;
  let rZero = 0;
  for (let i = 0; i < count; i++) {
    const x = diffs[i]!;
    if (x > 0) rPlus += ranks[i]!;
    else if (x < 0) rMinus += ranks[i]!;
    else rZero += ranks[i]!;
  }
  if (zeroMethod === 'zsplit') {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const statistic = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;

  if (exact) {
    const counts = signedRankCounts(count);
    const total = 2 ** count;
    const r = Math.trunc(rPlus);
    let below = 0; // P(R+ ≤ r)
    for (let s = 0; s <= r; s++) below += counts[s]!;
    let above = 0; // P(R+ ≥ r)
    for (let s = r; s < counts.length; s++) above += counts[s]!;
    let p: number;
    if (alternative === 'greater') p = above / total;
    else if (alternative === 'less') p = below / total;
    else if (r === Math.floor((counts.length - 1) / 2)) p = 1;
    else p = (2 * Math.min(above, below)) / total;
    return { statistic, pvalue: Math.min(1, Math.max(0, p)), method: 'exact' };
  }

  let mean = (count * (count + 1)) / 4;
  let variance = count * (count + 1) * (2 * count + 1);
  let tieRanks = ranks;
  if (zeroMethod === 'pratt') {
    tieRanks = ranks.filter((_, i) => diffs[i] !== 0);
    mean -= (nZero * (nZero + 1)) / 4;
    variance -= nZero * (nZero + 1) * (2 * nZero + 1);
  }
  for (const t of tieGroupSizes(tieRanks)) variance -= 0.5 * t * (t * t - 1);
  const se = Math.sqrt(variance / 24);
  let shift = 0;
  if (options.correction) {
    if (alternative === 'two-sided') shift = 0.5 * Math.sign(statistic - mean);
    else shift = alternative === 'less' ? -0.5 : 0.5;
  }
  const z = (statistic - mean - shift) / se;
  let p: number;
  if (alternative === 'two-sided') p = 2 * ndtr(-Math.abs(z));
  else if (alternative === 'greater') p = ndtr(-z);
  else p = ndtr(z);
  return { statistic, pvalue: p, method: 'approx', zstatistic: z };
}

/** Sizes (≥ 2) of the groups of equal values in `ranks`. */
function tieGroupSizes(ranks: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(ranks).sort();
  const out: number[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > 1) out.push(j - i);
    i = j;
  }
  return out;
}
