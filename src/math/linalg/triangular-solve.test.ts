import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from '../special/__fixtures__/fixture.js';
import {
  solveLower,
  solveLowerMatrix,
  solveLowerTransposed,
  solveLowerTransposedMatrix,
} from './triangular-solve.js';

interface SpdCase {
  name: string;
  n: number;
  m: number;
  l: number[];
  b: number[];
  bm: number[];
}
const fixture = readFixture<{ spd: SpdCase[] }>(new URL('./__fixtures__/linalg.json', import.meta.url));

/** L·x (transposed: Lᵀ·x) for a flat lower-triangular L and an n×m right-hand side. */
function multiply(
  l: number[],
  n: number,
  x: ArrayLike<number>,
  m: number,
  transposed: boolean,
): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const lik = transposed ? (k >= i ? l[k * n + i]! : 0) : k <= i ? l[i * n + k]! : 0;
        s += lik * x[k * m + r]!;
      }
      out[i * m + r] = s;
    }
  }
  return out;
}

describe('triangular solves', () => {
  for (const c of fixture.spd) {
    it(`L·x = b and Lᵀ·x = b, vector and matrix forms, in and out of place: ${c.name}`, () => {
      const scale = Math.max(...c.b.map(Math.abs));
      const x = solveLower(c.l, c.n, c.b, new Float64Array(c.n));
      expectClose(multiply(c.l, c.n, x, 1, false), c.b, { rtol: 0, atol: 1e-12 * scale });
      const y = solveLowerTransposed(c.l, c.n, c.b, new Float64Array(c.n));
      expectClose(multiply(c.l, c.n, y, 1, true), c.b, { rtol: 0, atol: 1e-12 * scale });

      const inPlace = Float64Array.from(c.b);
      solveLower(c.l, c.n, inPlace, inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(x));
      const inPlaceT = Float64Array.from(c.b);
      solveLowerTransposed(c.l, c.n, inPlaceT, inPlaceT);
      expect(Array.from(inPlaceT)).toEqual(Array.from(y));

      const bm = Float64Array.from(c.bm);
      const xm = solveLowerMatrix(c.l, c.n, c.bm, c.m, new Float64Array(c.n * c.m));
      expectClose(multiply(c.l, c.n, xm, c.m, false), c.bm, {
        rtol: 0,
        atol: 1e-12 * Math.max(...c.bm.map(Math.abs)),
      });
      solveLowerTransposedMatrix(c.l, c.n, bm, c.m, bm);
      expectClose(multiply(c.l, c.n, bm, c.m, true), c.bm, {
        rtol: 0,
        atol: 1e-12 * Math.max(...c.bm.map(Math.abs)),
      });

      // Column r of the matrix solve equals the vector solve of column r.
      const col = new Float64Array(c.n);
      for (let i = 0; i < c.n; i++) col[i] = c.bm[i * c.m]!;
      solveLower(c.l, c.n, col, col);
      for (let i = 0; i < c.n; i++) expectClose(xm[i * c.m]!, col[i]!, { rtol: 1e-13, atol: 1e-300 });
    });
  }

  it('never reads the strict upper triangle', () => {
    const l = [2, Number.NaN, 1, 3];
    expectClose(solveLower(l, 2, [2, 7], new Float64Array(2)), [1, 2], { rtol: 1e-15 });
    expectClose(solveLowerTransposed(l, 2, [4, 6], new Float64Array(2)), [1, 2], { rtol: 1e-15 });
  });

  it('validates sizes', () => {
    expect(() => solveLower([1], 1, [], new Float64Array(1))).toThrow(InvalidArgumentError);
    expect(() => solveLowerMatrix([1], 1, [1, 2], -1, new Float64Array(2))).toThrow(InvalidArgumentError);
    expect(() => solveLowerTransposedMatrix([1], 1, [1, 2], 2, new Float64Array(1))).toThrow(
      InvalidArgumentError,
    );
  });
});
