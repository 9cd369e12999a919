import { describe, expect, it } from 'vitest';
import { belowRankWeights, defaultGamma } from './split.js';

describe('defaultGamma', () => {
  it('takes 15% of the observations, rounded up, at most 25', () => {
    expect([0, 1, 10, 20, 50, 100, 166, 167, 1000].map(defaultGamma)).toEqual([
      0, 1, 2, 3, 8, 15, 25, 25, 25,
    ]);
  });
});

describe('belowRankWeights', () => {
  it('weighs the trial of rank r among n by exp(−decay·r/n), in the order asked', () => {
    // Ranked best first: 7, 3, 12, 5; asked in number order.
    const w = belowRankWeights([7, 3, 12, 5], [3, 5, 7, 12], 1);
    expect(Array.from(w)).toEqual([Math.exp(-1 / 4), Math.exp(-3 / 4), 1, Math.exp(-2 / 4)]);
  });

  it('weighs every trial 1 with decay 0, and a single trial 1', () => {
    expect(Array.from(belowRankWeights([4, 2, 9], [2, 4, 9], 0))).toEqual([1, 1, 1]);
    expect(Array.from(belowRankWeights([4], [4], 3))).toEqual([1]);
  });
});
