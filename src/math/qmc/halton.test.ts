import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { pickColumns, qmcFixtures } from './__fixtures__/load.js';
import { HALTON_MAX_DIM, HaltonEngine, QMC_MAX_POINTS } from './index.js';

const EXACT = { rtol: 0, atol: 0 };
const PRIMES = [2, 3, 5, 7, 11, 13];

/** Whether coordinate j of the n points (flat n × dim) puts exactly one point per 1/n cell. */
function stratifiedIn1d(points: Float64Array, dim: number, n: number, j: number): boolean {
  const seen = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const cell = Math.floor(points[r * dim + j]! * n);
    if (seen[cell]) return false;
    seen[cell] = 1;
  }
  return true;
}

/** Pearson correlation of coordinates j1 and j2 over the n points (flat n × dim). */
function correlation(points: Float64Array, dim: number, n: number, j1: number, j2: number): number {
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let r = 0; r < n; r++) {
    const x = points[r * dim + j1]!;
    const y = points[r * dim + j2]!;
    sx += x;
    sy += y;
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  const cov = sxy / n - (sx / n) * (sy / n);
  return cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
}

describe('HaltonEngine, unscrambled, against SciPy', () => {
  for (const c of qmcFixtures('halton')) {
    it(`matches qmc.Halton(${c.dim}, scramble=False) at points ${c.start}..${c.start + c.n - 1}`, () => {
      const engine = new HaltonEngine(c.dim, { scramble: false });
      engine.fastForward(c.start);
      const points = engine.draw(c.n);
      expectClose(pickColumns(points, c.dim, c.columns), c.values, EXACT);
      const one = new Float64Array(c.dim);
      const last = c.n - 1;
      engine.pointAt(c.start + last, one);
      expectClose(pickColumns(one, c.dim, c.columns), c.values.slice(last * c.columns.length), EXACT);
    });
  }

  it('is the radical inverse in the prime bases', () => {
    const engine = new HaltonEngine(2, { scramble: false });
    expectClose(engine.draw(4), [0, 0, 0.5, 1 / 3, 0.25, 2 / 3, 0.75, 1 / 9], { rtol: 1e-15 });
  });
});

describe('HaltonEngine, stepping and random access', () => {
  for (const scramble of [false, true]) {
    it(`next, draw, pointAt and fastForward agree (scramble ${scramble})`, () => {
      const dim = 9;
      const a = new HaltonEngine(dim, { scramble, seed: 4 });
      const drawn = new HaltonEngine(dim, { scramble, seed: 4 }).draw(500);
      const out = new Float64Array(dim);
      const at = new Float64Array(dim);
      for (let r = 0; r < 500; r++) {
        expect(a.next(out)).toBe(out);
        expectClose(out, drawn.subarray(r * dim, (r + 1) * dim), EXACT);
        expectClose(a.pointAt(r, at), out, EXACT);
      }
      const c = new HaltonEngine(dim, { scramble, seed: 4 });
      c.fastForward(321);
      expectClose(c.next(), drawn.subarray(321 * dim, 322 * dim), EXACT);
      expect(c.index).toBe(322);
    });
  }

  it('reaches the last point 2^32 − 1 and then stops', () => {
    for (const scramble of [false, true]) {
      const engine = new HaltonEngine(30, { scramble, seed: 5 });
      engine.fastForward(QMC_MAX_POINTS - 1);
      const p = engine.next();
      expect(p.every((x) => x >= 0 && x < 1)).toBe(true);
      expect(() => engine.next()).toThrow(InvalidArgumentError);
      expect(() => engine.fastForward(1)).toThrow(InvalidArgumentError);
    }
  });
});

describe('HaltonEngine, scrambled', () => {
  it('stays in [0, 1), is reproducible by seed and differs across seeds', () => {
    const dim = 40;
    const points = new HaltonEngine(dim, { seed: 1 }).draw(2000);
    expect(points.every((x) => x >= 0 && x < 1)).toBe(true);
    expectClose(new HaltonEngine(dim, { seed: 1 }).draw(2000), points, EXACT);
    const other = new HaltonEngine(dim, { seed: 2 }).draw(2000);
    let same = 0;
    for (let i = 0; i < points.length; i++) if (points[i] === other[i]) same++;
    expect(same).toBe(0);
    expect(points.subarray(0, dim).every((x) => x === 0)).toBe(false);
    expect(new HaltonEngine(3).scrambled).toBe(true);
  });

  it('stratifies coordinate j of the first b_j^k points into cells of width b_j^-k', () => {
    const dim = PRIMES.length;
    for (const seed of [0, 7]) {
      const points = new HaltonEngine(dim, { seed }).draw(3 ** 7);
      for (let j = 0; j < dim; j++) {
        const b = PRIMES[j]!;
        for (let n = b; n <= points.length / dim; n *= b) {
          expect(stratifiedIn1d(points, dim, n, j)).toBe(true);
        }
      }
    }
  });

  it('has a mean near 1/2 and breaks the correlation of large bases', () => {
    const dim = 60;
    const n = 4096;
    const points = new HaltonEngine(dim, { seed: 3 }).draw(n);
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += points[r * dim + j]!;
      expectClose(s / n, 0.5, { atol: 0.02 });
    }
    // Unscrambled, bases 271 and 277 (dimensions 57 and 58) are collinear over the first 256 points.
    const plain = new HaltonEngine(dim, { scramble: false }).draw(256);
    expect(correlation(plain, dim, 256, 57, 58)).toBeGreaterThan(0.99);
    for (const seed of [3, 4, 5]) {
      const scrambled = new HaltonEngine(dim, { seed }).draw(256);
      expect(Math.abs(correlation(scrambled, dim, 256, 57, 58))).toBeLessThan(0.3);
    }
  });

  it('builds the largest dimension', () => {
    const engine = new HaltonEngine(HALTON_MAX_DIM, { seed: 9 });
    const p = engine.pointAt(123456789);
    expect(p.length).toBe(HALTON_MAX_DIM);
    expect(p.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('HaltonEngine, bad input', () => {
  it('rejects bad dimensions, seeds, counts and output arrays', () => {
    for (const dim of [0, -3, 2.5, Number.POSITIVE_INFINITY, HALTON_MAX_DIM + 1]) {
      expect(() => new HaltonEngine(dim)).toThrow(InvalidArgumentError);
    }
    expect(() => new HaltonEngine(1001)).toThrow(/got 1001\..*at most 1000/);
    expect(() => new HaltonEngine(2, { seed: Number.POSITIVE_INFINITY })).toThrow(InvalidArgumentError);
    const engine = new HaltonEngine(3, { seed: 1 });
    expect(() => engine.fastForward(-1)).toThrow(InvalidArgumentError);
    expect(() => engine.draw(0.5)).toThrow(/got 0\.5/);
    expect(() => engine.pointAt(QMC_MAX_POINTS)).toThrow(InvalidArgumentError);
    expect(() => engine.next(new Float64Array(4))).toThrow(/length 4.*dimension is 3/);
    expect(() => engine.pointAt(1, new Float64Array(1))).toThrow(InvalidArgumentError);
    expect(engine.index).toBe(0);
  });
});
