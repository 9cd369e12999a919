import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from '../special/__fixtures__/fixture.js';
import { choleskyInPlace } from './cholesky.js';
import { choleskySolve, choleskySolveMatrix } from './cholesky-solve.js';

interface SpdCase {
  name: string;
  n: number;
  m: number;
  a: number[];
  b: number[];
  x: number[];
  bm: number[];
  xm: number[];
}
const fixture = readFixture<{ spd: SpdCase[] }>(new URL('./__fixtures__/linalg.json', import.meta.url));

describe('choleskySolve', () => {
  for (const c of fixture.spd) {
    it(`solves A·x = b and A·X = B like numpy.linalg.solve: ${c.name}`, () => {
      const l = Float64Array.from(c.a);
      choleskyInPlace(l, c.n);
      // The Hilbert matrix has condition ~1.5e10, so its solution is only good to ~1e−6.
      const rtol = c.name.startsWith('Hilbert') ? 1e-5 : 1e-10;
      const scale = Math.max(...c.x.map(Math.abs));
      expectClose(choleskySolve(l, c.n, c.b, new Float64Array(c.n)), c.x, { rtol, atol: rtol * scale });
      const xm = Float64Array.from(c.bm);
      choleskySolveMatrix(l, c.n, xm, c.m, xm);
      expectClose(xm, c.xm, { rtol, atol: rtol * Math.max(...c.xm.map(Math.abs)) });
    });
  }

  it('the residual A·x − b is at rounding level', () => {
    const c = fixture.spd.find((s) => s.name.startsWith('Matern'))!;
    const l = Float64Array.from(c.a);
    choleskyInPlace(l, c.n);
    const x = choleskySolve(l, c.n, c.b, new Float64Array(c.n));
    for (let i = 0; i < c.n; i++) {
      let s = 0;
      for (let k = 0; k < c.n; k++) s += c.a[i * c.n + k]! * x[k]!;
      expect(Math.abs(s - c.b[i]!)).toBeLessThan(1e-9);
    }
  });
});
