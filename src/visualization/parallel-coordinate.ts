/**
 * Parallel coordinates: one line per complete trial through the objective and each parameter,
 * coloured by the objective.
 * @module
 */
import type { StudyDirection } from '../core/frozen-trial.js';
import {
  axisValue,
  baseSpec,
  checkSource,
  completeTargets,
  type ParamAxis,
  paramAxes,
  resolveMaxPoints,
  resolveTarget,
  type TargetOptions,
} from './common.js';
import { extremeIndices, samplePoints } from './downsample.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotParallelCoordinate}. */
export interface ParallelCoordinateOptions extends TargetOptions {
  /** The parameters to show, in this order (default: all, by name). */
  params?: readonly string[];
  /** The most lines drawn (default 5000; `Infinity`: all). The best trials always stay. */
  maxPoints?: number;
}

/** One line: a trial's value and its parameters (numbers, or labels of categorical choices). */
export interface ParallelRow {
  number: number;
  value: number;
  params: (number | string)[];
}

/** Data of {@link plotParallelCoordinate}. */
export interface ParallelCoordinateData {
  targetName: string;
  direction: StudyDirection | null;
  /** The parameter axes, in plotted order. */
  axes: ParamAxis[];
  /** Complete trials that have every shown parameter, by number (downsampled). */
  rows: ParallelRow[];
}

/**
 * Parallel coordinates of the complete trials that have all the shown parameters. Categorical
 * parameters get category axes, log parameters log axes; lines are coloured by the plotted value.
 */
export function plotParallelCoordinate(
  source: PlotSource,
  options: ParallelCoordinateOptions = {},
): PlotResult<ParallelCoordinateData> {
  const plot = 'plotParallelCoordinate';
  checkSource(source, plot);
  const target = resolveTarget(source, options, plot);
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  const all = completeTargets(source.trials, target.value);
  const axes = paramAxes(all.trials, options.params, plot);

  // Trials lacking a shown parameter are left out (their line would have a gap).
  const eligible: number[] = [];
  for (let i = 0; i < all.trials.length; i++) {
    const params = all.trials[i]!.params;
    let ok = true;
    for (const axis of axes) {
      if (params[axis.name] === undefined) {
        ok = false;
        break;
      }
    }
    if (ok) eligible.push(i);
  }
  const values = Float64Array.from(eligible, (i) => all.values[i]!);
  const keep: number[] = [];
  if (eligible.length > maxPoints) {
    const k = Math.max(1, Math.min(100, Math.floor(maxPoints / 20)));
    keep.push(...extremeIndices(values, target.direction, k));
  }
  const sample = samplePoints(eligible.length, maxPoints, keep);
  const rows: ParallelRow[] = Array.from(sample.indices, (s) => {
    const i = eligible[s]!;
    const t = all.trials[i]!;
    return { number: t.number, value: all.values[i]!, params: axes.map((axis) => axisValue(axis, t)!) };
  });

  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    lo = Math.min(lo, r.value);
    hi = Math.max(hi, r.value);
  }
  if (rows.length === 0) {
    lo = 0;
    hi = 1;
  }
  // Dark is best: reverse the ramp for maximisation.
  const ramp = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
  const parallelAxis = [
    { dim: 0, name: target.name, type: 'value', scale: true },
    ...axes.map((axis, k) => {
      const dim = k + 1;
      if (axis.kind === 'categorical') return { dim, name: axis.name, type: 'category', data: axis.choices };
      if (axis.log && axis.low > 0)
        return { dim, name: axis.name, type: 'log', min: axis.low, max: axis.high };
      return { dim, name: axis.name, type: 'value', min: axis.low, max: axis.high };
    }),
  ];
  const series = [
    {
      name: target.name,
      type: 'parallel',
      smooth: false,
      progressive: 1000,
      lineStyle: { width: 1, opacity: rows.length > 1000 ? 0.25 : 0.6 },
      emphasis: { lineStyle: { width: 2, opacity: 1 } },
      data: rows.map((r) => [r.value, ...r.params]),
    },
  ];
  const spec = {
    ...baseSpec('Parallel Coordinate', source),
    parallel: {
      left: 70,
      right: 90,
      top: 60,
      bottom: 40,
      parallelAxisDefault: { nameLocation: 'end', nameGap: 16, nameTextStyle: { fontSize: 11 } },
    },
    parallelAxis,
    visualMap: {
      type: 'continuous',
      dimension: 0,
      min: lo,
      max: hi,
      text: [target.name, ''],
      calculable: true,
      right: 0,
      top: 'middle',
      itemHeight: 120,
      inRange: { color: target.direction === 'maximize' ? ramp : [...ramp].reverse() },
    },
    series,
  };
  return {
    kind: 'parallel-coordinate',
    title: 'Parallel Coordinate',
    data: { targetName: target.name, direction: target.direction, axes, rows },
    spec,
    meta: {
      nPoints: series[0]!.data.length,
      totalTrials: source.trials.length,
      downsampled: sample.downsampled,
    },
  };
}
