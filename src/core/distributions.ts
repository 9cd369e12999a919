/**
 * Distributions are plain tagged data, and every function on them is pure.
 *
 * Internally every parameter value is a number: floats and ints are themselves, a categorical
 * value is the index of its choice. Samplers and storages work on these internal numbers;
 * {@link toExternal} and {@link toInternal} convert at the edges.
 *
 * @module
 */
import { IncompatibleDistributionError, InvalidDistributionError } from './errors.js';

/** A value a categorical parameter may take. */
export type CategoricalChoice = string | number | boolean | null;

/** A float in [low, high], optionally on a log scale or a grid of `step`. */
export interface FloatDistribution {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Grid spacing from `low`; `null` for a continuous range. Never combined with `log`. */
  readonly step: number | null;
}

/** An integer in [low, high] on a grid of `step` (1 by default), optionally on a log scale. */
export interface IntDistribution {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

/** One of a fixed list of choices. */
export interface CategoricalDistribution {
  readonly type: 'categorical';
  readonly choices: readonly CategoricalChoice[];
}

/** Any distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** A value as the user sees it. */
export type ParamValue = number | CategoricalChoice;

/** Options of {@link floatDistribution} and `trial.suggestFloat`. */
export interface FloatOptions {
  /** Sample on a log scale (needs `low > 0`). */
  log?: boolean;
  /** Grid spacing from `low` (needs `step > 0`; not with `log`). */
  step?: number;
}

/** Options of {@link intDistribution} and `trial.suggestInt`. */
export interface IntOptions {
  /** Sample on a log scale (needs `low ≥ 1`; not with a step other than 1). */
  log?: boolean;
  /** Grid spacing from `low` (a positive integer). */
  step?: number;
}

/** Called when a step does not divide the range and `high` was narrowed. */
export type NarrowingWarning = (message: string) => void;

function describe(name: string | undefined): string {
  return name === undefined ? 'the distribution' : `parameter '${name}'`;
}

function checkBounds(low: number, high: number, name: string | undefined): void {
  if (typeof low !== 'number' || Number.isNaN(low) || typeof high !== 'number' || Number.isNaN(high)) {
    throw new InvalidDistributionError(
      `${describe(name)}: low and high must be numbers, got low=${String(low)}, high=${String(high)}.`,
    );
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw new InvalidDistributionError(
      `${describe(name)}: low and high must be finite, got low=${low}, high=${high}. Give explicit finite bounds.`,
    );
  }
  if (low > high) {
    throw new InvalidDistributionError(
      `${describe(name)}: low=${low} is greater than high=${high}. Swap them or fix the bounds so that low ≤ high.`,
    );
  }
}

/** The largest value `low + k·step` that is ≤ high, computed so that float noise does not drop a point. */
function lastGridPoint(low: number, high: number, step: number): number {
  const k = Math.floor((high - low) / step + 1e-9);
  return roundToStep(low + k * step, low, step);
}

function roundToStep(value: number, low: number, step: number): number {
  // Round to the precision of the step to avoid values like 0.30000000000000004.
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(step)) + 8));
  return Number((low + Math.round((value - low) / step) * step).toFixed(decimals));
}

/**
 * Builds a float distribution, validating it.
 * @param name used in error messages only.
 * @param warn receives a message when a step does not divide the range and `high` is narrowed.
 */
export function floatDistribution(
  low: number,
  high: number,
  options: FloatOptions = {},
  name?: string,
  warn?: NarrowingWarning,
): FloatDistribution {
  checkBounds(low, high, name);
  const log = options.log ?? false;
  const step = options.step ?? null;
  if (log && step !== null) {
    throw new InvalidDistributionError(
      `${describe(name)}: log and step cannot be used together. Drop one of them.`,
    );
  }
  if (log && low <= 0) {
    throw new InvalidDistributionError(
      `${describe(name)}: a log scale needs low > 0, got low=${low}. Use a positive lower bound such as 1e-8, or drop log.`,
    );
  }
  if (step !== null) {
    if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) {
      throw new InvalidDistributionError(
        `${describe(name)}: step must be a positive finite number, got ${String(step)}.`,
      );
    }
    const narrowed = lastGridPoint(low, high, step);
    if (Math.abs(narrowed - high) > 1e-12 * Math.max(1, Math.abs(high))) {
      warn?.(
        `${describe(name)}: step=${step} does not divide the range [${low}, ${high}]; high is narrowed to ${narrowed}.`,
      );
    }
    return { type: 'float', low, high: narrowed, log, step };
  }
  return { type: 'float', low, high, log, step: null };
}

/** Builds an int distribution, validating it (see {@link floatDistribution}). */
export function intDistribution(
  low: number,
  high: number,
  options: IntOptions = {},
  name?: string,
  warn?: NarrowingWarning,
): IntDistribution {
  checkBounds(low, high, name);
  if (!Number.isInteger(low) || !Number.isInteger(high)) {
    throw new InvalidDistributionError(
      `${describe(name)}: an int distribution needs integer bounds, got low=${low}, high=${high}. Use suggestFloat for real values.`,
    );
  }
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isInteger(step) || step <= 0) {
    throw new InvalidDistributionError(
      `${describe(name)}: step must be a positive integer, got ${String(step)}.`,
    );
  }
  if (log && step !== 1) {
    throw new InvalidDistributionError(
      `${describe(name)}: log and step cannot be used together (step=${step}). Drop one of them.`,
    );
  }
  if (log && low < 1) {
    throw new InvalidDistributionError(
      `${describe(name)}: a log scale needs low ≥ 1, got low=${low}. Use a lower bound of at least 1, or drop log.`,
    );
  }
  const k = Math.floor((high - low) / step);
  const narrowed = low + k * step;
  if (narrowed !== high) {
    warn?.(
      `${describe(name)}: step=${step} does not divide the range [${low}, ${high}]; high is narrowed to ${narrowed}.`,
    );
  }
  return { type: 'int', low, high: narrowed, log, step };
}

function isChoice(value: unknown): value is CategoricalChoice {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && !Number.isNaN(value))
  );
}

/** Builds a categorical distribution, validating the choices. */
export function categoricalDistribution(
  choices: readonly CategoricalChoice[],
  name?: string,
): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) {
    throw new InvalidDistributionError(
      `${describe(name)}: choices must be a non-empty array, got ${Array.isArray(choices) ? '[]' : String(choices)}.`,
    );
  }
  for (const c of choices) {
    if (!isChoice(c)) {
      throw new InvalidDistributionError(
        `${describe(name)}: choice ${JSON.stringify(c) ?? String(c)} is not a string, number, boolean or null. Encode it as a string and map it back in the objective.`,
      );
    }
  }
  const seen = new Set<string>();
  for (const c of choices) {
    const key = choiceKey(c);
    if (seen.has(key)) {
      throw new InvalidDistributionError(
        `${describe(name)}: choice ${JSON.stringify(c)} appears twice. Choices must be distinct.`,
      );
    }
    seen.add(key);
  }
  return { type: 'categorical', choices: [...choices] };
}

function choiceKey(c: CategoricalChoice): string {
  return `${typeof c}:${String(c)}`;
}

/** Whether the distribution has exactly one possible value. */
export function isSingle(d: Distribution): boolean {
  if (d.type === 'categorical') return d.choices.length === 1;
  return d.low === d.high;
}

/** Converts a user-facing value to its internal number (a categorical becomes its choice index). */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.type === 'categorical') {
    for (let i = 0; i < d.choices.length; i++) {
      if (Object.is(d.choices[i], value) || d.choices[i] === value) return i;
    }
    throw new InvalidDistributionError(
      `${JSON.stringify(value)} is not one of the choices ${JSON.stringify(d.choices)}.`,
    );
  }
  if (typeof value !== 'number') {
    throw new InvalidDistributionError(
      `expected a number for a ${d.type} distribution, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Converts an internal number back to the user-facing value. */
export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.type === 'categorical') {
    const i = Math.round(internal);
    if (i < 0 || i >= d.choices.length) {
      throw new InvalidDistributionError(`index ${internal} is outside the ${d.choices.length} choices.`);
    }
    return d.choices[i]!;
  }
  return internal;
}

/** Whether an internal value lies in the distribution (on its grid, for ints and steps). */
export function contains(d: Distribution, internal: number): boolean {
  if (Number.isNaN(internal)) return false;
  if (d.type === 'categorical') {
    return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
  }
  if (internal < d.low || internal > d.high) return false;
  if (d.type === 'int') {
    return Number.isInteger(internal) && (internal - d.low) % d.step === 0;
  }
  if (d.step !== null) {
    const k = (internal - d.low) / d.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }
  return true;
}

/**
 * Snaps an internal value into the distribution: clips to the bounds, rounds to the grid
 * (ints, steps, categorical indices). Samplers that work in a continuous space call this last.
 */
export function snap(d: Distribution, internal: number): number {
  if (d.type === 'categorical') {
    return Math.min(d.choices.length - 1, Math.max(0, Math.round(internal)));
  }
  let v = Math.min(d.high, Math.max(d.low, internal));
  if (d.type === 'int') {
    v = d.low + Math.round((v - d.low) / d.step) * d.step;
    return Math.min(d.high, v);
  }
  if (d.step !== null) {
    v = Math.min(d.high, roundToStep(v, d.low, d.step));
  }
  return v;
}

/** Number of distinct values, or `Infinity` for a continuous float range. */
export function cardinality(d: Distribution): number {
  if (d.type === 'categorical') return d.choices.length;
  if (d.type === 'int') return Math.floor((d.high - d.low) / d.step) + 1;
  if (d.step !== null) return Math.floor((d.high - d.low) / d.step + 1e-9) + 1;
  return d.low === d.high ? 1 : Number.POSITIVE_INFINITY;
}

/** All values of a finite distribution, as internal numbers. Throws for continuous ranges. */
export function enumerate(d: Distribution): number[] {
  const n = cardinality(d);
  if (!Number.isFinite(n)) {
    throw new InvalidDistributionError(
      `a continuous float range [${(d as FloatDistribution).low}, ${(d as FloatDistribution).high}] has no finite list of values; give it a step or list the values.`,
    );
  }
  if (d.type === 'categorical') return Array.from({ length: n }, (_, i) => i);
  if (d.type === 'int') return Array.from({ length: n }, (_, i) => d.low + i * d.step);
  if (d.step === null) return [d.low];
  const step = d.step;
  return Array.from({ length: n }, (_, i) => roundToStep(d.low + i * step, d.low, step));
}

/** Whether two distributions are exactly equal. */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'categorical') {
    const bc = (b as CategoricalDistribution).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => Object.is(c, bc[i]));
  }
  const bn = b as FloatDistribution | IntDistribution;
  return a.low === bn.low && a.high === bn.high && a.log === bn.log && a.step === bn.step;
}

/**
 * Throws unless `next` may be used for a parameter that was earlier sampled from `prev`.
 * The kind must match (float, int, categorical) and categorical choices must be the same list;
 * numeric bounds, log and step may change between trials (as in Optuna).
 */
export function assertCompatible(prev: Distribution, next: Distribution, name?: string): void {
  if (prev.type !== next.type) {
    throw new IncompatibleDistributionError(
      `${describe(name)} was a ${prev.type} parameter earlier in this study and is now asked as ${next.type}. Keep one kind per name, or use a new name.`,
    );
  }
  if (prev.type === 'categorical' && !distributionsEqual(prev, next)) {
    throw new IncompatibleDistributionError(
      `${describe(name)} had choices ${JSON.stringify(prev.choices)} earlier in this study and now ${JSON.stringify((next as CategoricalDistribution).choices)}. Keep the same choices, or use a new name.`,
    );
  }
}

/** A distribution as JSON text (stable key order), for storages. */
export function distributionToJson(d: Distribution): string {
  if (d.type === 'categorical') return JSON.stringify({ type: d.type, choices: d.choices });
  return JSON.stringify({ type: d.type, low: d.low, high: d.high, log: d.log, step: d.step });
}

/** Parses {@link distributionToJson} output. */
export function distributionFromJson(text: string): Distribution {
  const o = JSON.parse(text) as Record<string, unknown>;
  switch (o.type) {
    case 'float':
      return {
        type: 'float',
        low: o.low as number,
        high: o.high as number,
        log: Boolean(o.log),
        step: (o.step as number | null) ?? null,
      };
    case 'int':
      return {
        type: 'int',
        low: o.low as number,
        high: o.high as number,
        log: Boolean(o.log),
        step: (o.step as number) ?? 1,
      };
    case 'categorical':
      return { type: 'categorical', choices: o.choices as CategoricalChoice[] };
    default:
      throw new InvalidDistributionError(`unknown distribution JSON: ${text}`);
  }
}
