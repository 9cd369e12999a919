/**
 * Timeline: one bar per started trial from its start to its end (now, while running), in a row
 * per worker (the `tunekit run` process that ran it) or per trial, coloured by state.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, TrialState } from '../core/frozen-trial.js';
import { baseSpec, checkSource, countPoints, resolveMaxPoints, STATE_COLORS } from './common.js';
import { samplePoints } from './downsample.js';
import type { PlotResult, PlotSource } from './types.js';

/**
 * Trial system attribute naming the worker process, `{ host, pid }` (written by `tunekit run`;
 * the same name as `RUNNER_ATTR` in src/cli/runner/run-study.ts).
 */
export const WORKER_ATTR = 'tunekit:runner';

/** Options of {@link plotTimeline}. */
export interface TimelineOptions {
  /** One row per worker or per trial (default: per worker when trials name their worker). */
  groupBy?: 'worker' | 'trial';
  /** The end of running trials (default: now). */
  now?: Date;
  /** The most bars drawn (default 5000; `Infinity`: all); running and failed trials stay. */
  maxPoints?: number;
}

/** One bar. */
export interface TimelineBar {
  number: number;
  state: TrialState;
  /** Start and end in milliseconds since the epoch. */
  start: number;
  end: number;
  /** Index into `rows`, or the trial number when grouped by trial. */
  row: number;
}

/** Data of {@link plotTimeline}. */
export interface TimelineData {
  groupBy: 'worker' | 'trial';
  /** Row labels when grouped by worker (`host:pid`, `unknown` for trials without one). */
  rows: string[];
  bars: TimelineBar[];
}

/** The worker label of a trial, or null. */
function workerOf(t: FrozenTrial): string | null {
  const w = t.systemAttrs[WORKER_ATTR];
  if (w === null || typeof w !== 'object' || Array.isArray(w)) return null;
  const host = typeof w.host === 'string' ? w.host : '?';
  const pid = typeof w.pid === 'number' || typeof w.pid === 'string' ? String(w.pid) : '?';
  return `${host}:${pid}`;
}

const STATE_ORDER: TrialState[] = ['complete', 'pruned', 'fail', 'running'];

/** The timeline of the started trials, bars coloured by state. */
export function plotTimeline(source: PlotSource, options: TimelineOptions = {}): PlotResult<TimelineData> {
  const plot = 'plotTimeline';
  checkSource(source, plot);
  const maxPoints = resolveMaxPoints(options.maxPoints, plot);
  if (options.groupBy !== undefined && options.groupBy !== 'worker' && options.groupBy !== 'trial') {
    throw new InvalidArgumentError(`${plot}: groupBy must be 'worker' or 'trial'.`);
  }
  const now = (options.now ?? new Date()).getTime();
  const started = source.trials.filter((t) => t.datetimeStart !== null && t.state !== 'waiting');
  started.sort((a, b) => a.number - b.number);
  const groupBy = options.groupBy ?? (started.some((t) => workerOf(t) !== null) ? 'worker' : 'trial');

  const keep: number[] = [];
  if (started.length > maxPoints) {
    started.forEach((t, i) => {
      if (t.state === 'running' || t.state === 'fail') keep.push(i);
    });
  }
  const sample = samplePoints(started.length, maxPoints, keep);

  const rows: string[] = [];
  const rowIndex = new Map<string, number>();
  const bars: TimelineBar[] = [];
  for (const i of sample.indices) {
    const t = started[i]!;
    const start = t.datetimeStart!.getTime();
    const end = t.datetimeComplete?.getTime() ?? Math.max(start, now);
    let row = t.number;
    if (groupBy === 'worker') {
      const label = workerOf(t) ?? 'unknown';
      let r = rowIndex.get(label);
      if (r === undefined) {
        r = rows.length;
        rows.push(label);
        rowIndex.set(label, r);
      }
      row = r;
    }
    bars.push({ number: t.number, state: t.state, start, end, row });
  }

  const byState = new Map<TrialState, TimelineBar[]>();
  for (const b of bars) {
    const list = byState.get(b.state);
    if (list === undefined) byState.set(b.state, [b]);
    else list.push(b);
  }
  const width =
    groupBy === 'worker' ? Math.max(3, Math.min(16, Math.floor(240 / Math.max(1, rows.length)))) : 3;
  const series = STATE_ORDER.filter((s) => byState.has(s)).map((state) => ({
    name: state,
    type: 'lines',
    coordinateSystem: 'cartesian2d',
    polyline: false,
    large: true,
    largeThreshold: 2000,
    lineStyle: { color: STATE_COLORS[state], width, opacity: 0.9, cap: 'butt' },
    itemStyle: { color: STATE_COLORS[state] },
    data: byState.get(state)!.map((b) => ({
      name: `Trial ${b.number}`,
      coords: [
        [b.start, b.row],
        [b.end, b.row],
      ],
    })),
  }));
  // A lines series gives its axes no extent: set it.
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  let r0 = Number.POSITIVE_INFINITY;
  let r1 = Number.NEGATIVE_INFINITY;
  for (const b of bars) {
    t0 = Math.min(t0, b.start);
    t1 = Math.max(t1, b.end);
    r0 = Math.min(r0, b.row);
    r1 = Math.max(r1, b.row);
  }
  const pad = bars.length === 0 ? 0 : Math.max(1, (t1 - t0) * 0.01);
  const timeRange = bars.length === 0 ? {} : { min: t0 - pad, max: t1 + pad };
  const yAxis =
    groupBy === 'worker'
      ? { type: 'category', name: 'Worker', nameLocation: 'start', data: rows, inverse: true }
      : {
          type: 'value',
          name: 'Trial',
          minInterval: 1,
          ...(bars.length === 0 ? {} : { min: r0 - 1, max: r1 + 1 }),
        };
  const spec = {
    ...baseSpec('Timeline', source),
    legend: { bottom: 0, data: STATE_ORDER.filter((s) => byState.has(s)) },
    grid: { left: groupBy === 'worker' ? 140 : 70, right: 30, top: 50, bottom: 80 },
    xAxis: { type: 'time', name: 'Time', nameLocation: 'middle', nameGap: 25, ...timeRange },
    yAxis,
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, bottom: 30, height: 18, filterMode: 'none' },
    ],
    series,
  };
  return {
    kind: 'timeline',
    title: 'Timeline',
    data: { groupBy, rows, bars },
    spec,
    meta: {
      nPoints: countPoints(series),
      totalTrials: source.trials.length,
      downsampled: sample.downsampled,
    },
  };
}
