/**
 * The plot functions the dashboard serves by default: those of `tunekit/visualization`.
 * @module
 */
import { plotContour } from '../../visualization/contour.js';
import { plotEdf } from '../../visualization/edf.js';
import { plotOptimizationHistory } from '../../visualization/history.js';
import { plotIntermediateValues } from '../../visualization/intermediate.js';
import { plotParallelCoordinate } from '../../visualization/parallel-coordinate.js';
import { plotSlice } from '../../visualization/slice.js';
import { plotTimeline } from '../../visualization/timeline.js';
import type { PlotFunction, PlotRegistry } from './plots.js';

/** Plot functions by kind. */
export const DEFAULT_PLOTS: PlotRegistry = {
  history: plotOptimizationHistory as PlotFunction,
  intermediate: plotIntermediateValues as PlotFunction,
  'parallel-coordinate': plotParallelCoordinate as PlotFunction,
  slice: plotSlice as PlotFunction,
  contour: plotContour as PlotFunction,
  edf: plotEdf as PlotFunction,
  timeline: plotTimeline as PlotFunction,
};
