/**
 * The options the dashboard page asks each plot with, shared by the browser app and the server
 * (which computes these very plots ahead of the first visit). They bound what the browser draws:
 * the server downsamples 100,000 trials to a few thousand marks per chart, keeping the best and
 * extreme trials (see `tunekit/visualization`).
 * @module
 */

/** Query pairs per plot kind, after `omit=data`. */
export const DASHBOARD_PLOT_QUERY: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  history: [['maxPoints', '4000']],
  intermediate: [
    ['maxCurves', '100'],
    ['maxPoints', '8000'],
  ],
  'parallel-coordinate': [['maxPoints', '1500']],
  // Per panel, one panel per parameter.
  slice: [['maxPoints', '250']],
  // Markers only: the interpolated surface uses every trial.
  contour: [['maxPoints', '500']],
  edf: [['maxPoints', '2000']],
  // Running and failed trials always stay, so leave room for the others.
  timeline: [['maxPoints', '5000']],
  'pareto-front': [['maxPoints', '4000']],
  'hypervolume-history': [['maxPoints', '2000']],
};

/** The query pairs of plot `kind` as the page first asks for it. */
export function dashboardPlotQuery(kind: string): Array<[string, string]> {
  return [['omit', 'data'], ...(DASHBOARD_PLOT_QUERY[kind] ?? []).map(([k, v]): [string, string] => [k, v])];
}
