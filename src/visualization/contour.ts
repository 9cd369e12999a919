/**
 * Contour of a pair of parameters: the plotted value interpolated on a grid (drawn as a heatmap)
 * with the trials on top.
 *
 * Notation: the pair is put in the unit square (log scale for log parameters; a categorical
 * parameter has one cell per choice, at the cell's centre). `G = Gx·Gy` cells, cell (ix, iy) at
 * index `iy·Gx + ix`. The trials are first binned into the cells (`sum`, `count`: Float64Array(G)),
 * then each cell gets inverse-distance weighted mean of the non-empty bins (Shepard, power 3,
 * distances in cell units): w_b = count_b / (d² + ε)^1.5. A cell holding trials is ≈ their mean.
 * Binning first bounds the work by G², whatever the number of trials.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { StudyDirection } from '../core/frozen-trial.js';
import {
  axisValue,
  baseSpec,
  checkSource,
  completeTargets,
  type ParamAxis,
  paramAxes,
  paramAxisSpec,
  resolveMaxPoints,
  resolveTarget,
  roundForLabel,
  type TargetOptions,
} from './common.js';
import { extremeIndices, samplePoints } from './downsample.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotContour}. */
export interface ContourOptions extends TargetOptions {
  /** The pair `[x, y]` (default: the first two parameters by name). */
  params?: readonly [string, string];
  /** Cells per numeric axis (default 40, 2…200); a categorical axis has one cell per choice. */
  gridSize?: number;
  /** The most trial markers drawn (default 5000; `Infinity`: all). The interpolation uses every trial. */
  maxPoints?: number;
}

/** One trial marker. */
export interface ContourPoint {
  number: number;
  x: number | string;
  y: number | string;
  value: number;
}

/** Data of {@link plotContour}. */
export interface ContourData {
  targetName: string;
  direction: StudyDirection | null;
  xAxis: ParamAxis;
  yAxis: ParamAxis;
  /** Cell centres along x (parameter values, or choice labels). Length Gx. */
  gridX: (number | string)[];
  /** Cell centres along y. Length Gy. */
  gridY: (number | string)[];
  /** Interpolated values, row-major by y: `z[iy][ix]`; NaN when no trial has both parameters. */
  z: number[][];
  points: ContourPoint[];
}

const DEFAULT_GRID = 40;

/** Position in [0, 1] of a value on an axis. */
function unit(axis: ParamAxis, v: number | string): number {
  if (axis.kind === 'categorical') {
    const k = axis.choices.indexOf(v as string);
    return (k + 0.5) / axis.choices.length;
  }
  const x = v as number;
  if (axis.log && axis.low > 0) {
    const a = Math.log(axis.low);
    const b = Math.log(axis.high);
    return b > a ? (Math.log(x) - a) / (b - a) : 0.5;
  }
  return axis.high > axis.low ? (x - axis.low) / (axis.high - axis.low) : 0.5;
}

/** Cell-centre values of an axis. */
function centres(axis: ParamAxis, cells: number): (number | string)[] {
  if (axis.kind === 'categorical') return [...axis.choices];
  const out: number[] = [];
  for (let i = 0; i < cells; i++) {
    const u = (i + 0.5) / cells;
    let v: number;
    if (axis.log && axis.low > 0)
      v = Math.exp(Math.log(axis.low) + u * (Math.log(axis.high) - Math.log(axis.low)));
    else v = axis.low + u * (axis.high - axis.low);
    out.push(roundForLabel(v));
  }
  return out;
}

/**
 * Interpolates binned values on a Gx × Gy grid (see the module notation). Returns Float64Array(G),
 * NaN everywhere when no bin holds a trial.
 */
export function interpolateGrid(
  gx: number,
  gy: number,
  ux: Float64Array,
  uy: Float64Array,
  values: Float64Array,
): Float64Array {
  const G = gx * gy;
  const sum = new Float64Array(G);
  const count = new Float64Array(G);
  for (let i = 0; i < values.length; i++) {
    const ix = Math.min(gx - 1, Math.max(0, Math.floor(ux[i]! * gx)));
    const iy = Math.min(gy - 1, Math.max(0, Math.floor(uy[i]! * gy)));
    sum[iy * gx + ix]! += values[i]!;
    count[iy * gx + ix]! += 1;
  }
  // Non-empty bins: their cell coordinates, mean and count.
  let nb = 0;
  for (let c = 0; c < G; c++) if (count[c]! > 0) nb++;
  const bx = new Float64Array(nb);
  const by = new Float64Array(nb);
  const bm = new Float64Array(nb);
  const bc = new Float64Array(nb);
  let k = 0;
  for (let c = 0; c < G; c++) {
    if (count[c]! > 0) {
      bx[k] = c % gx;
      by[k] = Math.floor(c / gx);
      bm[k] = sum[c]! / count[c]!;
      bc[k] = count[c]!;
      k++;
    }
  }
  const out = new Float64Array(G).fill(Number.NaN);
  if (nb === 0) return out;
  const eps = 1e-3;
  for (let iy = 0; iy < gy; iy++) {
    for (let ix = 0; ix < gx; ix++) {
      let num = 0;
      let den = 0;
      for (let b = 0; b < nb; b++) {
        const dx = bx[b]! - ix;
        const dy = by[b]! - iy;
        const q = dx * dx + dy * dy + eps;
        const w = bc[b]! / (q * Math.sqrt(q));
        num += w * bm[b]!;
        den += w;
      }
      out[iy * gx + ix] = num / den;
    }
  }
  return out;
}

/** An axis pair for one dimension: the heatmap's category axis and the markers' axis. */
function axisPair(
  axis: ParamAxis,
  labels: (number | string)[],
  dim: 'x' | 'y',
): { axes: Record<string, unknown>[]; markerIndex: number } {
  // Both axes of a dimension sit on the same side (ECharts would put the second one opposite).
  const name = {
    nameLocation: 'middle',
    nameGap: dim === 'x' ? 25 : 50,
    position: dim === 'x' ? 'bottom' : 'left',
  };
  if (axis.kind === 'categorical') {
    return { axes: [{ ...paramAxisSpec(axis, name) }], markerIndex: 0 };
  }
  return {
    axes: [
      {
        type: 'category',
        data: labels,
        show: false,
        boundaryGap: true,
        position: dim === 'x' ? 'bottom' : 'left',
      },
      { ...paramAxisSpec(axis, name), scale: false, splitLine: { show: false } },
    ],
    markerIndex: 1,
  };
}

/**
 * The contour of a pair of parameters: an interpolated grid of the plotted value as a heatmap,
 * and the complete trials as markers. Every trial with both parameters feeds the grid; markers
 * are downsampled to `maxPoints` (best trials kept).
 */
export function plotContour(source: PlotSource, options: ContourOptions = {}): PlotResult<ContourData> {
  const plot = 'plotContour';
  checkSource(source, plot);
  const target = resolveTarget(source, options, plot);
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  const gridSize = options.gridSize ?? DEFAULT_GRID;
  if (!Number.isInteger(gridSize) || gridSize < 2 || gridSize > 200) {
    throw new InvalidArgumentError(
      `${plot}: gridSize must be an integer in [2, 200], got ${String(gridSize)}.`,
    );
  }
  const { trials, values } = completeTargets(source.trials, target.value);
  if (options.params !== undefined && (!Array.isArray(options.params) || options.params.length !== 2)) {
    throw new InvalidArgumentError(`${plot}: 'params' must be a pair of parameter names [x, y].`);
  }
  if (options.params !== undefined && options.params[0] === options.params[1]) {
    throw new InvalidArgumentError(`${plot}: 'params' must name two different parameters.`);
  }
  const known = paramAxes(trials, options.params, plot);
  if (known.length < 2) {
    throw new InvalidArgumentError(
      `${plot}: a contour needs two parameters; the complete trials have ${known.length}.`,
    );
  }
  const xAxis = known[0]!;
  const yAxis = known[1]!;

  // Trials with both parameters.
  const idx: number[] = [];
  const xs: (number | string)[] = [];
  const ys: (number | string)[] = [];
  for (let i = 0; i < trials.length; i++) {
    const x = axisValue(xAxis, trials[i]!);
    const y = axisValue(yAxis, trials[i]!);
    if (x === undefined || y === undefined) continue;
    idx.push(i);
    xs.push(x);
    ys.push(y);
  }
  const m = idx.length;
  const ux = new Float64Array(m);
  const uy = new Float64Array(m);
  const vs = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    ux[k] = unit(xAxis, xs[k]!);
    uy[k] = unit(yAxis, ys[k]!);
    vs[k] = values[idx[k]!]!;
  }
  const gx = xAxis.kind === 'categorical' ? xAxis.choices.length : gridSize;
  const gy = yAxis.kind === 'categorical' ? yAxis.choices.length : gridSize;
  const grid = interpolateGrid(gx, gy, ux, uy, vs);
  const gridX = centres(xAxis, gx);
  const gridY = centres(yAxis, gy);

  const z: number[][] = [];
  const heat: [number, number, number][] = [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let iy = 0; iy < gy; iy++) {
    const row: number[] = [];
    for (let ix = 0; ix < gx; ix++) {
      const v = grid[iy * gx + ix]!;
      row.push(v);
      if (Number.isFinite(v)) {
        heat.push([ix, iy, v]);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    z.push(row);
  }
  if (!(lo <= hi)) {
    lo = 0;
    hi = 1;
  }

  const keep = m > maxPoints ? extremeIndices(vs, target.direction, Math.min(100, maxPoints)) : [];
  const sample = samplePoints(m, maxPoints, keep);
  const points: ContourPoint[] = [];
  const markers: [number | string, number | string, number, number][] = [];
  for (const k of sample.indices) {
    const number = trials[idx[k]!]!.number;
    points.push({ number, x: xs[k]!, y: ys[k]!, value: vs[k]! });
    markers.push([xs[k]!, ys[k]!, vs[k]!, number]);
  }

  const px = axisPair(xAxis, gridX, 'x');
  const py = axisPair(yAxis, gridY, 'y');
  const ramp = ['#08306b', '#2171b5', '#6baed6', '#c6dbef', '#f7fbff'];
  const series = [
    {
      name: target.name,
      type: 'heatmap',
      xAxisIndex: 0,
      yAxisIndex: 0,
      progressive: 0,
      dimensions: [xAxis.name, yAxis.name, target.name],
      data: heat,
    },
    {
      name: 'Trials',
      type: 'scatter',
      xAxisIndex: px.markerIndex,
      yAxisIndex: py.markerIndex,
      symbolSize: 5,
      large: true,
      largeThreshold: 2000,
      itemStyle: { color: '#222', borderColor: '#fff', borderWidth: 0.5 },
      dimensions: [xAxis.name, yAxis.name, target.name, 'Trial'],
      data: markers,
    },
  ];
  const spec = {
    ...baseSpec('Contour', source),
    grid: { left: 80, right: 110, top: 50, bottom: 50 },
    xAxis: px.axes,
    yAxis: py.axes,
    visualMap: {
      type: 'continuous',
      seriesIndex: 0,
      dimension: 2,
      min: lo,
      max: hi,
      text: [target.name, ''],
      calculable: true,
      right: 0,
      top: 'middle',
      inRange: { color: target.direction === 'maximize' ? [...ramp].reverse() : ramp },
    },
    series,
  };
  return {
    kind: 'contour',
    title: 'Contour',
    data: { targetName: target.name, direction: target.direction, xAxis, yAxis, gridX, gridY, z, points },
    spec,
    meta: {
      nPoints: heat.length + markers.length,
      totalTrials: source.trials.length,
      downsampled: sample.downsampled,
    },
  };
}
