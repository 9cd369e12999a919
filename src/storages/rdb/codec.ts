/**
 * Encoding of values for SQL columns, shared by the SQL backends. Objective values may be ±Inf,
 * which JSON cannot hold, so they are written as the strings "Infinity" / "-Infinity".
 * @module
 */
import type { JsonValue } from '../../core/frozen-trial.js';

/** Objective values as JSON text; `null` stays null. */
export function encodeValues(values: readonly number[] | null): string | null {
  if (values === null) return null;
  return JSON.stringify(values.map((v) => (Number.isFinite(v) ? v : v > 0 ? 'Infinity' : '-Infinity')));
}

/** Inverse of {@link encodeValues}. */
export function decodeValues(text: string | null): number[] | null {
  if (text === null) return null;
  return (JSON.parse(text) as Array<number | string>).map((v) => (typeof v === 'number' ? v : Number(v)));
}

/** An attribute value as JSON text. */
export function encodeJson(value: JsonValue): string {
  return JSON.stringify(value);
}

/** Inverse of {@link encodeJson}. */
export function decodeJson(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}
