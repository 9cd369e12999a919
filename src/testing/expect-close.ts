/**
 * The one numeric comparison helper of the test suites.
 *
 * `expectClose(actual, expected, { rtol, atol })` passes when
 * |actual − expected| ≤ atol + rtol·|expected|, elementwise for arrays. NaN matches only NaN,
 * +Inf only +Inf and −Inf only −Inf; a mismatch names the index and both values.
 *
 * @module
 */
import { expect } from 'vitest';

/** Tolerances of {@link expectClose}. Defaults: rtol 1e-9, atol 0. */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
}

/** Whether two numbers are close under the rule of {@link expectClose}. */
export function isClose(actual: number, expected: number, options: CloseOptions = {}): boolean {
  const rtol = options.rtol ?? 1e-9;
  const atol = options.atol ?? 0;
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Asserts that `actual` is close to `expected` (numbers or arrays of equal length). */
export function expectClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  options: CloseOptions = {},
): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') throw new Error(`expectClose: expected a number, got an array`);
    if (!isClose(actual, expected, options)) {
      expect.fail(
        `expected ${actual} to be close to ${expected} (rtol ${options.rtol ?? 1e-9}, atol ${options.atol ?? 0})`,
      );
    }
    return;
  }
  if (typeof actual === 'number') throw new Error('expectClose: expected an array, got a number');
  if (actual.length !== expected.length) {
    expect.fail(`length ${actual.length} differs from the expected ${expected.length}`);
  }
  for (let i = 0; i < expected.length; i++) {
    const a: number = actual[i]!;
    const e: number = expected[i]!;
    if (!isClose(a, e, options)) {
      expect.fail(
        `index ${i}: ${a} is not close to ${e} (rtol ${options.rtol ?? 1e-9}, atol ${options.atol ?? 0})`,
      );
    }
  }
}
