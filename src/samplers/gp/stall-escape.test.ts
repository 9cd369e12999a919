import { describe, expect, it } from 'vitest';
import { isStalled, nearestScaledDistance, STALL_WINDOW } from './stall-escape.js';

describe('isStalled', () => {
  it('is false until there are more values than the window', () => {
    expect(isStalled(new Float64Array(STALL_WINDOW).fill(1))).toBe(false);
    expect(isStalled(Float64Array.from({ length: STALL_WINDOW + 1 }, (_, i) => (i === 0 ? 0 : -1)))).toBe(
      true,
    );
  });

  it('counts trials since the last improvement larger than tolerance × range', () => {
    // Range 10: improvements must exceed 0.01. The best moves by 0.005 at index 5 (not counted)
    // and by 1 at index 3 (counted): 6 values after index 3 → stalled for a window of 6, not 7.
    const y = [0, 5, 9, 10, 1, 10.005, 2, 3, 10.004, 0];
    expect(isStalled(y, 6, 1e-3)).toBe(true);
    expect(isStalled(y, 7, 1e-3)).toBe(false);
    // With a tolerance of 0, the move at index 5 counts: 4 values after it.
    expect(isStalled(y, 4, 0)).toBe(true);
    expect(isStalled(y, 5, 0)).toBe(false);
  });

  it('treats a steady climb as progress', () => {
    const y = Array.from({ length: 40 }, (_, i) => i);
    expect(isStalled(y)).toBe(false);
  });
});

describe('nearestScaledDistance', () => {
  it('is the distance to the nearest row in length scales', () => {
    // Rows (0, 0) and (1, 1); ils = (4, 1) (length scales 0.5 and 1). x = (0.9, 0.5):
    // to row 0: √(4·0.81 + 0.25) = √3.49; to row 1: √(4·0.01 + 0.25) = √0.29.
    const X = Float64Array.from([0, 0, 1, 1]);
    const d = nearestScaledDistance([0.9, 0.5], X, 2, 2, [4, 1]);
    expect(d).toBeCloseTo(Math.sqrt(0.29), 12);
    expect(nearestScaledDistance([1, 1], X, 2, 2, [4, 1])).toBe(0);
    expect(nearestScaledDistance([1, 1], X, 0, 2, [4, 1])).toBe(Number.POSITIVE_INFINITY);
  });
});
