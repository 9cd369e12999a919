import { describe, expect, it } from 'vitest';
import { clipToFiniteRange, isFlat } from './output-warping.js';

describe('clipToFiniteRange', () => {
  it('clips ±Infinity to the finite range and says so', () => {
    const c = clipToFiniteRange([2, Number.NEGATIVE_INFINITY, -1, Number.POSITIVE_INFINITY])!;
    expect([...c.y]).toEqual([2, -1, -1, 2]);
    expect([c.lo, c.hi, c.clipped]).toEqual([-1, 2, true]);
    expect(clipToFiniteRange([0.5, 1])!.clipped).toBe(false);
  });

  it('is null without a finite value; flat when the range is (nearly) empty', () => {
    expect(clipToFiniteRange([Number.POSITIVE_INFINITY])).toBeNull();
    expect(clipToFiniteRange([])).toBeNull();
    expect(isFlat(clipToFiniteRange([3, 3, Number.NEGATIVE_INFINITY])!)).toBe(true);
    expect(isFlat(clipToFiniteRange([1e6, 1e6 + 1e-7])!)).toBe(true);
    expect(isFlat(clipToFiniteRange([0, 1e-9])!)).toBe(false);
  });
});
