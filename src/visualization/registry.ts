/**
 * `PLOTS`: every plot function by its kind, with typed options and data, for servers and reports
 * that draw plots by name.
 * @module
 */
import { type ContourData, type ContourOptions, plotContour } from './contour.js';
import { type EdfData, type EdfOptions, plotEdf } from './edf.js';
import { type HistoryData, type HistoryOptions, plotOptimizationHistory } from './history.js';
import {
  type HypervolumeHistoryData,
  type HypervolumeHistoryOptions,
  plotHypervolumeHistory,
} from './hypervolume-history.js';
import { type ImportanceData, type ImportanceOptions, plotParamImportances } from './importance.js';
import { type IntermediateData, type IntermediateOptions, plotIntermediateValues } from './intermediate.js';
import {
  type ParallelCoordinateData,
  type ParallelCoordinateOptions,
  plotParallelCoordinate,
} from './parallel-coordinate.js';
import { type ParetoFrontData, type ParetoFrontOptions, plotParetoFront } from './pareto-front.js';
import { plotSlice, type SliceData, type SliceOptions } from './slice.js';
import { plotTimeline, type TimelineData, type TimelineOptions } from './timeline.js';
import type { PlotKind, PlotResult, PlotSource } from './types.js';

/** The options of each plot kind. */
export interface PlotOptionsByKind {
  history: HistoryOptions;
  intermediate: IntermediateOptions;
  'parallel-coordinate': ParallelCoordinateOptions;
  slice: SliceOptions;
  contour: ContourOptions;
  importance: ImportanceOptions;
  edf: EdfOptions;
  timeline: TimelineOptions;
  'pareto-front': ParetoFrontOptions;
  'hypervolume-history': HypervolumeHistoryOptions;
}

/** The data of each plot kind. */
export interface PlotDataByKind {
  history: HistoryData;
  intermediate: IntermediateData;
  'parallel-coordinate': ParallelCoordinateData;
  slice: SliceData;
  contour: ContourData;
  importance: ImportanceData;
  edf: EdfData;
  timeline: TimelineData;
  'pareto-front': ParetoFrontData;
  'hypervolume-history': HypervolumeHistoryData;
}

/** A plot function of kind `K`. */
export type PlotFunction<K extends PlotKind> = (
  source: PlotSource,
  options?: PlotOptionsByKind[K],
) => PlotResult<PlotDataByKind[K]>;

/** Every plot function by kind: `PLOTS[kind](source, options)`. */
export const PLOTS: { readonly [K in PlotKind]: PlotFunction<K> } = {
  history: plotOptimizationHistory,
  intermediate: plotIntermediateValues,
  'parallel-coordinate': plotParallelCoordinate,
  slice: plotSlice,
  contour: plotContour,
  importance: plotParamImportances,
  edf: plotEdf,
  timeline: plotTimeline,
  'pareto-front': plotParetoFront,
  'hypervolume-history': plotHypervolumeHistory,
};

/** All plot kinds, in the order a report shows them. */
export const PLOT_KINDS: readonly PlotKind[] = [
  'history',
  'intermediate',
  'parallel-coordinate',
  'slice',
  'contour',
  'importance',
  'edf',
  'timeline',
  'pareto-front',
  'hypervolume-history',
];

/** The plots of a single-objective study, in page order (every kind but the Pareto ones). */
export const SINGLE_OBJECTIVE_PLOT_KINDS: readonly PlotKind[] = PLOT_KINDS.filter(
  (k) => k !== 'pareto-front' && k !== 'hypervolume-history',
);

/**
 * The plots of a multi-objective study, in page order: the Pareto ones first, then those that do
 * not follow one objective over time (history and intermediate values are per objective).
 */
export const MULTI_OBJECTIVE_PLOT_KINDS: readonly PlotKind[] = [
  'pareto-front',
  'hypervolume-history',
  ...SINGLE_OBJECTIVE_PLOT_KINDS.filter((k) => k !== 'history' && k !== 'intermediate'),
];

/** Whether a value names a plot kind. */
export function isPlotKind(value: unknown): value is PlotKind {
  return typeof value === 'string' && (PLOT_KINDS as readonly string[]).includes(value);
}
