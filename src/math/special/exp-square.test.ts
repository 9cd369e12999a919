import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { expNegHalfSquare, expNegSquare, expSquare } from './exp-square.js';

describe('exponentials of squares', () => {
  it('agree with Math.exp where x² is exact', () => {
    for (const x of [0, 0.5, 1, 1.5, 3, 4.25, 10, 26, -7.5]) {
      expectClose(expNegSquare(x), Math.exp(-x * x), { rtol: 1e-15 });
      expectClose(expSquare(x), Math.exp(x * x), { rtol: 1e-15 });
      expectClose(expNegHalfSquare(x), Math.exp(-0.5 * x * x), { rtol: 1e-15 });
    }
  });

  it('avoid the rounding of x²: exp(−x²)·exp(x²) = 1 and exp(−(x+δ)²) is consistent', () => {
    for (const x of [5.123456789, 17.3, 20.01, 26.1])
      expectClose(expNegSquare(x) * expSquare(x), 1, { rtol: 4e-16 });
    // exp(−x²/2) at x = 37.1 + 2⁻⁴⁰: Math.exp(−0.5·x·x) is off by ~1e−13 here, the split form is not.
    const x = 37.1 + 2 ** -40;
    const direct = expNegHalfSquare(37.1) * Math.exp(-37.1 * 2 ** -40 - 2 ** -81);
    expectClose(expNegHalfSquare(x), direct, { rtol: 1e-15 });
  });

  it('handle non-finite inputs and the under/overflow limits', () => {
    expect(expNegSquare(Number.NaN)).toBeNaN();
    expect(expSquare(Number.NaN)).toBeNaN();
    expect(expNegHalfSquare(Number.NaN)).toBeNaN();
    expect(expNegSquare(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(expSquare(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(expNegHalfSquare(40)).toBe(0);
    expect(expNegSquare(28)).toBe(0);
    expect(expSquare(27)).toBe(Number.POSITIVE_INFINITY);
    expect(expNegHalfSquare(38.5)).toBeGreaterThan(0);
  });
});
