/**
 * `plotSourceFromStudy`: the trials, directions, name and metric names of a study, read once,
 * for any number of plots.
 * @module
 */
import type { Study } from '../study/study.js';
import type { PlotSource } from './types.js';

/**
 * Study system attribute holding the objectives' names (written by `tunekit run`; the same name
 * as `METRIC_NAMES_ATTR` in src/cli/runner/run-study.ts).
 */
export const METRIC_NAMES_ATTR = 'tunekit:metric_names';

/** Reads a study's trials (all states) and metadata into a {@link PlotSource}. */
export async function plotSourceFromStudy(study: Study): Promise<PlotSource> {
  const [trials, systemAttrs] = await Promise.all([study.getTrials(), study.systemAttrs()]);
  const source: PlotSource = { trials, directions: [...study.directions], studyName: study.studyName };
  const names = systemAttrs[METRIC_NAMES_ATTR];
  if (
    Array.isArray(names) &&
    names.length === study.directions.length &&
    names.every((n) => typeof n === 'string')
  ) {
    source.metricNames = names as string[];
  }
  return source;
}
