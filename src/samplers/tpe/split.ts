/**
 * How TPE splits observations into the good ("below") and the rest ("above"), and how it
 * weights them.
 *
 * Order of goodness: complete trials by value (several objectives: by non-dominated rank, ties
 * broken by crowding distance), then pruned trials (further steps first, then the last
 * intermediate value), then running trials (the constant liar: treated as worst).
 *
 * With constraints (some trial carries `tunekit:constraints`, see `core/constraints.ts`), as in
 * Optuna's `_split_trials`: feasible complete trials by value, then pruned trials, then the
 * infeasible complete trials by increasing violation (a complete trial without constraint values
 * counts as infinitely violating), then running trials. Pruned trials carry no constraint values
 * (they are evaluated on complete trials only) and rank as before.
 * @module
 */
import { violationForRanking } from '../../core/constraints.js';
import type { FrozenTrial, StudyDirection } from '../../core/frozen-trial.js';

/**
 * Number of "below" observations for n observations: 15%, at most 25. Optuna takes 10%; with the
 * below kernels weighted by rank (see {@link belowRankWeights}) 15% found better optima on every
 * problem of the quality benchmark (bench/RESULTS.md, "TPE defaults").
 */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.15 * n), 25);
}

/**
 * Rank weights of the "below" kernels: `ranked` holds the below trials' numbers best first,
 * `nums` those of them the estimator uses (any order); the weight of `nums[k]` is
 * exp(−decay · r / ranked.length) with r its rank, so the best trial weighs 1 and the last about
 * e^−decay. Fewer than ~25 trials: a linear search per trial costs nothing.
 */
export function belowRankWeights(
  ranked: readonly number[],
  nums: readonly number[],
  decay: number,
): Float64Array {
  const n = ranked.length;
  const w = new Float64Array(nums.length);
  for (let k = 0; k < nums.length; k++) {
    const r = ranked.indexOf(nums[k]!);
    w[k] = Math.exp((-decay * (r < 0 ? n : r)) / Math.max(1, n));
  }
  return w;
}

/** Kernel weights for n observations ordered by trial number: older ones ramp down, the newest 25 weigh 1. */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n);
  if (n < 25) return w.fill(1);
  const ramp = n - 25;
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  for (let i = ramp; i < n; i++) w[i] = 1;
  return w;
}

function lastReport(t: FrozenTrial): [number, number] {
  let step = -1;
  let value = Number.POSITIVE_INFINITY;
  for (const [s, v] of t.intermediateValues) {
    if (s > step) {
      step = s;
      value = v;
    }
  }
  return [step, value];
}

/**
 * Orders trials from best to worst for the split (see the module documentation).
 * `trials` may hold complete, pruned and running trials; others are ignored. With
 * `constrained`, infeasible complete trials rank after the pruned ones, by violation.
 */
export function rankTrials(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  constrained = false,
): FrozenTrial[] {
  let complete = trials.filter((t) => t.state === 'complete' && t.values !== null);
  let infeasible: FrozenTrial[] = [];
  if (constrained) {
    const keyed = complete.map((t) => ({ t, v: violationForRanking(t) }));
    complete = keyed.filter((k) => k.v === 0).map((k) => k.t);
    infeasible = keyed
      .filter((k) => k.v > 0)
      .sort((a, b) => (a.v === b.v ? 0 : a.v < b.v ? -1 : 1))
      .map((k) => k.t);
  }
  const pruned = trials.filter((t) => t.state === 'pruned');
  const running = trials.filter((t) => t.state === 'running');
  const sign0 = directions[0] === 'maximize' ? -1 : 1;
  let orderedComplete: FrozenTrial[];
  if (directions.length === 1) {
    orderedComplete = complete.slice().sort((a, b) => sign0 * a.values![0]! - sign0 * b.values![0]!);
  } else {
    orderedComplete = multiObjectiveOrder(complete, directions);
  }
  const prunedKeyed = pruned.map((t) => ({ t, r: lastReport(t) }));
  prunedKeyed.sort((a, b) => b.r[0] - a.r[0] || sign0 * a.r[1] - sign0 * b.r[1]);
  return [...orderedComplete, ...prunedKeyed.map((p) => p.t), ...infeasible, ...running];
}

/** Non-dominated sorting with crowding-distance tie breaks (as in NSGA-II). */
export function multiObjectiveOrder(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
): FrozenTrial[] {
  const m = directions.length;
  const vals = trials.map((t) => t.values!.map((v, i) => (directions[i] === 'maximize' ? -v : v)));
  const n = trials.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominates: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const c = compare(vals[a]!, vals[b]!, m);
      if (c < 0) {
        dominates[a]!.push(b);
        dominatedBy[b]!++;
      } else if (c > 0) {
        dominates[b]!.push(a);
        dominatedBy[a]!++;
      }
    }
  }
  const out: FrozenTrial[] = [];
  let front = [...Array(n).keys()].filter((i) => dominatedBy[i] === 0);
  while (front.length > 0) {
    const crowd = crowding(front, vals, m);
    const order = front.map((i, k) => ({ i, c: crowd[k]! })).sort((a, b) => b.c - a.c);
    for (const { i } of order) out.push(trials[i]!);
    const next: number[] = [];
    for (const i of front) {
      for (const j of dominates[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    front = next;
  }
  return out;
}

function compare(a: number[], b: number[], m: number): number {
  let aBetter = false;
  let bBetter = false;
  for (let i = 0; i < m; i++) {
    if (a[i]! < b[i]!) aBetter = true;
    else if (a[i]! > b[i]!) bBetter = true;
  }
  if (aBetter && !bBetter) return -1;
  if (bBetter && !aBetter) return 1;
  return 0;
}

function crowding(front: number[], vals: number[][], m: number): number[] {
  const dist = new Array<number>(front.length).fill(0);
  for (let o = 0; o < m; o++) {
    const idx = front.map((_, k) => k).sort((a, b) => vals[front[a]!]![o]! - vals[front[b]!]![o]!);
    const lo = vals[front[idx[0]!]!]![o]!;
    const hi = vals[front[idx[idx.length - 1]!]!]![o]!;
    dist[idx[0]!] = Number.POSITIVE_INFINITY;
    dist[idx[idx.length - 1]!] = Number.POSITIVE_INFINITY;
    if (hi === lo) continue;
    for (let k = 1; k < idx.length - 1; k++) {
      dist[idx[k]!]! += (vals[front[idx[k + 1]!]!]![o]! - vals[front[idx[k - 1]!]!]![o]!) / (hi - lo);
    }
  }
  return dist;
}

/** The k-th smallest value (0-based) of `a`, reordering `a` (quickselect, expected O(n)). */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * Marks which trials of `pool` are "below" (the `nBelow` best in the order of
 * {@link rankTrials}). Single-objective studies take a linear-time selection instead of a sort;
 * ties are broken by trial number. `constrained`: rank infeasible trials last (see the module
 * documentation).
 */
export function selectBelow(
  pool: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  nBelow: number,
  constrained = false,
): Uint8Array {
  const mask = new Uint8Array(pool.length);
  if (nBelow <= 0) return mask;
  if (directions.length > 1 || constrained) {
    const ranked = rankTrials(pool, directions, constrained);
    const chosen = new Set(ranked.slice(0, nBelow));
    pool.forEach((t, i) => {
      if (chosen.has(t)) mask[i] = 1;
    });
    return mask;
  }
  const sign = directions[0] === 'maximize' ? -1 : 1;
  let nComplete = 0;
  for (const t of pool) if (t.state === 'complete' && t.values !== null) nComplete++;
  const keys = new Float64Array(nComplete);
  let c = 0;
  for (const t of pool) if (t.state === 'complete' && t.values !== null) keys[c++] = sign * t.values[0]!;
  if (nBelow < nComplete) {
    const threshold = kthSmallest(keys.slice(), nBelow - 1);
    let below = 0;
    for (let i = 0; i < pool.length; i++) {
      const t = pool[i]!;
      if (t.state === 'complete' && t.values !== null && sign * t.values[0]! < threshold) {
        mask[i] = 1;
        below++;
      }
    }
    for (let i = 0; i < pool.length && below < nBelow; i++) {
      const t = pool[i]!;
      if (t.state === 'complete' && t.values !== null && sign * t.values[0]! === threshold) {
        mask[i] = 1;
        below++;
      }
    }
    return mask;
  }
  for (let i = 0; i < pool.length; i++)
    if (pool[i]!.state === 'complete' && pool[i]!.values !== null) mask[i] = 1;
  const rest = nBelow - nComplete;
  if (rest > 0) {
    const pruned = rankTrials(
      pool.filter((t) => t.state === 'pruned'),
      directions,
    ).slice(0, rest);
    const chosen = new Set(pruned);
    pool.forEach((t, i) => {
      if (chosen.has(t)) mask[i] = 1;
    });
  }
  return mask;
}
