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

/** Data of {@link plotHypervolumeHistory}. */
export interface HypervolumeHistoryData {
  referencePoint: number[];
  /**
   * `[trial number, hypervolume]` where the hypervolume changed (first feasible trial included),
   * plus the last complete trial; a step function between them.
   */
  points: [number, number][];
  /** The hypervolume after the last trial. */
  final: number;
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

  let front: number[][] = [];
  let hv = 0;
  const all: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (feasible !== null && feasible[i] === 0) continue;
    const p = Array.from(rows.subarray(i * m, i * m + m));
    let inside = true;
    for (let j = 0; j < m; j++) if (!(p[j]! < ref[j]!)) inside = false;
    let changed = false;
    if (inside && !front.some((q) => q.every((v, j) => v <= p[j]!))) {
      front = front.filter((q) => !p.every((v, j) => v <= q[j]!));
      front.push(p);
      hv = hypervolume(front, ref);
      changed = true;
    }
    if (changed || all.length === 0) all.push([complete[i]!.number, hv]);
  }
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
      downsampled: points.length < all.length,
    },
  };
}
