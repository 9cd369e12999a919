import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { pickColumns, qmcFixtures } from './__fixtures__/load.js';
import { QMC_MAX_POINTS, SOBOL_MAX_DIM, SobolEngine } from './index.js';

const EXACT = { rtol: 0, atol: 0 };

/** Whether each coordinate of the n points (flat n × dim) puts exactly one point per 1/n cell. */
function stratifiedIn1d(points: Float64Array, dim: number, n: number, j: number): boolean {
  const seen = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const cell = Math.floor(points[r * dim + j]! * n);
    if (seen[cell]) return false;
    seen[cell] = 1;
  }
  return true;
}

/**
 * Whether the 2^m points (flat, row-major) have exactly one point in every elementary interval
 * [a/2^i, (a+1)/2^i) × [b/2^(m−i), (b+1)/2^(m−i)) of coordinates (j1, j2), for every i = 0..m.
 */
function isZeroMNet(points: Float64Array, dim: number, m: number, j1: number, j2: number): boolean {
  const n = 2 ** m;
  for (let i = 0; i <= m; i++) {
    const seen = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      const a = Math.floor(points[r * dim + j1]! * 2 ** i);
      const b = Math.floor(points[r * dim + j2]! * 2 ** (m - i));
      const cell = a * 2 ** (m - i) + b;
      if (seen[cell]) return false;
      seen[cell] = 1;
    }
  }
  return true;
}

describe('SobolEngine, unscrambled, against SciPy', () => {
  for (const c of qmcFixtures('sobol')) {
    it(`matches qmc.Sobol(${c.dim}, scramble=False) at points ${c.start}..${c.start + c.n - 1}`, () => {
      const engine = new SobolEngine(c.dim, { scramble: false });
      engine.fastForward(c.start);
      const points = engine.draw(c.n);
      expectClose(pickColumns(points, c.dim, c.columns), c.values, EXACT);
      expect(engine.index).toBe(c.start + c.n);
      // Random access gives the same points.
      const one = new Float64Array(c.dim);
      const last = c.n - 1;
      engine.pointAt(c.start + last, one);
      expectClose(pickColumns(one, c.dim, c.columns), c.values.slice(last * c.columns.length), EXACT);
    });
  }

  it('starts at the origin and runs through the van der Corput sequence in dimension 0', () => {
    const engine = new SobolEngine(1, { scramble: false });
    expectClose(engine.draw(4), [0, 0.5, 0.75, 0.25], EXACT);
  });
});

describe('SobolEngine, stepping and random access', () => {
  it('next, draw, pointAt and fastForward agree', () => {
    const dim = 7;
    const a = new SobolEngine(dim, { seed: 11 });
    const b = new SobolEngine(dim, { seed: 11 });
    const drawn = b.draw(300);
    const out = new Float64Array(dim);
    const at = new Float64Array(dim);
    for (let r = 0; r < 300; r++) {
      expect(a.next(out)).toBe(out);
      expectClose(out, drawn.subarray(r * dim, (r + 1) * dim), EXACT);
      expectClose(a.pointAt(r, at), out, EXACT);
    }
    const c = new SobolEngine(dim, { seed: 11 });
    c.fastForward(123);
    c.fastForward(0);
    expectClose(c.next(), drawn.subarray(123 * dim, 124 * dim), EXACT);
    expect(c.index).toBe(124);
  });

  it('reaches the last point 2^32 − 1 and then stops', () => {
    for (const scramble of [false, true]) {
      const engine = new SobolEngine(3, { scramble, seed: 5 });
      engine.fastForward(QMC_MAX_POINTS - 2);
      const p = engine.next();
      const q = engine.next();
      expectClose(engine.pointAt(QMC_MAX_POINTS - 1), q, EXACT);
      expectClose(engine.pointAt(QMC_MAX_POINTS - 2), p, EXACT);
      expect([...p, ...q].every((x) => x >= 0 && x < 1)).toBe(true);
      expect(() => engine.next()).toThrow(InvalidArgumentError);
      expect(engine.draw(0).length).toBe(0);
    }
    // Unscrambled, point 2^32 − 1 has Gray code 2^31: the last direction of dimension 0.
    expectClose(new SobolEngine(1, { scramble: false }).pointAt(QMC_MAX_POINTS - 1), [2 ** -32], EXACT);
  });
});

describe('SobolEngine, scrambled', () => {
  it('stays in [0, 1), is reproducible by seed and differs across seeds', () => {
    const points = new SobolEngine(20, { seed: 1 }).draw(1024);
    expect(points.every((x) => x >= 0 && x < 1)).toBe(true);
    expectClose(new SobolEngine(20, { seed: 1 }).draw(1024), points, EXACT);
    const other = new SobolEngine(20, { seed: 2 }).draw(1024);
    let same = 0;
    for (let i = 0; i < points.length; i++) if (points[i] === other[i]) same++;
    expect(same).toBe(0);
    const plain = new SobolEngine(20, { scramble: false }).draw(1024);
    expect(points.some((x, i) => x !== plain[i])).toBe(true);
    // The first point is not the origin once scrambled.
    expect(points.subarray(0, 20).every((x) => x === 0)).toBe(false);
  });

  it('defaults to scrambling with a seed from the OS', () => {
    const a = new SobolEngine(4);
    const b = new SobolEngine(4);
    expect(a.scrambled).toBe(true);
    expect(a.draw(4)).not.toEqual(b.draw(4));
  });

  it('stratifies every 1-D projection of the first 2^k points', () => {
    const dim = 12;
    for (const seed of [0, 1, 99]) {
      const points = new SobolEngine(dim, { seed }).draw(4096);
      for (let k = 0; k <= 12; k++) {
        const n = 2 ** k;
        for (let j = 0; j < dim; j++) expect(stratifiedIn1d(points, dim, n, j)).toBe(true);
      }
    }
    // Also the blocks after the first: points [2^k, 2^(k+1)) are stratified too.
    const points = new SobolEngine(dim, { seed: 3 }).draw(2048);
    const block = points.subarray(1024 * dim);
    for (let j = 0; j < dim; j++) expect(stratifiedIn1d(block, dim, 1024, j)).toBe(true);
  });

  it('stratifies high dimensions of the table too', () => {
    const dim = SOBOL_MAX_DIM;
    const points = new SobolEngine(dim, { seed: 8 }).draw(256);
    for (const j of [1110, 1111, 2048, dim - 1]) expect(stratifiedIn1d(points, dim, 256, j)).toBe(true);
  });

  it('keeps the (0, m, 2)-net property of dimensions 0 and 1', () => {
    const points = new SobolEngine(2, { seed: 21 }).draw(1024);
    for (let m = 0; m <= 10; m++) expect(isZeroMNet(points, 2, m, 0, 1)).toBe(true);
  });
});

describe('SobolEngine, net property', () => {
  it('the first 2^m unscrambled points of dimensions 0 and 1 form a (0, m, 2)-net', () => {
    const points = new SobolEngine(5, { scramble: false }).draw(4096);
    for (let m = 0; m <= 12; m++) expect(isZeroMNet(points, 5, m, 0, 1)).toBe(true);
    // Dimensions 1 and 2 are not a (0, m, 2)-net: the check can fail.
    expect(isZeroMNet(points, 5, 4, 1, 2)).toBe(false);
  });
});

describe('SobolEngine, bad input', () => {
  it('rejects bad dimensions, seeds, counts and output arrays', () => {
    for (const dim of [0, -1, 1.5, Number.NaN, SOBOL_MAX_DIM + 1]) {
      expect(() => new SobolEngine(dim)).toThrow(InvalidArgumentError);
    }
    expect(() => new SobolEngine(0)).toThrow(/got 0\..*at most 4096/);
    expect(() => new SobolEngine(2, { seed: Number.NaN })).toThrow(InvalidArgumentError);
    const engine = new SobolEngine(3, { seed: 1 });
    expect(() => engine.fastForward(-1)).toThrow(InvalidArgumentError);
    expect(() => engine.fastForward(2.5)).toThrow(/got 2\.5/);
    expect(() => engine.fastForward(QMC_MAX_POINTS + 1)).toThrow(InvalidArgumentError);
    expect(() => engine.draw(-2)).toThrow(InvalidArgumentError);
    expect(() => engine.pointAt(QMC_MAX_POINTS)).toThrow(InvalidArgumentError);
    expect(() => engine.pointAt(-1)).toThrow(InvalidArgumentError);
    expect(() => engine.next(new Float64Array(2))).toThrow(/length 2.*dimension is 3/);
    expect(() => engine.pointAt(0, new Float64Array(4))).toThrow(InvalidArgumentError);
    expect(engine.index).toBe(0);
  });
});
