/**
 * Test helper: reads a JSON fixture written by `scripts/gen-math-fixtures.py`, reviving the strings
 * "NaN", "Infinity" and "-Infinity" (JSON has no non-finite numbers) as numbers.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

function revive(_key: string, value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}

/** Parses the fixture at `url` (resolve it with `new URL('./__fixtures__/x.json', import.meta.url)`). */
export function readFixture<T>(url: URL): T {
  return JSON.parse(readFileSync(url, 'utf8'), revive) as T;
}
