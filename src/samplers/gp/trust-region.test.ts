import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../core/distributions.js';
import { EncodedSpace } from './encoded-space.js';
import {
  TRUST_REGION_CATEGORICAL_SIDE,
  TRUST_REGION_INITIAL_SIDE,
  TRUST_REGION_MAX_SIDE,
  TRUST_REGION_MIN_SIDE,
  trustRegionBox,
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

describe('trustRegionBox', () => {
  const enc = new EncodedSpace({
    a: floatDistribution(0, 1),
    b: floatDistribution(0, 1),
    c: categoricalDistribution(['p', 'q', 'r']),
    d: intDistribution(0, 10),
  });
  const col = (name: string) => enc.slots.find((s) => s.name === name)!.column;
  const center = new Float64Array(enc.dim);
  enc.encode({ a: 0.5, b: 0.9, c: 1, d: 1 }, center);
  const [ca, cb, cc, cd] = [col('a'), col('b'), col('c'), col('d')];

  it('spans side · w_j around the centre in continuous and grid columns, cut at [0, 1]', () => {
    // Length scales 0.5, 2 and 1 (geometric mean 1) for a, b and d.
    const ls = new Float64Array(enc.dim).fill(7);
    ls[ca] = 0.5;
    ls[cb] = 2;
    ls[cd] = 1;
    const box = trustRegionBox(center, 0.2, ls, enc);
    expect([box.lower[ca], box.upper[ca]]).toEqual([0.45, 0.55]);
    expect(box.lower[cb]).toBeCloseTo(0.7, 12);
    expect(box.upper[cb]).toBe(1);
    expect(box.lower[cd]).toBeCloseTo(center[cd]! - 0.1, 12);
    expect(box.upper[cd]).toBeCloseTo(center[cd]! + 0.1, 12);
  });

  it("keeps the centre's category below the categorical side and frees it from there", () => {
    const ls = new Float64Array(enc.dim).fill(1);
    const small = trustRegionBox(center, TRUST_REGION_CATEGORICAL_SIDE / 2, ls, enc);
    expect(Array.from(small.lower.subarray(cc, cc + 3))).toEqual([0, 1, 0]);
    expect(Array.from(small.upper.subarray(cc, cc + 3))).toEqual([0, 1, 0]);
    const large = trustRegionBox(center, TRUST_REGION_CATEGORICAL_SIDE, ls, enc);
    expect(Array.from(large.lower.subarray(cc, cc + 3))).toEqual([0, 0, 0]);
    expect(Array.from(large.upper.subarray(cc, cc + 3))).toEqual([1, 1, 1]);
  });

  it('clips the weights to [1/4, 4]', () => {
    // Length scales 0.01 and 100 for a and b (and 1 for d): weights far outside [1/4, 4] before clipping.
    const ls = new Float64Array(enc.dim).fill(1);
    ls[ca] = 0.01;
    ls[cb] = 100;
    const c = Float64Array.from(center);
    c[cb] = 0.5;
    const box = trustRegionBox(c, 0.2, ls, enc);
    expect(box.lower[ca]).toBeCloseTo(0.475, 12);
    expect(box.upper[ca]).toBeCloseTo(0.525, 12);
    expect(box.lower[cb]).toBeCloseTo(0.1, 12);
    expect(box.upper[cb]).toBeCloseTo(0.9, 12);
  });
});
