/**
 * Optimization history: the value of each complete trial against its number, with the
 * best-so-far line (exact even when the points are downsampled).
 * @module
 */
import type { StudyDirection } from '../core/frozen-trial.js';
import {
  baseSpec,
  checkSource,
  completeTargets,
  countPoints,
  feasibility,
  resolveMaxPoints,
  resolveTarget,
  type TargetOptions,
} from './common.js';
import { extremeIndices, samplePoints } from './downsample.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotOptimizationHistory}. */
export interface HistoryOptions extends TargetOptions {
  /** The most trial points drawn (default 5000; `Infinity`: all). The best line is always exact. */
  maxPoints?: number;
  /** A log-scaled value axis (when every value is positive). */
  logScale?: boolean;
}

/** One plotted trial. */
export interface HistoryPoint {
  number: number;
  value: number;
  /** False for trials violating the study's constraints. */
  feasible: boolean;
}

/** Data of {@link plotOptimizationHistory}. */
export interface HistoryData {
  targetName: string;
  direction: StudyDirection | null;
  /** The plotted complete trials, by number. */
  points: HistoryPoint[];
  /**
   * The best-so-far line: the trial numbers where the best feasible value improved, with that value,
   * plus the last complete trial (so the line reaches it). Empty without a direction.
   */
  best: { number: number; value: number }[];
}

/** The best-so-far step line: improvements and a final point. */
function bestSoFar(
  numbers: ArrayLike<number>,
  values: Float64Array,
  feasible: Uint8Array | null,
  direction: StudyDirection,
): { indices: number[]; line: { number: number; value: number }[] } {
  const sign = direction === 'maximize' ? -1 : 1;
  const indices: number[] = [];
  const line: { number: number; value: number }[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    if (feasible !== null && feasible[i] === 0) continue;
    const v = sign * values[i]!;
    if (v < best) {
      best = v;
      indices.push(i);
      line.push({ number: numbers[i]!, value: values[i]! });
    }
  }
  const last = values.length - 1;
  if (line.length > 0 && indices[indices.length - 1] !== last) {
    line.push({ number: numbers[last]!, value: sign * best });
  }
  return { indices, line };
}

/**
 * The optimization history of a study: each complete trial's value (infeasible ones apart) and
 * the best value so far. Downsampling keeps every improvement, the best and worst trials.
 */
export function plotOptimizationHistory(
  source: PlotSource,
  options: HistoryOptions = {},
): PlotResult<HistoryData> {
  const plot = 'plotOptimizationHistory';
  checkSource(source, plot);
  const target = resolveTarget(source, options, plot);
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  const { trials, values } = completeTargets(source.trials, target.value);
  const n = trials.length;
  const numbers = new Int32Array(n);
  for (let i = 0; i < n; i++) numbers[i] = trials[i]!.number;
  const feasible = feasibility(trials, source.trials);

  const best = target.direction === null ? null : bestSoFar(numbers, values, feasible, target.direction);
  const nExtremes = Math.max(1, Math.min(50, Math.floor(maxPoints / 20)));
  const keep: number[] = [...(best?.indices ?? [])];
  if (n > maxPoints) {
    keep.push(...extremeIndices(values, target.direction, nExtremes), n - 1);
  }
  const sample = samplePoints(n, maxPoints, keep);

  const points: HistoryPoint[] = [];
  const feasibleData: [number, number][] = [];
  const infeasibleData: [number, number][] = [];
  for (const i of sample.indices) {
    const ok = feasible === null || feasible[i] === 1;
    points.push({ number: numbers[i]!, value: values[i]!, feasible: ok });
    (ok ? feasibleData : infeasibleData).push([numbers[i]!, values[i]!]);
  }
  const bestLine = best?.line ?? [];

  const dims = ['Trial', target.name];
  const large = { large: true, largeThreshold: 2000 };
  const series: { data: unknown[]; [k: string]: unknown }[] = [
    {
      name: target.name,
      type: 'scatter',
      symbolSize: 6,
      dimensions: dims,
      data: feasibleData,
      ...large,
    },
  ];
  if (infeasibleData.length > 0) {
    series.push({
      name: 'Infeasible',
      type: 'scatter',
      symbolSize: 6,
      itemStyle: { color: '#b0b0b0' },
      dimensions: dims,
      data: infeasibleData,
      ...large,
    });
  }
  if (bestLine.length > 0) {
    series.push({
      name: 'Best value',
      type: 'line',
      step: 'end',
      showSymbol: false,
      lineStyle: { color: '#ee6666', width: 2 },
      itemStyle: { color: '#ee6666' },
      dimensions: dims,
      data: bestLine.map((p) => [p.number, p.value]),
    });
  }
  const logScale = options.logScale === true && n > 0 && values.every((v) => v > 0);
  const spec = {
    ...baseSpec('Optimization History', source),
    legend: { bottom: 0 },
    grid: { left: 70, right: 30, top: 50, bottom: 80 },
    xAxis: { type: 'value', name: 'Trial', nameLocation: 'middle', nameGap: 25, minInterval: 1 },
    yAxis: { type: logScale ? 'log' : 'value', name: target.name, scale: true },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0 },
      { type: 'slider', xAxisIndex: 0, bottom: 30, height: 18 },
    ],
    series,
  };
  return {
    kind: 'history',
    title: 'Optimization History',
    data: { targetName: target.name, direction: target.direction, points, best: bestLine },
    spec,
    meta: {
      nPoints: countPoints(series),
      totalTrials: source.trials.length,
      downsampled: sample.downsampled,
    },
  };
}
