/**
 * Shared input handling of the small models: rows of numbers to a flat row-major matrix, and
 * class labels to indices 0..K−1 (in the sorted order of {@link uniqueLabels}).
 *
 * Notation: n samples, d features; X is n×d row-major (X[i·d + j] = feature j of sample i).
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { type Label, uniqueLabels } from '../metrics.js';

/** A flat row-major n×d copy of `x`, checking that every row has d finite numbers. */
export function toMatrix(
  x: readonly (readonly number[])[],
  what: string,
  d?: number,
): { data: Float64Array; n: number; d: number } {
  const n = x.length;
  if (n === 0) throw new InvalidArgumentError(`${what}: x has no rows; pass at least one sample.`);
  const cols = d ?? x[0]!.length;
  if (cols === 0) throw new InvalidArgumentError(`${what}: the rows of x have no features.`);
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    if (row.length !== cols) {
      throw new InvalidArgumentError(
        `${what}: row ${i} of x has ${row.length} features, expected ${cols} (as in the training data).`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v))
        throw new InvalidArgumentError(`${what}: x[${i}][${j}] is ${v}; features must be finite.`);
      data[i * cols + j] = v;
    }
  }
  return { data, n, d: cols };
}

/** The sorted distinct labels and each sample's index among them. */
export function encodeLabels(
  y: readonly Label[],
  n: number,
  what: string,
): { classes: Label[]; codes: Int32Array } {
  if (y.length !== n) throw new InvalidArgumentError(`${what}: ${n} rows of x but ${y.length} labels in y.`);
  const classes = uniqueLabels(y);
  const index = new Map<Label, number>(classes.map((c, k) => [c, k]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(y[i]!)!;
  return { classes, codes };
}
