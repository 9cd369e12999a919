import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { nonDominatedBoxes } from './box-decomposition.js';
import { hypervolume } from './hypervolume.js';

/** Σ_b vol(box_b ∩ [floor, r]). */
function boxVolume(dec: ReturnType<typeof nonDominatedBoxes>, floor: number[]): number {
  let total = 0;
  for (let b = 0; b < dec.count; b++) {
    let v = 1;
    for (let d = 0; d < dec.m; d++) {
      const lo = Math.max(dec.lower[b * dec.m + d]!, floor[d]!);
      v *= Math.max(0, dec.upper[b * dec.m + d]! - lo);
    }
    total += v;
  }
  return total;
}

describe('nonDominatedBoxes', () => {
  it('gives the n + 1 staircase boxes in 2-D', () => {
    const dec = nonDominatedBoxes(
      [
        [1, 3],
        [2, 2],
        [3, 1],
      ],
      [4, 4],
    );
    expect(dec.count).toBe(4);
    expect(Array.from(dec.upper)).toEqual([1, 4, 2, 3, 3, 2, 4, 1]);
    expect(Array.from(dec.lower)).toEqual([-Infinity, -Infinity, 1, -Infinity, 2, -Infinity, 3, -Infinity]);
  });

  it('covers exactly the complement of the dominated region (2 to 4 objectives, random fronts)', () => {
    const rng = new Rng(3);
    for (const m of [2, 3, 4]) {
      for (let rep = 0; rep < 5; rep++) {
        const n = 3 + Math.floor(rng.random() * 8);
        const pts = Array.from({ length: n }, () =>
          Array.from({ length: m }, () => Math.round(rng.random() * 100) / 100),
        );
        pts.push([...pts[0]!]); // a duplicate
        pts.push(Array.from({ length: m }, () => 1.5)); // outside the reference box
        const ref = Array.from({ length: m }, () => 1.2);
        const floor = Array.from({ length: m }, () => -0.3);
        const dec = nonDominatedBoxes(pts, ref);
        const whole = 1.5 ** m;
        // Disjoint boxes: their volume plus the dominated volume is the whole box [floor, r].
        expectClose(boxVolume(dec, floor) + hypervolume(pts, ref), whole, { rtol: 1e-12 });
      }
    }
  });

  it('handles an empty front and one objective', () => {
    const empty = nonDominatedBoxes([], [1, 2]);
    expect(empty.count).toBe(1);
    expect(Array.from(empty.upper)).toEqual([1, 2]);
    const one = nonDominatedBoxes([[0.5], [0.2]], [1]);
    expect(Array.from(one.upper)).toEqual([0.2]);
  });

  it('rejects bad inputs', () => {
    expect(() => nonDominatedBoxes([[1, 2, 3]], [4, 4])).toThrow(RangeError);
    expect(() => nonDominatedBoxes([[Number.NaN, 1]], [4, 4])).toThrow(/NaN/);
    const many = Array.from({ length: 30 }, (_, i) => [i / 30, 1 - i / 30, ((i * 7) % 30) / 30]);
    expect(() => nonDominatedBoxes(many, [2, 2, 2], 100)).toThrow(/grid cells/);
  });
});
