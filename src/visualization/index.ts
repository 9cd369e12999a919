/**
 * `tunekit/visualization`: plot data and ready ECharts option objects for every plot of a study —
 * optimization history, intermediate values, parallel coordinates, slices, contour, importances,
 * EDF, timeline, Pareto front and hypervolume history. Each function takes a {@link PlotSource}
 * (see {@link plotSourceFromStudy}) and returns a {@link PlotResult}: typed `data` for your own
 * drawing, and `spec` (plain JSON) for `echarts.init(el).setOption(spec)`. Large studies are
 * downsampled on the spot (`maxPoints`), keeping best and extreme trials.
 *
 * @example
 * ```ts
 * import { plotOptimizationHistory, plotSourceFromStudy } from 'tunekit/visualization';
 * const source = await plotSourceFromStudy(study);
 * const { spec, data } = plotOptimizationHistory(source);
 * echarts.init(element).setOption(spec); // in a browser
 * ```
 * @module
 */
export {
  DEFAULT_MAX_POINTS,
  type ParamAxis,
  type ResolvedTarget,
  type TargetOptions,
} from './common.js';
export { type ContourData, type ContourOptions, type ContourPoint, plotContour } from './contour.js';
export { type EdfData, type EdfOptions, plotEdf } from './edf.js';
export {
  type HistoryData,
  type HistoryOptions,
  type HistoryPoint,
  plotOptimizationHistory,
} from './history.js';
export {
  type HypervolumeHistoryData,
  type HypervolumeHistoryOptions,
  plotHypervolumeHistory,
} from './hypervolume-history.js';
export {
  type ImportanceData,
  type ImportanceOptions,
  type ImportanceSeries,
  plotParamImportances,
} from './importance.js';
export {
  type Curve,
  type IntermediateData,
  type IntermediateOptions,
  plotIntermediateValues,
} from './intermediate.js';
export {
  type ParallelCoordinateData,
  type ParallelCoordinateOptions,
  type ParallelRow,
  plotParallelCoordinate,
} from './parallel-coordinate.js';
export {
  type ParetoFrontData,
  type ParetoFrontOptions,
  type ParetoPoint,
  plotParetoFront,
} from './pareto-front.js';
export {
  isPlotKind,
  PLOT_KINDS,
  PLOTS,
  type PlotDataByKind,
  type PlotFunction,
  type PlotOptionsByKind,
} from './registry.js';
export { plotSlice, type SliceData, type SliceOptions, type SlicePanel } from './slice.js';
export { plotSourceFromStudy } from './source.js';
export {
  plotTimeline,
  type TimelineBar,
  type TimelineData,
  type TimelineOptions,
  WORKER_ATTR,
} from './timeline.js';
export type { ChartSpec, PlotKind, PlotMeta, PlotResult, PlotSource } from './types.js';
