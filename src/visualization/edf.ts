/**
 * Empirical distribution function of the plotted value over the complete trials: the fraction of
 * trials whose value is ≤ x.
 * @module
 */
import {
  baseSpec,
  checkSource,
  completeTargets,
  resolveMaxPoints,
  resolveTarget,
  type TargetOptions,
} from './common.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotEdf}. */
export interface EdfOptions extends TargetOptions {
  /** The most steps drawn (default 5000; `Infinity`: all); the first and last stay. */
  maxPoints?: number;
  /** A log-scaled value axis (when every value is positive). */
  logScale?: boolean;
}

/** Data of {@link plotEdf}. */
export interface EdfData {
  targetName: string;
  /** `[x, F(x)]`, x ascending and distinct, F non-decreasing in (0, 1], ending at 1. */
  points: [number, number][];
  /** Number of values the function is built on. */
  nValues: number;
}

/**
 * The empirical distribution function of the complete trials' values, as a step line. When it
 * has more distinct values than `maxPoints`, evenly spaced ranks are kept (first and last included),
 * so F stays exact at every drawn x.
 */
export function plotEdf(source: PlotSource, options: EdfOptions = {}): PlotResult<EdfData> {
  const plot = 'plotEdf';
  checkSource(source, plot);
  const target = resolveTarget(source, options, plot);
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  const { values } = completeTargets(source.trials, target.value);
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  // Distinct values with F(x) = (rank of the last copy + 1) / n.
  const all: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    all.push([sorted[i]!, (i + 1) / n]);
  }
  let points = all;
  if (all.length > maxPoints) {
    points = [];
    const budget = Math.max(2, maxPoints);
    const stride = (all.length - 1) / (budget - 1);
    let last = -1;
    for (let k = 0; k < budget; k++) {
      const j = Math.round(k * stride);
      if (j !== last) points.push(all[j]!);
      last = j;
    }
  }
  const logScale = options.logScale === true && n > 0 && sorted[0]! > 0;
  const series = [
    {
      name: target.name,
      type: 'line',
      step: 'end',
      showSymbol: false,
      dimensions: [target.name, 'Cumulative probability'],
      data: points,
    },
  ];
  const spec = {
    ...baseSpec('Empirical Distribution Function', source, { trigger: 'axis' }),
    grid: { left: 70, right: 30, top: 50, bottom: 60 },
    xAxis: {
      type: logScale ? 'log' : 'value',
      name: target.name,
      nameLocation: 'middle',
      nameGap: 25,
      scale: true,
    },
    yAxis: { type: 'value', name: 'Cumulative probability', min: 0, max: 1 },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    series,
  };
  return {
    kind: 'edf',
    title: 'Empirical Distribution Function',
    data: { targetName: target.name, points, nValues: n },
    spec,
    meta: {
      nPoints: points.length,
      totalTrials: source.trials.length,
      downsampled: points.length < all.length,
    },
  };
}
