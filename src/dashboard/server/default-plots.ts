/**
 * The plot functions the dashboard serves by default: every one of `tunekit/visualization`.
 * @module
 */
import { PLOTS } from '../../visualization/registry.js';
import type { PlotFunction, PlotRegistry } from './plots.js';

/** Plot functions by kind (`PLOTS` of `tunekit/visualization`). */
export const DEFAULT_PLOTS: PlotRegistry = Object.fromEntries(
  Object.entries(PLOTS).map(([kind, fn]) => [kind, fn as PlotFunction]),
);
