/**
 * Shared types of the plot functions: what a plot reads ({@link PlotSource}) and what it returns
 * ({@link PlotResult}: typed plot data plus a ready ECharts option object).
 * @module
 */
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';

/** What every plot function reads: the trials of one study and its directions. */
export type PlotSource = {
  /** The study's trials, any states, in any order (plots sort by trial number). */
  trials: readonly FrozenTrial[];
  /** One direction per objective. */
  directions: readonly StudyDirection[];
  studyName?: string;
  /** Names of the objectives (one per direction), used in axis labels; defaults to `Objective 0`… */
  metricNames?: readonly string[];
};

/** The plots this module draws. */
export type PlotKind =
  | 'history'
  | 'intermediate'
  | 'parallel-coordinate'
  | 'slice'
  | 'contour'
  | 'importance'
  | 'edf'
  | 'timeline'
  | 'pareto-front'
  | 'hypervolume-history';

/**
 * An ECharts option object (`echarts.init(el).setOption(spec)`): plain JSON, no functions, so it
 * can be sent over HTTP or embedded in HTML as is.
 */
export type ChartSpec = Record<string, unknown>;

/** Metadata every plot reports about its data. */
export interface PlotMeta {
  /** Total number of data points in the spec's series (sum of `series[i].data.length`). */
  nPoints: number;
  /** Number of trials in the source. */
  totalTrials: number;
  /** Whether points were dropped to honour `maxPoints`. */
  downsampled: boolean;
}

/** The result of a plot function: its kind, a title, the plot data and a ready chart spec. */
export interface PlotResult<D = unknown> {
  kind: PlotKind;
  title: string;
  data: D;
  spec: ChartSpec;
  meta: PlotMeta;
}
