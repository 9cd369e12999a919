import { describe, expect, it } from 'vitest';
import { extremeIndices, samplePoints } from './downsample.js';

describe('samplePoints', () => {
  it('keeps everything under the budget', () => {
    const s = samplePoints(5, 10);
    expect(Array.from(s.indices)).toEqual([0, 1, 2, 3, 4]);
    expect(s.downsampled).toBe(false);
  });

  it('keeps the required points, fills the budget, is sorted and deterministic', () => {
    const s = samplePoints(1000, 50, [999, 3, 3, 500]);
    expect(s.indices.length).toBe(50);
    expect(s.downsampled).toBe(true);
    const set = new Set(s.indices);
    for (const k of [3, 500, 999]) expect(set.has(k)).toBe(true);
    for (let i = 1; i < s.indices.length; i++) expect(s.indices[i]!).toBeGreaterThan(s.indices[i - 1]!);
    expect(Array.from(samplePoints(1000, 50, [999, 3, 500]).indices)).toEqual(Array.from(s.indices));
  });

  it('keeps every required point even past the budget', () => {
    const keep = Array.from({ length: 30 }, (_, i) => i * 3);
    const s = samplePoints(100, 10, keep);
    expect(Array.from(s.indices)).toEqual(keep);
  });

  it('samples roughly uniformly', () => {
    const s = samplePoints(10000, 1000);
    const firstHalf = Array.from(s.indices).filter((i) => i < 5000).length;
    expect(firstHalf).toBeGreaterThan(430);
    expect(firstHalf).toBeLessThan(570);
  });
});

describe('extremeIndices', () => {
  const values = [5, 1, 9, 1, 7, Number.NaN, 3];
  it('returns min, max and the k best for a direction', () => {
    expect(extremeIndices(values, null, 3)).toEqual([1, 2]);
    expect(new Set(extremeIndices(values, 'minimize', 3))).toEqual(new Set([1, 2, 3, 6]));
    expect(new Set(extremeIndices(values, 'maximize', 2))).toEqual(new Set([1, 2, 4]));
  });
  it('handles empty and all-NaN input', () => {
    expect(extremeIndices([], 'minimize', 3)).toEqual([]);
    expect(extremeIndices([Number.NaN], 'minimize', 3)).toEqual([]);
  });
});
