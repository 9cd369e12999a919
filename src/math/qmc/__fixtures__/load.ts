/**
 * Typed access to `qmc.json` (written by scripts/gen-qmc-fixtures.py from SciPy).
 *
 * Notation: a case holds `n` points of dimension `dim` starting at index `start`; `values` is the
 * flat n × columns.length row-major list of the kept `columns`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/** One fixture case: unscrambled SciPy points. */
export interface QmcFixtureCase {
  engine: 'sobol' | 'halton';
  dim: number;
  start: number;
  n: number;
  columns: number[];
  values: number[];
}

/** All fixture cases of one engine. */
export function qmcFixtures(engine: 'sobol' | 'halton'): QmcFixtureCase[] {
  const doc = JSON.parse(readFileSync(new URL('./qmc.json', import.meta.url), 'utf8')) as {
    cases: QmcFixtureCase[];
  };
  return doc.cases.filter((c) => c.engine === engine);
}

/** The kept columns of a flat n × dim point array, flat n × columns.length. */
export function pickColumns(points: Float64Array, dim: number, columns: readonly number[]): number[] {
  const n = points.length / dim;
  const picked: number[] = [];
  for (let r = 0; r < n; r++) for (const c of columns) picked.push(points[r * dim + c]!);
  return picked;
}
