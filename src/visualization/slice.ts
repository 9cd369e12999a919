/**
 * Slice plot: for each parameter, the plotted value of the complete trials against that
 * parameter, one small chart per parameter, coloured by trial number.
 * @module
 */
import {
  axisValue,
  baseSpec,
  checkSource,
  completeTargets,
  countPoints,
  type ParamAxis,
  paramAxes,
  paramAxisSpec,
  resolveMaxPoints,
  resolveTarget,
  type TargetOptions,
} from './common.js';
import { extremeIndices, samplePoints } from './downsample.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotSlice}. */
export interface SliceOptions extends TargetOptions {
  /** The parameters to show, in this order (default: all, by name). */
  params?: readonly string[];
  /** The most trials drawn (in each panel; default 5000; `Infinity`: all). Best trials stay. */
  maxPoints?: number;
  /** Panels per row (default: up to 3). */
  columns?: number;
}

/** One panel: a parameter and the `[parameter value, plotted value, trial number]` points. */
export interface SlicePanel {
  axis: ParamAxis;
  points: [number | string, number, number][];
}

/** Data of {@link plotSlice}. */
export interface SliceData {
  targetName: string;
  panels: SlicePanel[];
  /** Rows of panels in the spec's layout (size the chart about 280 px per row). */
  rows: number;
  columns: number;
}

/**
 * One scatter panel per parameter: x the parameter (category or log axis as declared), y the
 * plotted value, colour the trial number. Downsampling keeps the best and extreme trials.
 */
export function plotSlice(source: PlotSource, options: SliceOptions = {}): PlotResult<SliceData> {
  const plot = 'plotSlice';
  checkSource(source, plot);
  const target = resolveTarget(source, options, plot);
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  const { trials, values } = completeTargets(source.trials, target.value);
  const axes = paramAxes(trials, options.params, plot);
  const n = trials.length;
  const keep: number[] = [];
  if (n > maxPoints) {
    const k = Math.max(1, Math.min(100, Math.floor(maxPoints / 20)));
    keep.push(...extremeIndices(values, target.direction, k));
  }
  const sample = samplePoints(n, maxPoints, keep);

  const panels: SlicePanel[] = axes.map((axis) => ({ axis, points: [] }));
  for (const i of sample.indices) {
    const t = trials[i]!;
    for (const panel of panels) {
      const x = axisValue(panel.axis, t);
      if (x !== undefined) panel.points.push([x, values[i]!, t.number]);
    }
  }

  const columns = Math.max(1, Math.min(options.columns ?? 3, Math.max(1, axes.length)));
  const rows = Math.max(1, Math.ceil(axes.length / columns));
  const top = 9; // percent reserved for the title
  const bottom = 3;
  const rowHeight = (100 - top - bottom) / rows;
  const colWidth = 100 / columns;
  const grid = axes.map((_, k) => {
    const r = Math.floor(k / columns);
    const c = k % columns;
    return {
      left: `${(c * colWidth + 6).toFixed(2)}%`,
      width: `${(colWidth - 10).toFixed(2)}%`,
      top: `${(top + r * rowHeight + 2).toFixed(2)}%`,
      height: `${(rowHeight - 9).toFixed(2)}%`,
    };
  });
  const xAxis = axes.map((axis, k) =>
    paramAxisSpec(axis, {
      gridIndex: k,
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: { fontSize: 11 },
    }),
  );
  const yAxis = axes.map((_, k) => ({
    type: 'value',
    gridIndex: k,
    scale: true,
    name: k % columns === 0 ? target.name : '',
  }));
  const series = panels.map((panel, k) => ({
    name: panel.axis.name,
    type: 'scatter',
    xAxisIndex: k,
    yAxisIndex: k,
    symbolSize: 5,
    large: true,
    largeThreshold: 2000,
    dimensions: [panel.axis.name, target.name, 'Trial'],
    data: panel.points,
  }));
  let maxNumber = 0;
  for (const t of trials) maxNumber = Math.max(maxNumber, t.number);
  const spec = {
    ...baseSpec('Slice', source),
    grid,
    xAxis,
    yAxis,
    visualMap: {
      type: 'continuous',
      dimension: 2,
      min: 0,
      max: Math.max(1, maxNumber),
      text: ['Trial', ''],
      right: 0,
      top: 0,
      orient: 'horizontal',
      itemWidth: 10,
      itemHeight: 80,
      inRange: { color: ['#c6dbef', '#6baed6', '#2171b5', '#08306b'] },
    },
    series,
  };
  return {
    kind: 'slice',
    title: 'Slice',
    data: { targetName: target.name, panels, rows, columns },
    spec,
    meta: {
      nPoints: countPoints(series),
      totalTrials: source.trials.length,
      downsampled: sample.downsampled,
    },
  };
}
