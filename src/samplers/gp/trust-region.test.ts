import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../core/distributions.js';
import { EncodedSpace } from './encoded-space.js';
import { TRUST_REGION_CATEGORICAL_SIDE, trustRegionBox } from './trust-region.js';

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
