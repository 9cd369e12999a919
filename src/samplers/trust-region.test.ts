import { describe, expect, it } from 'vitest';
import {
  TRUST_REGION_INITIAL_SIDE,
  TRUST_REGION_MAX_SIDE,
  TRUST_REGION_MIN_SIDE,
  trustRegionSide,
} from './trust-region.js';

describe('trustRegionSide', () => {
  it('starts at the initial side and ignores the first value', () => {
    expect(trustRegionSide([])).toBe(TRUST_REGION_INITIAL_SIDE);
    expect(trustRegionSide([5])).toBe(TRUST_REGION_INITIAL_SIDE);
  });

  it('doubles after three improvements in a row and halves after four trials without one', () => {
    expect(trustRegionSide([10, 9, 8, 7])).toBeCloseTo(0.8, 12);
    expect(trustRegionSide([10, 9, 8])).toBeCloseTo(0.4, 12);
    expect(trustRegionSide([10, 11, 12, 13, 14])).toBeCloseTo(0.2, 12);
    expect(trustRegionSide([10, 11, 12, 13])).toBeCloseTo(0.4, 12);
    // A failure resets the run of improvements: 9, 8, (11), 7 is not three in a row.
    expect(trustRegionSide([10, 9, 8, 11, 7])).toBeCloseTo(0.4, 12);
    // Eight failures halve twice; then three improvements double once.
    expect(trustRegionSide([0, 1, 1, 1, 1, 1, 1, 1, 1, -1, -2, -3])).toBeCloseTo(0.2, 12);
  });

  it('counts an improvement only above 1e-3 of the range of the values so far', () => {
    // Range 10; steps of 0.001 are below 0.01 and count as failures.
    expect(trustRegionSide([10, 0, -0.001, -0.002, -0.003, -0.004])).toBeCloseTo(0.2, 12);
    expect(trustRegionSide([10, 0, -1, -2, -3])).toBeCloseTo(0.8, 12);
  });

  it('stays within its bounds and skips non-finite values', () => {
    expect(trustRegionSide(Array.from({ length: 40 }, (_, i) => -i))).toBe(TRUST_REGION_MAX_SIDE);
    expect(trustRegionSide(Array.from({ length: 200 }, () => 1))).toBe(TRUST_REGION_MIN_SIDE);
    expect(trustRegionSide([10, Number.NaN, 9, Number.POSITIVE_INFINITY, 8, 7])).toBeCloseTo(0.8, 12);
  });
});
