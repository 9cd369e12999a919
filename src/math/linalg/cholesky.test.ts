import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from '../special/__fixtures__/fixture.js';
import { choleskyInPlace, choleskyLogDet } from './cholesky.js';

interface SpdCase {
  name: string;
  n: number;
  a: number[];
  l: number[];
  logdet: number;
}
interface LinalgFixture {
  spd: SpdCase[];
  semidefinite: { name: string; n: number; a: number[] }[];
  indefinite: { name: string; n: number; a: number[] }[];
}
const fixture = readFixture<LinalgFixture>(new URL('./__fixtures__/linalg.json', import.meta.url));

/** L·Lᵀ for a flat row-major lower-triangular L. */
function lowerTimesTranspose(l: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k <= Math.min(i, j); k++) s += l[i * n + k]! * l[j * n + k]!;
      out[i * n + j] = s;
    }
  }
  return out;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

describe('choleskyInPlace', () => {
  for (const c of fixture.spd) {
    it(`matches NumPy and L·Lᵀ = A: ${c.name}`, () => {
      const l = Float64Array.from(c.a);
      const { jitter } = choleskyInPlace(l, c.n);
      expect(jitter).toBe(0);
      // The trailing pivot of the Hilbert matrix (condition ~1.5e10) is itself ill-conditioned.
      const rtol = c.name.startsWith('Hilbert') ? 1e-6 : 1e-9;
      expectClose(l, c.l, { rtol, atol: 1e-12 * maxAbs(c.l) });
      for (let i = 0; i < c.n; i++) for (let j = i + 1; j < c.n; j++) expect(l[i * c.n + j]).toBe(0);
      expectClose(lowerTimesTranspose(l, c.n), c.a, { rtol: 0, atol: 1e-14 * maxAbs(c.a) });
      expectClose(choleskyLogDet(l, c.n), c.logdet, { rtol: rtol * 1e-3, atol: 1e-12 });
    });
  }

  it('reads only the lower triangle', () => {
    const c = fixture.spd[0]!;
    const a = Float64Array.from(c.a);
    for (let i = 0; i < c.n; i++) for (let j = i + 1; j < c.n; j++) a[i * c.n + j] = Number.NaN;
    choleskyInPlace(a, c.n);
    expectClose(a, c.l, { rtol: 1e-12, atol: 1e-14 });
  });

  for (const c of fixture.semidefinite) {
    it(`adds the smallest sufficient jitter to a singular matrix: ${c.name}`, () => {
      const l = Float64Array.from(c.a);
      const { jitter } = choleskyInPlace(l, c.n);
      const meanDiag = c.a.reduce((s, v, k) => (k % (c.n + 1) === 0 ? s + v : s), 0) / c.n || 1;
      expect(jitter).toBeGreaterThan(0);
      expect(jitter).toBeLessThanOrEqual(1e-4 * meanDiag);
      // A power of ten times 1e−10·mean(diag).
      const exponent = Math.log10(jitter / (1e-10 * meanDiag));
      expectClose(exponent, Math.round(exponent), { rtol: 0, atol: 1e-9 });
      const expected = Float64Array.from(c.a);
      for (let i = 0; i < c.n; i++) expected[i * c.n + i] = expected[i * c.n + i]! + jitter;
      expectClose(lowerTimesTranspose(l, c.n), expected, { rtol: 0, atol: 1e-14 * Math.max(1, maxAbs(c.a)) });
    });
  }

  for (const c of fixture.indefinite) {
    it(`throws NumericalError when jitter cannot help: ${c.name}`, () => {
      expect(() => choleskyInPlace(Float64Array.from(c.a), c.n)).toThrow(NumericalError);
    });
  }

  it('respects a custom jitter cap', () => {
    const a = Float64Array.from([1, 1, 1, 1]);
    expect(() => choleskyInPlace(a, 2, { initialRelativeJitter: 1e-20, maxRelativeJitter: 1e-19 })).toThrow(
      NumericalError,
    );
    const b = Float64Array.from([1, 1, 1, 1]);
    expect(choleskyInPlace(b, 2, { initialRelativeJitter: 1e-6 }).jitter).toBe(1e-6);
  });

  it('rejects non-finite entries, bad sizes and bad options', () => {
    expect(() => choleskyInPlace(Float64Array.from([1, 0, Number.NaN, 1]), 2)).toThrow(NumericalError);
    expect(() => choleskyInPlace(Float64Array.from([Number.POSITIVE_INFINITY]), 1)).toThrow(NumericalError);
    expect(() => choleskyInPlace(new Float64Array(3), 2)).toThrow(InvalidArgumentError);
    expect(() => choleskyInPlace(new Float64Array(4), 1.5)).toThrow(InvalidArgumentError);
    expect(() => choleskyInPlace(new Float64Array(4), 2, { jitterGrowth: 1 })).toThrow(InvalidArgumentError);
    expect(() => choleskyInPlace(new Float64Array(4), 2, { work: new Float64Array(1) })).toThrow(
      InvalidArgumentError,
    );
  });

  it('handles n = 0 and reuses a work buffer', () => {
    expect(choleskyInPlace(new Float64Array(0), 0).jitter).toBe(0);
    expect(choleskyLogDet(new Float64Array(0), 0)).toBe(0);
    const work = new Float64Array(2);
    const a = Float64Array.from([4, 2, 2, 3]);
    choleskyInPlace(a, 2, { work });
    expectClose(a, [2, 0, 1, Math.SQRT2], { rtol: 1e-15 });
  });
});
