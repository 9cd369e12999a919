/**
 * Hypervolume history: after each complete trial, the hypervolume of the feasible complete trials
 * so far, with respect to a reference point.
 *
 * Notation: m objectives, minimised (a maximised objective is negated); the front is kept as a
 * list of m-vectors strictly inside the reference box, and the hypervolume is recomputed only when
 * a trial enters it, so the work grows with the front's changes, not with the number of trials.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { hypervolume } from '../math/hypervolume/index.js';
import { baseSpec, checkSource, feasibility, resolveMaxPoints } from './common.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotHypervolumeHistory}. */
export interface HypervolumeHistoryOptions {
  /**
   * The reference point, one value per objective in the objectives' own scale (it must be worse
   * than the trials that should count). Default: the worst feasible value of each objective,
   * moved 10% of its range further (1 when the range is 0).
   */
  referencePoint?: readonly number[];
  /** The most steps drawn (default 5000; `Infinity`: all); the largest changes stay. */
  maxPoints?: number;
}

/**
 * With one or three and more objectives, how many front changes are measured: at most
 * MAX_MEASURES, and fewer for large fronts so that (measures × final front size) stays near
 * MEASURE_WORK (a full hypervolume costs at least the front's size).
 */
const MAX_MEASURES = 250;
const MIN_MEASURES = 20;
const MEASURE_WORK = 100_000;

/** Data of {@link plotHypervolumeHistory}. */
export interface HypervolumeHistoryData {
  referencePoint: number[];
  /**
   * `[trial number, hypervolume]` where the front changed (first feasible trial included), plus
   * the last complete trial; a step function between them. With three or more objectives and
   * many front changes, evenly spread changes (the last included; 20 to 250 of them, fewer for
   * large fronts) are measured.
   */
  points: [number, number][];
  /** The hypervolume after the last trial. */
  final: number;
}

/**
 * The non-dominated points seen so far inside the reference box. With two objectives the front is
 * a sorted staircase and `volume` is kept up to date (O(front) per change); with more, `volume`
 * is computed on demand by {@link FrontTracker.measure}.
 * Notation: `front` Float64Array(capacity·m), rows 0..size−1 in use.
 */
class FrontTracker {
  volume = 0;
  private front: Float64Array;
  private size = 0;
  private readonly m: number;

  constructor(private readonly ref: readonly number[]) {
    this.m = ref.length;
    this.front = new Float64Array(64 * this.m);
  }

  /** Number of points on the front. */
  get frontSize(): number {
    return Math.max(1, this.size);
  }

  /** Adds a point; returns whether the front changed (it was not weakly dominated). */
  add(p: Float64Array): boolean {
    const { m, ref, front } = this;
    for (let j = 0; j < m; j++) if (!(p[j]! < ref[j]!)) return false;
    if (m === 2) return this.add2(p[0]!, p[1]!);
    for (let r = 0; r < this.size; r++) {
      let le = true;
      for (let j = 0; j < m; j++) {
        if (front[r * m + j]! > p[j]!) {
          le = false;
          break;
        }
      }
      if (le) {
        // Move the rejecting row first: it is likely to reject the next points too.
        if (r > 0) {
          for (let j = 0; j < m; j++) {
            const t = front[j]!;
            front[j] = front[r * m + j]!;
            front[r * m + j] = t;
          }
        }
        return false;
      }
    }
    // Drop the front points p dominates, then append p.
    let w = 0;
    for (let r = 0; r < this.size; r++) {
      let dominated = true;
      for (let j = 0; j < m; j++) {
        if (p[j]! > front[r * m + j]!) {
          dominated = false;
          break;
        }
      }
      if (!dominated) {
        if (w !== r) front.copyWithin(w * m, r * m, r * m + m);
        w++;
      }
    }
    this.size = w;
    if ((this.size + 1) * m > this.front.length) {
      const grown = new Float64Array(this.front.length * 2);
      grown.set(this.front);
      this.front = grown;
    }
    this.front.set(p, this.size * m);
    this.size++;
    return true;
  }

  /** Sets `volume` to the hypervolume of the current front (kept up to date with two objectives). */
  measure(): number {
    if (this.m === 2) return this.volume;
    const rows: Float64Array[] = [];
    for (let r = 0; r < this.size; r++) rows.push(this.front.subarray(r * this.m, r * this.m + this.m));
    this.volume = rows.length === 0 ? 0 : hypervolume(rows, this.ref);
    return this.volume;
  }

  /**
   * Two objectives: the front is kept sorted by x ascending (so y descending); a point is weakly
   * dominated iff the last front point with x ≤ its x has y ≤ its y. The area is recomputed, O(size).
   */
  private add2(x: number, y: number): boolean {
    const f = this.front;
    let lo = 0;
    let hi = this.size; // first row with x > p.x
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f[mid * 2]! <= x) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && f[(lo - 1) * 2 + 1]! <= y) return false;
    // Dominated by p: a row with the same x (and a larger y) just before, and the rows from the
    // insertion point on with y ≥ p.y (their x ≥ p.x).
    if (lo > 0 && f[(lo - 1) * 2] === x) lo--;
    let end = lo;
    while (end < this.size && f[end * 2 + 1]! >= y) end++;
    const removed = end - lo;
    if (removed === 0 && (this.size + 1) * 2 > f.length) {
      const grown = new Float64Array(f.length * 2);
      grown.set(f);
      this.front = grown;
    }
    const g = this.front;
    g.copyWithin((lo + 1) * 2, end * 2, this.size * 2);
    g[lo * 2] = x;
    g[lo * 2 + 1] = y;
    this.size += 1 - removed;
    let area = 0;
    for (let r = 0; r < this.size; r++) {
      const nextX = r + 1 < this.size ? g[(r + 1) * 2]! : this.ref[0]!;
      area += (nextX - g[r * 2]!) * (this.ref[1]! - g[r * 2 + 1]!);
    }
    this.volume = area;
    return true;
  }
}

/** The default reference point (see {@link HypervolumeHistoryOptions.referencePoint}), minimised. */
function defaultReference(rows: Float64Array, n: number, m: number): number[] {
  const ref: number[] = [];
  for (let j = 0; j < m; j++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, rows[i * m + j]!);
      hi = Math.max(hi, rows[i * m + j]!);
    }
    if (n === 0) ref.push(1);
    else ref.push(hi > lo ? hi + 0.1 * (hi - lo) : hi + 1);
  }
  return ref;
}

/**
 * The hypervolume of the feasible complete trials after each trial, as a step line. Single- and
 * multi-objective studies both work (one objective: the distance of the best value to the reference).
 */
export function plotHypervolumeHistory(
  source: PlotSource,
  options: HypervolumeHistoryOptions = {},
): PlotResult<HypervolumeHistoryData> {
  const plot = 'plotHypervolumeHistory';
  checkSource(source, plot);
  const m = source.directions.length;
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  const signs = source.directions.map((d) => (d === 'maximize' ? -1 : 1));
  const complete: FrozenTrial[] = source.trials.filter(
    (t) =>
      t.state === 'complete' && t.values !== null && t.values.length === m && t.values.every(Number.isFinite),
  );
  complete.sort((a, b) => a.number - b.number);
  const feasible = feasibility(complete, source.trials);
  const n = complete.length;
  const rows = new Float64Array(n * m);
  let nFeasible = 0;
  const feasibleRows = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) rows[i * m + j] = signs[j]! * complete[i]!.values![j]!;
    if (feasible === null || feasible[i] === 1) {
      feasibleRows.set(rows.subarray(i * m, i * m + m), nFeasible * m);
      nFeasible++;
    }
  }
  let ref: number[];
  if (options.referencePoint !== undefined) {
    const r = options.referencePoint;
    if (!Array.isArray(r) || r.length !== m || !r.every((v) => Number.isFinite(v))) {
      throw new InvalidArgumentError(
        `${plot}: referencePoint must hold ${m} finite numbers (one per objective).`,
      );
    }
    ref = r.map((v, j) => signs[j]! * v);
  } else {
    ref = defaultReference(feasibleRows, nFeasible, m);
  }

  // Pass 1: the trials that change the front. With 3+ objectives, measuring after every change
  // can be slow (each measure is a full hypervolume), so at most MAX_MEASURES changes, evenly
  // spread, are measured, the last always; pass 2 replays the front and measures them.
  const feasibleAt: number[] = [];
  for (let i = 0; i < n; i++) if (feasible === null || feasible[i] === 1) feasibleAt.push(i);
  const all: [number, number][] = [];
  let tracker = new FrontTracker(ref);
  const changes: number[] = [];
  for (const i of feasibleAt) {
    if (tracker.add(rows.subarray(i * m, i * m + m))) {
      changes.push(i);
      if (m === 2) all.push([complete[i]!.number, tracker.volume]);
    }
  }
  let sparse = false;
  if (m !== 2) {
    const measured = new Set<number>();
    const budget = Math.max(
      MIN_MEASURES,
      Math.min(MAX_MEASURES, Math.floor(MEASURE_WORK / tracker.frontSize)),
    );
    const every = Math.max(1, Math.ceil(changes.length / budget));
    sparse = every > 1;
    for (let c = changes.length - 1; c >= 0; c -= every) measured.add(changes[c]!);
    tracker = new FrontTracker(ref);
    for (const i of feasibleAt) {
      if (tracker.add(rows.subarray(i * m, i * m + m)) && measured.has(i)) {
        all.push([complete[i]!.number, tracker.measure()]);
      }
    }
  }
  // The first feasible trial starts the line (at 0 when outside the reference box).
  if (feasibleAt.length > 0 && (all.length === 0 || all[0]![0] !== complete[feasibleAt[0]!]!.number)) {
    all.unshift([complete[feasibleAt[0]!]!.number, 0]);
  }
  const hv = tracker.volume;
  const lastNumber = complete[n - 1]?.number;
  if (all.length > 0 && lastNumber !== undefined && all[all.length - 1]![0] !== lastNumber) {
    all.push([lastNumber, hv]);
  }
  // Too many steps (a front that keeps changing): keep the largest increases, first and last.
  let points = all;
  if (all.length > maxPoints) {
    const gains = all.map((p, k) => ({
      k,
      gain: k === 0 ? Number.POSITIVE_INFINITY : p[1] - all[k - 1]![1],
    }));
    gains.sort((a, b) => b.gain - a.gain || a.k - b.k);
    const chosen = new Set(gains.slice(0, Math.max(2, maxPoints - 1)).map((g) => g.k));
    chosen.add(all.length - 1);
    points = all.filter((_, k) => chosen.has(k));
  }
  const series = [
    {
      name: 'Hypervolume',
      type: 'line',
      step: 'end',
      showSymbol: points.length <= 200,
      symbolSize: 4,
      dimensions: ['Trial', 'Hypervolume'],
      data: points,
    },
  ];
  const spec = {
    ...baseSpec('Hypervolume History', source),
    grid: { left: 80, right: 30, top: 50, bottom: 60 },
    xAxis: { type: 'value', name: 'Trial', nameLocation: 'middle', nameGap: 25, minInterval: 1 },
    yAxis: { type: 'value', name: 'Hypervolume', scale: true },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    series,
  };
  return {
    kind: 'hypervolume-history',
    title: 'Hypervolume History',
    data: { referencePoint: ref.map((v, j) => signs[j]! * v), points, final: hv },
    spec,
    meta: {
      nPoints: points.length,
      totalTrials: source.trials.length,
      downsampled: points.length < all.length || sparse,
    },
  };
}
