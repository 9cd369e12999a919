/**
 * Helpers shared by the pruners: option checks, the metric a pruner reads, the direction it
 * prunes in, the warm-up/interval rule and sorted-array arithmetic.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial, JsonValue, StudyDirection } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import { decodeMetric, REPORTS_ATTR } from './base.js';

/** Options every metric-reading pruner takes. */
export interface MetricOptions {
  /**
   * The named metric to prune on (reported with `trial.report({ name: value }, step)`). Default:
   * the intermediate value, which is the reported number or the first metric of a record.
   */
  metric?: string | undefined;
  /**
   * Whether larger or smaller values of the metric are better. Default: the study's direction.
   * Required in studies with several objectives.
   */
  direction?: StudyDirection | undefined;
}

/** Throws unless `value` is an integer ≥ `min`. */
export function checkInt(who: string, name: string, value: unknown, min: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(
      `${who}: ${name} must be an integer ≥ ${min}, got ${describe(value)}. ${fix}`,
    );
  }
  return value;
}

/** Throws unless `value` is a number in [low, high]. */
export function checkRange(
  who: string,
  name: string,
  value: unknown,
  low: number,
  high: number,
  fix: string,
): number {
  if (typeof value !== 'number' || !(value >= low && value <= high)) {
    throw new InvalidArgumentError(
      `${who}: ${name} must be a number in [${low}, ${high}], got ${describe(value)}. ${fix}`,
    );
  }
  return value;
}

/** Checks the `metric` and `direction` options. */
export function checkMetricOptions(who: string, options: MetricOptions): void {
  const { metric, direction } = options;
  if (metric !== undefined && (typeof metric !== 'string' || metric.length === 0)) {
    throw new InvalidArgumentError(
      `${who}: metric must be the non-empty name of a reported metric, got ${describe(metric)}. Leave it out to prune on the intermediate value.`,
    );
  }
  if (direction !== undefined && direction !== 'minimize' && direction !== 'maximize') {
    throw new InvalidArgumentError(
      `${who}: direction must be 'minimize' or 'maximize', got ${describe(direction)}.`,
    );
  }
}

/** Throws when `options` is not a plain object (or absent). */
export function checkOptionsObject(who: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new InvalidArgumentError(`${who}: options must be an object, got ${describe(options)}.`);
  }
}

/** A short rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The direction a pruner prunes in: its `direction` option, else the study's single direction.
 * Throws `InvalidArgumentError` for a multi-objective study without the option.
 */
export function resolveDirection(
  who: string,
  study: StudyView,
  direction: StudyDirection | undefined,
  metric: string | undefined,
): StudyDirection {
  if (direction !== undefined) return direction;
  if (study.directions.length === 1) return study.directions[0]!;
  throw new InvalidArgumentError(
    `${who}: study '${study.studyName}' has ${study.directions.length} objectives (${study.directions.join(', ')}), so the pruner cannot tell whether ${metric === undefined ? 'the intermediate value' : `metric '${metric}'`} should go up or down. Pass direction: 'minimize' or 'maximize' in the pruner's options.`,
  );
}

const EMPTY: ReadonlyMap<number, number> = new Map();
const metricMemo = new WeakMap<FrozenTrial, Map<string, ReadonlyMap<number, number>>>();

/**
 * The values a trial reported for `metric`, by step: its intermediate values when `metric` is
 * undefined, else the metric's values from the `tunekit:reports` system attribute. Memoised per
 * trial object (trial snapshots never change).
 */
export function metricValues(trial: FrozenTrial, metric: string | undefined): ReadonlyMap<number, number> {
  if (metric === undefined) return trial.intermediateValues;
  let byMetric = metricMemo.get(trial);
  const hit = byMetric?.get(metric);
  if (hit !== undefined) return hit;
  const out = new Map<number, number>();
  const reports = trial.systemAttrs[REPORTS_ATTR];
  if (reports !== null && typeof reports === 'object' && !Array.isArray(reports)) {
    for (const [stepKey, record] of Object.entries(reports as Record<string, JsonValue>)) {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) continue;
      if (!Object.hasOwn(record, metric)) continue;
      const v = decodeMetric((record as Record<string, JsonValue>)[metric]);
      const step = Number(stepKey);
      if (v !== undefined && Number.isInteger(step) && step >= 0) out.set(step, v);
    }
  }
  const result = out.size === 0 ? EMPTY : out;
  if (byMetric === undefined) {
    byMetric = new Map();
    metricMemo.set(trial, byMetric);
  }
  byMetric.set(metric, result);
  return result;
}

/** The largest step in `values`, or -1 when empty. */
export function lastStep(values: ReadonlyMap<number, number>): number {
  let last = -1;
  for (const s of values.keys()) if (s > last) last = s;
  return last;
}

/**
 * Whether `step` is a step at which to decide: at or after the warm-up, and the first report in
 * its interval (steps nWarmupSteps, nWarmupSteps + intervalSteps, …; a check postponed because
 * no value was reported exactly there happens at the next report).
 */
export function isCheckStep(
  step: number,
  steps: Iterable<number>,
  nWarmupSteps: number,
  intervalSteps: number,
): boolean {
  if (step < nWarmupSteps) return false;
  const boundary = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  let previous = -1;
  for (const s of steps) if (s !== step && s > previous) previous = s;
  return previous < boundary;
}

/** The best (lowest when minimising, highest when maximising) non-NaN value, or NaN. */
export function bestValue(values: Iterable<number>, direction: StudyDirection): number {
  let best = Number.NaN;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === 'minimize' ? v < best : v > best)) best = v;
  }
  return best;
}

/** Number of elements of the ascending array `a` that are < x. */
export function countBelow(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of the ascending array `a` that are > x. */
export function countAbove(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return a.length - lo;
}

/** Adds `values` (no NaN) to the ascending array `a`, keeping it sorted. */
export function insertSorted(a: number[], values: readonly number[]): void {
  if (values.length > 16) {
    for (const v of values) a.push(v);
    a.sort((x, y) => x - y);
    return;
  }
  for (const v of values) a.splice(countBelow(a, v), 0, v);
}

/**
 * Ascending arrays of values by key (a step, a rung), filled incrementally. New values wait in a
 * buffer until their key is read, so a completed trial costs one insertion into the one array a
 * decision reads rather than one per step.
 */
export class SortedColumns {
  private readonly sorted = new Map<number, number[]>();
  private readonly pending = new Map<number, number[]>();

  /** Adds a value (NaN is left out). */
  add(key: number, value: number): void {
    if (Number.isNaN(value)) return;
    const list = this.pending.get(key);
    if (list === undefined) this.pending.set(key, [value]);
    else list.push(value);
  }

  /** The ascending values of `key` (empty when none). */
  get(key: number): readonly number[] {
    let sorted = this.sorted.get(key);
    const waiting = this.pending.get(key);
    if (waiting !== undefined) {
      this.pending.delete(key);
      if (sorted === undefined) {
        sorted = waiting.sort((a, b) => a - b);
        this.sorted.set(key, sorted);
      } else insertSorted(sorted, waiting);
    }
    return sorted ?? EMPTY_COLUMN;
  }
}

const EMPTY_COLUMN: readonly number[] = Object.freeze([]);

/**
 * The q-th percentile (0 ≤ q ≤ 100) of the ascending array `a` with linear interpolation between
 * the closest ranks (NumPy's default), or NaN for an empty array.
 */
export function percentileOfSorted(a: ArrayLike<number>, q: number): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const pos = ((n - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const x = a[lo]!;
  const y = a[hi]!;
  if (t === 0 || x === y) return x;
  return t < 0.5 ? x + (y - x) * t : y - (y - x) * (1 - t);
}

/** Whether `a` finished before `b` (earlier completion time, then lower number): picks the first complete trial. */
export function isEarlierCompletion(a: FrozenTrial, b: FrozenTrial): boolean {
  const ta = a.datetimeComplete?.getTime() ?? Number.POSITIVE_INFINITY;
  const tb = b.datetimeComplete?.getTime() ?? Number.POSITIVE_INFINITY;
  return ta < tb || (ta === tb && a.number < b.number);
}
