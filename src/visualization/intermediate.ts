/**
 * Intermediate values (learning curves): the reports of each trial against their steps, pruned
 * trials dimmed.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, TrialState } from '../core/frozen-trial.js';
import { baseSpec, checkSource, countPoints, resolveMaxPoints } from './common.js';
import { samplePoints } from './downsample.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotIntermediateValues}. */
export interface IntermediateOptions {
  /** The most curves drawn (default 300; `Infinity`: all). The best complete trials always stay. */
  maxCurves?: number;
  /** The most points over all curves (default 20000); longer curves are thinned evenly. */
  maxPoints?: number;
  /** Which objective ranks trials as best (default 0). */
  objectiveIndex?: number;
  /** Axis name of the reported values (default `Intermediate value`). */
  targetName?: string;
}

/** One learning curve. */
export interface Curve {
  number: number;
  state: TrialState;
  /** Whether the trial was pruned (drawn dimmed). */
  pruned: boolean;
  /** `[step, value]` pairs, by step (thinned when the plot is downsampled). */
  points: [number, number][];
}

/** Data of {@link plotIntermediateValues}. */
export interface IntermediateData {
  curves: Curve[];
  /** How many trials have intermediate values (curves drawn or not). */
  nCurvesTotal: number;
}

const DEFAULT_MAX_CURVES = 300;
const DEFAULT_MAX_CURVE_POINTS = 20000;

/** The reports of a trial by step, dropping non-finite ones. */
function curveOf(t: FrozenTrial): [number, number][] {
  const out: [number, number][] = [];
  for (const [step, value] of t.intermediateValues) if (Number.isFinite(value)) out.push([step, value]);
  out.sort((a, b) => a[0] - b[0]);
  return out;
}

/** At most `budget` points of a curve: evenly spaced, first and last kept. */
function thin(points: [number, number][], budget: number): [number, number][] {
  if (points.length <= budget) return points;
  if (budget <= 1) return [points[points.length - 1]!];
  const out: [number, number][] = [];
  const stride = (points.length - 1) / (budget - 1);
  for (let k = 0; k < budget; k++) out.push(points[Math.round(k * stride)]!);
  return out;
}

/**
 * Learning curves of every trial that reported intermediate values; pruned ones are grey and
 * translucent. With more than `maxCurves` curves, the best complete trials stay and the rest is a
 * deterministic sample; curves are thinned to honour `maxPoints`.
 */
export function plotIntermediateValues(
  source: PlotSource,
  options: IntermediateOptions = {},
): PlotResult<IntermediateData> {
  const plot = 'plotIntermediateValues';
  checkSource(source, plot);
  const maxCurves = resolveMaxPoints(options.maxCurves ?? DEFAULT_MAX_CURVES, plot);
  const maxPoints = resolveMaxPoints(options.maxPoints ?? DEFAULT_MAX_CURVE_POINTS, plot);
  const index = options.objectiveIndex ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= source.directions.length) {
    throw new InvalidArgumentError(
      `${plot}: objectiveIndex must be an integer in [0, ${source.directions.length - 1}].`,
    );
  }
  const withCurves = source.trials.filter((t) => t.intermediateValues.size > 0);
  withCurves.sort((a, b) => a.number - b.number);
  const n = withCurves.length;

  // The best complete trials (by final objective) stay when curves are dropped.
  const keep: number[] = [];
  if (n > maxCurves) {
    const sign = source.directions[index] === 'maximize' ? -1 : 1;
    const ranked: { i: number; v: number }[] = [];
    withCurves.forEach((t, i) => {
      const v = t.values?.[index];
      if (t.state === 'complete' && v !== undefined && Number.isFinite(v)) ranked.push({ i, v: sign * v });
    });
    ranked.sort((a, b) => a.v - b.v);
    const nBest = Math.max(1, Math.min(20, Math.floor(maxCurves / 5)));
    for (const r of ranked.slice(0, nBest)) keep.push(r.i);
  }
  const sample = samplePoints(n, maxCurves, keep);

  const raw = Array.from(sample.indices, (i) => curveOf(withCurves[i]!));
  let total = 0;
  for (const c of raw) total += c.length;
  const perCurve =
    total > maxPoints ? Math.max(2, Math.floor(maxPoints / Math.max(1, raw.length))) : Infinity;
  const thinned = total > maxPoints;

  const curves: Curve[] = [];
  const series: { data: unknown[]; [k: string]: unknown }[] = [];
  const name = options.targetName ?? 'Intermediate value';
  sample.indices.forEach((i, k) => {
    const t = withCurves[i]!;
    const points = thin(raw[k]!, perCurve);
    const pruned = t.state === 'pruned';
    curves.push({ number: t.number, state: t.state, pruned, points });
    series.push({
      name: `Trial ${t.number}`,
      type: 'line',
      showSymbol: points.length === 1,
      symbolSize: 4,
      z: pruned ? 1 : 2,
      lineStyle: pruned ? { color: '#b0b0b0', width: 1, opacity: 0.35 } : { width: 1.5, opacity: 0.9 },
      itemStyle: pruned ? { color: '#b0b0b0', opacity: 0.35 } : {},
      emphasis: { focus: 'series' },
      dimensions: ['Step', name],
      data: points,
    });
  });
  const spec = {
    ...baseSpec('Intermediate Values', source),
    grid: { left: 70, right: 30, top: 50, bottom: 60 },
    xAxis: { type: 'value', name: 'Step', nameLocation: 'middle', nameGap: 25, scale: true },
    yAxis: { type: 'value', name, scale: true },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    color: ['#5470c6', '#91cc75', '#73c0de', '#3ba272', '#9a60b4', '#ea7ccc', '#fc8452', '#ee6666'],
    series,
  };
  return {
    kind: 'intermediate',
    title: 'Intermediate Values',
    data: { curves, nCurvesTotal: n },
    spec,
    meta: {
      nPoints: countPoints(series),
      totalTrials: source.trials.length,
      downsampled: sample.downsampled || thinned,
    },
  };
}
