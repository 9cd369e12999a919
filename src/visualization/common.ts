/**
 * Helpers every plot shares: which number of a trial is plotted (an objective or a `target`),
 * the axes of parameters across trials, option checks, and the common parts of a chart spec.
 *
 * User strings (study, parameter, metric names, categorical values) go into the spec as they are,
 * and only where ECharts draws text on the canvas (titles, axis names and labels, legends) or in
 * tooltips with `renderMode: 'richText'`, which are drawn on the canvas too: no user string ever
 * reaches HTML, so none needs escaping (escaping would show `&lt;` on the canvas).
 * @module
 */
import { hasConstraints, isFeasible } from '../core/constraints.js';
import type { CategoricalChoice, Distribution } from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen-trial.js';
import type { ChartSpec, PlotSource } from './types.js';

/** Default of the `maxPoints` option: the most trials one plot draws. */
export const DEFAULT_MAX_POINTS = 5000;

/** Options that choose what number of a trial a plot shows. */
export interface TargetOptions {
  /** Which objective to plot (default 0). */
  objectiveIndex?: number;
  /**
   * Plots `target(trial)` instead of an objective (complete trials only). The best-so-far line and
   * "best" marks then need `targetDirection`.
   */
  target?: (trial: FrozenTrial) => number;
  /** Axis name of the plotted number (default: the metric name, or `Objective value`). */
  targetName?: string;
  /** Direction of `target` (default: none, so nothing is called best). */
  targetDirection?: StudyDirection;
}

/** The resolved plotted number. */
export interface ResolvedTarget {
  value: (trial: FrozenTrial) => number;
  name: string;
  /** Direction to call a value better in, or null (a `target` without `targetDirection`). */
  direction: StudyDirection | null;
}

/** The name of objective `index` of a source. */
export function metricName(source: PlotSource, index: number): string {
  const given = source.metricNames?.[index];
  if (given !== undefined && given !== '') return given;
  return source.directions.length === 1 ? 'Objective value' : `Objective ${index}`;
}

/** Checks the source's shape; throws `InvalidArgumentError` with a fix. */
export function checkSource(source: PlotSource, plot: string): void {
  if (source === null || typeof source !== 'object' || !Array.isArray(source.trials)) {
    throw new InvalidArgumentError(`${plot}: the source needs a 'trials' array (see plotSourceFromStudy).`);
  }
  if (!Array.isArray(source.directions) || source.directions.length === 0) {
    throw new InvalidArgumentError(`${plot}: the source needs 'directions' (one per objective).`);
  }
}

/** Resolves `objectiveIndex`/`target` against the source. */
export function resolveTarget(source: PlotSource, options: TargetOptions, plot: string): ResolvedTarget {
  const { target } = options;
  if (target !== undefined) {
    if (typeof target !== 'function') {
      throw new InvalidArgumentError(`${plot}: 'target' must be a function (trial) => number.`);
    }
    return {
      value: target,
      name: options.targetName ?? 'Target value',
      direction: options.targetDirection ?? null,
    };
  }
  const index = options.objectiveIndex ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= source.directions.length) {
    throw new InvalidArgumentError(
      `${plot}: objectiveIndex must be an integer in [0, ${source.directions.length - 1}], got ${String(index)}.`,
    );
  }
  return {
    value: (t) => t.values?.[index] ?? Number.NaN,
    name: options.targetName ?? metricName(source, index),
    direction: source.directions[index]!,
  };
}

/** Checks a `maxPoints` option and returns it (default {@link DEFAULT_MAX_POINTS}). */
export function resolveMaxPoints(maxPoints: number | undefined, plot: string): number {
  const m = maxPoints ?? DEFAULT_MAX_POINTS;
  if (!(m >= 1) || (Number.isFinite(m) && !Number.isInteger(m))) {
    throw new InvalidArgumentError(
      `${plot}: maxPoints must be an integer ≥ 1 (or Infinity for no downsampling), got ${String(maxPoints)}.`,
    );
  }
  return m;
}

/** Complete trials with a finite plotted number, sorted by trial number, with those numbers. */
export function completeTargets(
  trials: readonly FrozenTrial[],
  value: (t: FrozenTrial) => number,
): { trials: FrozenTrial[]; values: Float64Array } {
  const kept: FrozenTrial[] = [];
  for (const t of trials) if (t.state === 'complete' && t.values !== null) kept.push(t);
  if (!isSortedByNumber(kept)) kept.sort((a, b) => a.number - b.number);
  const values = new Float64Array(kept.length);
  let n = 0;
  for (let i = 0; i < kept.length; i++) {
    const v = value(kept[i]!);
    if (Number.isFinite(v)) {
      kept[n] = kept[i]!;
      values[n++] = v;
    }
  }
  kept.length = n;
  return { trials: kept, values: values.subarray(0, n) };
}

/** Whether trials are in ascending number order. */
export function isSortedByNumber(trials: readonly FrozenTrial[]): boolean {
  for (let i = 1; i < trials.length; i++) if (trials[i]!.number < trials[i - 1]!.number) return false;
  return true;
}

/**
 * Feasibility of each trial (1 feasible, 0 not), or null when no trial carries constraint values
 * (an unconstrained study: all feasible). In a constrained study a trial without values is infeasible.
 */
export function feasibility(trials: readonly FrozenTrial[], all: readonly FrozenTrial[]): Uint8Array | null {
  if (!hasConstraints(all)) return null;
  const out = new Uint8Array(trials.length);
  for (let i = 0; i < trials.length; i++) out[i] = isFeasible(trials[i]!, true) ? 1 : 0;
  return out;
}

/** The axis of one parameter across trials. */
export interface ParamAxis {
  name: string;
  /** `categorical` axes list `choices` (as labels); numeric axes span [low, high]. */
  kind: 'float' | 'int' | 'categorical';
  log: boolean;
  low: number;
  high: number;
  /** Labels of the choices of a categorical parameter (union over trials, first-seen order). */
  choices: string[];
}

/** The label of a categorical choice. */
export function choiceLabel(choice: CategoricalChoice): string {
  return choice === null ? 'null' : String(choice);
}

/**
 * The axes of the parameters (all those the trials used, sorted by name, or `params` in that
 * order). A parameter used as categorical in one trial and numeric in another is categorical.
 */
export function paramAxes(
  trials: readonly FrozenTrial[],
  params: readonly string[] | undefined,
  plot: string,
): ParamAxis[] {
  const dists = new Map<string, Distribution[]>();
  for (const t of trials) {
    for (const name in t.distributions) {
      const d = t.distributions[name]!;
      const list = dists.get(name);
      if (list === undefined) dists.set(name, [d]);
      else if (list[list.length - 1] !== d && list.length < 64) list.push(d);
    }
  }
  let names: string[];
  if (params === undefined) {
    names = [...dists.keys()].sort();
  } else {
    if (!Array.isArray(params))
      throw new InvalidArgumentError(`${plot}: 'params' must be an array of names.`);
    for (const p of params) {
      if (!dists.has(p)) {
        throw new InvalidArgumentError(
          `${plot}: no trial has the parameter ${JSON.stringify(p)}; known: ${[...dists.keys()].sort().join(', ') || '(none)'}.`,
        );
      }
    }
    names = [...params];
  }
  return names.map((name) => axisOf(name, dists.get(name)!, trials));
}

function axisOf(name: string, dists: readonly Distribution[], trials: readonly FrozenTrial[]): ParamAxis {
  if (dists.some((d) => d.type === 'categorical')) {
    const seen = new Set<string>();
    for (const d of dists) {
      if (d.type === 'categorical') for (const c of d.choices) seen.add(choiceLabel(c));
    }
    // Values outside the declared choices (a numeric distribution elsewhere) get labels too.
    for (const t of trials) {
      const v = t.params[name];
      if (v !== undefined) seen.add(choiceLabel(v));
    }
    return { name, kind: 'categorical', log: false, low: 0, high: seen.size - 1, choices: [...seen] };
  }
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let log = true;
  let int = true;
  for (const d of dists) {
    if (d.type === 'categorical') continue;
    low = Math.min(low, d.low);
    high = Math.max(high, d.high);
    log &&= d.log;
    int &&= d.type === 'int';
  }
  return { name, kind: int ? 'int' : 'float', log, low, high, choices: [] };
}

/**
 * The value of a parameter on its axis: the number of a numeric parameter, the label of a
 * categorical one; undefined when the trial lacks it.
 */
export function axisValue(axis: ParamAxis, trial: FrozenTrial): number | string | undefined {
  const v = trial.params[axis.name];
  if (v === undefined) return undefined;
  if (axis.kind === 'categorical') return choiceLabel(v);
  return typeof v === 'number' ? v : undefined;
}

/** An ECharts axis for a parameter (category, log or value axis). */
export function paramAxisSpec(axis: ParamAxis, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (axis.kind === 'categorical') {
    return { type: 'category', name: axis.name, data: axis.choices, ...extra };
  }
  if (axis.log && axis.low > 0) {
    return { type: 'log', name: axis.name, min: axis.low, max: axis.high, ...extra };
  }
  return { type: 'value', name: axis.name, min: axis.low, max: axis.high, scale: true, ...extra };
}

/** The parts every spec starts with: a title, a text-only tooltip and no animation. */
export function baseSpec(
  title: string,
  source: PlotSource,
  tooltip: Record<string, unknown> = {},
): ChartSpec {
  const text = source.studyName === undefined ? title : `${title} — ${source.studyName}`;
  return {
    title: { text, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { renderMode: 'richText', confine: true, trigger: 'item', ...tooltip },
    animation: false,
  };
}

/** Total number of data points in a spec's series. */
export function countPoints(series: readonly { data: readonly unknown[] }[]): number {
  let n = 0;
  for (const s of series) n += s.data.length;
  return n;
}

/** A number rounded for display in a label (6 significant digits). */
export function roundForLabel(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}

/** Default colours of trial states (shared by the timeline and learning curves). */
export const STATE_COLORS = {
  complete: '#5470c6',
  pruned: '#fac858',
  fail: '#ee6666',
  running: '#91cc75',
  waiting: '#9a9a9a',
} as const;
