/**
 * Turns trials and studies into the JSON the dashboard API sends. JSON has no NaN or ±Infinity,
 * so non-finite numbers travel as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`; dates are
 * ISO strings; intermediate values are `[step, value]` pairs in step order.
 * @module
 */
import type { Distribution, ParamValue } from '../../core/distributions.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';

/** A number as JSON: itself when finite, else its name as a string. */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** A number as JSON (see {@link JsonNumber}). */
export function jsonNumber(v: number): JsonNumber {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}

/** A parameter value as JSON (non-finite numbers as strings). */
export function jsonParam(v: ParamValue): JsonValue {
  return typeof v === 'number' ? jsonNumber(v) : v;
}

/** Milliseconds between start and completion, or `null` when either is missing. */
export function durationMs(t: FrozenTrial): number | null {
  if (t.datetimeStart === null || t.datetimeComplete === null) return null;
  return t.datetimeComplete.getTime() - t.datetimeStart.getTime();
}

/** One row of the trial table: what a list needs, without attributes or intermediate values. */
export interface TrialRowJson {
  number: number;
  state: string;
  values: JsonNumber[] | null;
  params: Record<string, JsonValue>;
  datetimeStart: string | null;
  datetimeComplete: string | null;
  durationMs: number | null;
  nIntermediate: number;
}

/** A trial as a table row. */
export function trialRow(t: FrozenTrial): TrialRowJson {
  const params: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(t.params)) params[k] = jsonParam(v);
  return {
    number: t.number,
    state: t.state,
    values: t.values === null ? null : t.values.map(jsonNumber),
    params,
    datetimeStart: t.datetimeStart?.toISOString() ?? null,
    datetimeComplete: t.datetimeComplete?.toISOString() ?? null,
    durationMs: durationMs(t),
    nIntermediate: t.intermediateValues.size,
  };
}

/** A whole trial, as the trial detail shows it. */
export interface TrialDetailJson extends TrialRowJson {
  trialId: number;
  distributions: Record<string, Distribution>;
  intermediateValues: Array<[number, JsonNumber]>;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  /** The end of the trial's CLI log (`tunekit run`), when it has one and the file is readable. */
  log: { path: string; text: string; truncated: boolean } | null;
}

/** A whole trial with its (optional) log. */
export function trialDetail(t: FrozenTrial, log: TrialDetailJson['log']): TrialDetailJson {
  const intermediateValues = [...t.intermediateValues.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, v]): [number, JsonNumber] => [s, jsonNumber(v)]);
  return {
    ...trialRow(t),
    trialId: t.trialId,
    distributions: { ...t.distributions },
    intermediateValues,
    userAttrs: { ...t.userAttrs },
    systemAttrs: { ...t.systemAttrs },
    log,
  };
}
