import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../../core/distributions.js';
import type { Acquisition } from './acquisition.js';
import { EncodedSpace } from './encoded-space.js';
import { optimizeAcquisition } from './optimize-acquisition.js';
import { warpOutputs } from './output-warping.js';

/** A concave quadratic −Σ wⱼ(xⱼ − cⱼ)² with its gradient. */
function quadratic(center: Float64Array, weights: Float64Array): Acquisition & { calls: number } {
  const D = center.length;
  const acq = {
    dim: D,
    calls: 0,
    evaluate(X: Float64Array, m: number, out: Float64Array) {
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < D; j++) s -= weights[j]! * (X[i * D + j]! - center[j]!) ** 2;
        out[i] = s;
      }
    },
    evaluateWithGradient(x: Float64Array, g: Float64Array) {
      acq.calls++;
      let s = 0;
      for (let j = 0; j < D; j++) {
        s -= weights[j]! * (x[j]! - center[j]!) ** 2;
        g[j] = -2 * weights[j]! * (x[j]! - center[j]!);
      }
      return s;
    },
  };
  return acq;
}

describe('EncodedSpace', () => {
  const space = {
    a: floatDistribution(-5, 5),
    b: floatDistribution(1e-4, 1, { log: true }),
    c: categoricalDistribution(['x', 'y', 'z']),
    k: intDistribution(0, 40),
    s: floatDistribution(0, 1, { step: 0.25 }),
    big: intDistribution(0, 1_000_000),
  };
  const enc = new EncodedSpace(space);

  it('classifies columns by the transform and the cardinality', () => {
    const kinds = Object.fromEntries(enc.slots.map((s) => [s.name, s.kind]));
    expect(kinds).toEqual({
      a: 'continuous',
      b: 'continuous',
      c: 'onehot',
      k: 'grid',
      s: 'grid',
      big: 'continuous',
    });
    expect(enc.dim).toBe(8);
    expect(enc.slots.find((s) => s.name === 'k')!.grid!.length).toBe(41);
  });

  it('samples points on the grids and on one-hot vertices', () => {
    const m = 256;
    const X = enc.sample(m, 7);
    const seen = new Set<number>();
    for (let i = 0; i < m; i++) {
      const x = X.subarray(i * enc.dim, (i + 1) * enc.dim);
      const c = enc.slots.find((s) => s.name === 'c')!;
      const block = Array.from(x.subarray(c.column, c.column + 3));
      expect(block.reduce((p, v) => p + v, 0)).toBe(1);
      const decoded = enc.decode(x);
      seen.add(decoded.c!);
      // Re-encoding the decoded point gives the point back: it was on every grid.
      const again = new Float64Array(enc.dim);
      enc.encode(decoded, again);
      for (let j = 0; j < enc.dim; j++) expect(again[j]).toBeCloseTo(x[j]!, 9);
    }
    expect(seen.size).toBe(3);
  });
});

describe('optimizeAcquisition', () => {
  it('finds the maximiser of a known function over continuous, grid and one-hot columns', () => {
    const enc = new EncodedSpace({
      a: floatDistribution(0, 1),
      b: floatDistribution(0, 1),
      c: categoricalDistribution(['x', 'y', 'z']),
      k: intDistribution(0, 40),
      s: floatDistribution(0, 1, { step: 0.25 }),
    });
    // Target: a = 0.123, b = 0.9, c = 'z', k = 29, s = 0.75 (encoded columns).
    const target = new Float64Array(enc.dim);
    enc.encode({ a: 0.123, b: 0.9, c: 2, k: 29, s: 0.75 }, target);
    const weights = new Float64Array(enc.dim).fill(1);
    weights[1] = 100; // ill-conditioned on purpose
    const acq = quadratic(target, weights);
    const res = optimizeAcquisition(acq, enc, { seed: 3, nCandidates: 256 });
    const got = enc.decode(res.x);
    expect(got.a).toBeCloseTo(0.123, 3);
    expect(got.b).toBeCloseTo(0.9, 3);
    expect(got).toMatchObject({ c: 2, k: 29, s: 0.75 });
    expect(res.value).toBeGreaterThan(-1e-5);
  });

  it('finds the best of several local maxima, and the result depends only on the seed', () => {
    const enc = new EncodedSpace({ a: floatDistribution(0, 1), b: floatDistribution(0, 1) });
    // Bumps at (0.2, 0.2) (height 1) and (0.8, 0.7) (height 2).
    const bump = (x: number, y: number, cx: number, cy: number, h: number) =>
      h * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.01);
    const f = (x: number, y: number) => bump(x, y, 0.2, 0.2, 1) + bump(x, y, 0.8, 0.7, 2);
    const acq: Acquisition = {
      dim: 2,
      evaluate(X, m, out) {
        for (let i = 0; i < m; i++) out[i] = f(X[2 * i]!, X[2 * i + 1]!);
      },
      evaluateWithGradient(x, g) {
        const h = 1e-7;
        g[0] = (f(x[0]! + h, x[1]!) - f(x[0]! - h, x[1]!)) / (2 * h);
        g[1] = (f(x[0]!, x[1]! + h) - f(x[0]!, x[1]! - h)) / (2 * h);
        return f(x[0]!, x[1]!);
      },
    };
    const res = optimizeAcquisition(acq, enc, {
      seed: 11,
      nCandidates: 128,
      warmStarts: [Float64Array.of(0.2, 0.2)],
    });
    expect(res.x[0]).toBeCloseTo(0.8, 3);
    expect(res.x[1]).toBeCloseTo(0.7, 3);
    const again = optimizeAcquisition(acq, enc, {
      seed: 11,
      nCandidates: 128,
      warmStarts: [Float64Array.of(0.2, 0.2)],
    });
    expect(Array.from(again.x)).toEqual(Array.from(res.x));
  });

  it('stays inside a box: the box maximum when the acquisition peaks outside, the peak when it lies inside', () => {
    const enc = new EncodedSpace({
      a: floatDistribution(0, 1),
      b: floatDistribution(0, 1),
      c: categoricalDistribution(['p', 'q', 'r']),
    });
    // Peak at a = 0.8, b = 0.5 and category 'r'; the box holds a ∈ [0.2, 0.4] and b ∈ [0.3, 0.7].
    const f = (x: ArrayLike<number>, o: number) =>
      -((x[o]! - 0.8) ** 2) - 2 * (x[o + 1]! - 0.5) ** 2 + (x[o + 4]! === 1 ? 1 : 0);
    const acq: Acquisition = {
      dim: 5,
      evaluate(X, m, out) {
        for (let i = 0; i < m; i++) out[i] = f(X, 5 * i);
      },
      evaluateWithGradient(x, g) {
        g.fill(0);
        g[0] = -2 * (x[0]! - 0.8);
        g[1] = -4 * (x[1]! - 0.5);
        return f(x, 0);
      },
    };
    const box = { lower: Float64Array.of(0.2, 0.3, 0, 0, 0), upper: Float64Array.of(0.4, 0.7, 1, 1, 1) };
    const res = optimizeAcquisition(acq, enc, {
      seed: 5,
      nCandidates: 64,
      warmStarts: [Float64Array.of(0.9, 0.9, 1, 0, 0)],
      box,
    });
    expect(res.x[0]).toBeCloseTo(0.4, 6);
    expect(res.x[1]).toBeCloseTo(0.5, 4);
    expect(Array.from(res.x.subarray(2))).toEqual([0, 0, 1]); // every vertex allowed
    // Only vertex 'p' allowed: the best point keeps it.
    const onlyP = optimizeAcquisition(acq, enc, {
      seed: 5,
      nCandidates: 64,
      warmStarts: [Float64Array.of(0.3, 0.5, 0, 0, 1)],
      box: { lower: Float64Array.of(0.2, 0.3, 1, 0, 0), upper: Float64Array.of(0.4, 0.7, 1, 0, 0) },
    });
    expect(Array.from(onlyP.x.subarray(2))).toEqual([1, 0, 0]);
    expect(onlyP.x[0]).toBeCloseTo(0.4, 6);
    const inside = optimizeAcquisition(acq, enc, {
      seed: 5,
      nCandidates: 64,
      box: { lower: Float64Array.of(0.7, 0, 0, 0, 0), upper: Float64Array.of(0.9, 1, 1, 1, 1) },
    });
    expect(inside.x[0]).toBeCloseTo(0.8, 4);
    const free = optimizeAcquisition(acq, enc, { seed: 5, nCandidates: 64 });
    expect(free.x[0]).toBeCloseTo(0.8, 4);
  });

  it('keeps grids on their values inside a box, small grids, large ones and snapped ones', () => {
    // The largest value inside [0.2, 0.5]: n = 5 of 0..10, n = 450 of 0..900. Above maxGrid values
    // (0..5000) the column moves continuously and is snapped last: an integer at the box's edge,
    // within half a step.
    for (const [high, peak, expected, within] of [
      [10, 9, 5, 0],
      [900, 800, 450, 0],
      [5000, 4000, 2500, 1],
    ] as const) {
      const enc = new EncodedSpace({ n: intDistribution(0, high) });
      const target = new Float64Array(1);
      enc.encode({ n: peak }, target);
      const res = optimizeAcquisition(quadratic(target, Float64Array.of(1)), enc, {
        seed: 3,
        nCandidates: 32,
        warmStarts: [target],
        box: { lower: Float64Array.of(0.2), upper: Float64Array.of(0.5) },
      });
      const n = enc.decode(res.x).n!;
      expect(Number.isInteger(n)).toBe(true);
      expect(Math.abs(n - expected)).toBeLessThanOrEqual(within);
    }
  });

  it('searches large grids by pattern steps', () => {
    const enc = new EncodedSpace({ n: intDistribution(1, 900) });
    const target = new Float64Array(1);
    enc.encode({ n: 677 }, target);
    const res = optimizeAcquisition(quadratic(target, Float64Array.of(1)), enc, {
      seed: 1,
      nCandidates: 4,
      nLocalSearch: 1,
    });
    expect(enc.decode(res.x).n).toBe(677);
  });
});

describe('warpOutputs', () => {
  it('keeps the order, standardises, and tames a heavy tail', () => {
    const y = Float64Array.from({ length: 200 }, (_, i) => Math.exp(i / 20));
    const copy = Float64Array.from(y);
    expect(warpOutputs(y, 'yeo-johnson')).toBe(true);
    for (let i = 1; i < y.length; i++) expect(y[i]!).toBeGreaterThan(y[i - 1]!);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
    expect(mean).toBeCloseTo(0, 10);
    expect(variance).toBeCloseTo(1, 10);
    // The largest value is much less extreme than after standardisation alone.
    expect(warpOutputs(copy, 'none')).toBe(true);
    expect(y[199]!).toBeLessThan(copy[199]! / 1.5);
  });

  it('reports constant values', () => {
    expect(warpOutputs(new Float64Array([2, 2, 2]), 'yeo-johnson')).toBe(false);
  });
});
