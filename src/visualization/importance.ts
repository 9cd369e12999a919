/**
 * Hyperparameter importances as horizontal bars, most important on top: fANOVA (the default) or
 * PED-ANOVA, computed by `computeParamImportances` (src/importance) on the complete trials.
 * @module
 */
import { InvalidArgumentError, NoCompletedTrialsError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import {
  computeParamImportances,
  FanovaImportanceEvaluator,
  type ImportanceEvaluator,
  PedAnovaImportanceEvaluator,
} from '../importance/index.js';
import { baseSpec, checkSource, countPoints, metricName, roundForLabel } from './common.js';
import type { PlotResult, PlotSource } from './types.js';

/** Options of {@link plotParamImportances}. */
export interface ImportanceOptions {
  /** `'fanova'` (default: a seeded random forest), `'ped-anova'` (fast), or an evaluator object. */
  evaluator?: 'fanova' | 'ped-anova' | ImportanceEvaluator;
  /** The parameters to assess (default: those every complete trial has). */
  params?: readonly string[];
  /**
   * Which objective (default: every objective of the study, one bar series each). Ignored with `target`.
   */
  objectiveIndex?: number;
  /** Explains `target(trial)` instead of an objective. */
  target?: (trial: FrozenTrial) => number;
  /** Name of the explained value (default: the metric name). */
  targetName?: string;
  /**
   * At most this many trials, the most recent (default 2000, which keeps fANOVA well under a
   * second; `computeParamImportances` itself defaults to 5000).
   */
  maxTrials?: number;
}

/** Default of {@link ImportanceOptions.maxTrials}. */
const DEFAULT_PLOT_MAX_TRIALS = 2000;

/** Importances of the parameters for one explained value, highest first. */
export interface ImportanceSeries {
  targetName: string;
  importances: { param: string; importance: number }[];
}

/** Data of {@link plotParamImportances}. */
export interface ImportanceData {
  evaluator: string;
  /** One entry per explained value (each objective, or the target). */
  series: ImportanceSeries[];
  /** Parameter names in the order of the bars, most important (for the first series) first. */
  params: string[];
}

function evaluatorOf(option: ImportanceOptions['evaluator']): {
  evaluator: ImportanceEvaluator;
  name: string;
} {
  if (option === undefined || option === 'fanova')
    return { evaluator: new FanovaImportanceEvaluator(), name: 'fanova' };
  if (option === 'ped-anova') return { evaluator: new PedAnovaImportanceEvaluator(), name: 'ped-anova' };
  if (typeof option === 'object' && option !== null && typeof option.evaluate === 'function') {
    return { evaluator: option, name: option.constructor?.name ?? 'custom' };
  }
  throw new InvalidArgumentError(
    `plotParamImportances: evaluator must be 'fanova', 'ped-anova' or an ImportanceEvaluator, got ${String(option)}.`,
  );
}

/**
 * Bars of the importances of the parameters (normalised to sum to 1). A study with fewer than two
 * usable complete trials gives an empty plot.
 */
export function plotParamImportances(
  source: PlotSource,
  options: ImportanceOptions = {},
): PlotResult<ImportanceData> {
  const plot = 'plotParamImportances';
  checkSource(source, plot);
  const { evaluator, name } = evaluatorOf(options.evaluator);
  const targets: { name: string; target: (t: FrozenTrial) => number }[] = [];
  if (options.target !== undefined) {
    if (typeof options.target !== 'function') {
      throw new InvalidArgumentError(`${plot}: 'target' must be a function (trial) => number.`);
    }
    targets.push({ name: options.targetName ?? 'Target value', target: options.target });
  } else {
    const m = source.directions.length;
    const index = options.objectiveIndex;
    if (index !== undefined && (!Number.isInteger(index) || index < 0 || index >= m)) {
      throw new InvalidArgumentError(`${plot}: objectiveIndex must be an integer in [0, ${m - 1}].`);
    }
    const indices = index === undefined ? Array.from({ length: m }, (_, k) => k) : [index];
    for (const k of indices) {
      targets.push({
        name: options.targetName ?? metricName(source, k),
        target: (t) => t.values?.[k] ?? Number.NaN,
      });
    }
  }
  const series: ImportanceSeries[] = [];
  for (const t of targets) {
    let result: Record<string, number>;
    try {
      result = computeParamImportances(source.trials, source.directions, {
        evaluator,
        target: t.target,
        ...(options.params === undefined ? {} : { params: options.params }),
        maxTrials: options.maxTrials ?? DEFAULT_PLOT_MAX_TRIALS,
      });
    } catch (e) {
      if (e instanceof NoCompletedTrialsError) result = {};
      else throw e;
    }
    const importances = Object.entries(result)
      .map(([param, importance]) => ({ param, importance }))
      .sort((a, b) => b.importance - a.importance || (a.param < b.param ? -1 : 1));
    series.push({ targetName: t.name, importances });
  }
  const params = series[0]?.importances.map((e) => e.param) ?? [];
  // The category axis runs bottom-up: list the least important first so the top bar is the most.
  const axisParams = [...params].reverse();
  const chartSeries = series.map((s) => {
    const byParam = new Map(s.importances.map((e) => [e.param, e.importance]));
    return {
      name: s.targetName,
      type: 'bar',
      label: { show: true, position: 'right', fontSize: 10 },
      dimensions: ['Parameter', 'Importance'],
      encode: { y: 'Parameter', x: 'Importance' },
      data: axisParams.map((p) => [p, roundForLabel(byParam.get(p) ?? 0)]),
    };
  });
  const spec = {
    ...baseSpec(`Hyperparameter Importances (${name})`, source),
    legend: series.length > 1 ? { bottom: 0 } : { show: false },
    grid: { left: 20, right: 60, top: 50, bottom: series.length > 1 ? 40 : 20, containLabel: true },
    xAxis: { type: 'value', name: 'Importance', min: 0 },
    yAxis: { type: 'category', data: axisParams },
    series: chartSeries,
  };
  return {
    kind: 'importance',
    title: 'Hyperparameter Importances',
    data: { evaluator: name, series, params },
    spec,
    meta: { nPoints: countPoints(chartSeries), totalTrials: source.trials.length, downsampled: false },
  };
}
