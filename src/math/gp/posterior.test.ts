import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { gpFixture, paramsOf } from './__fixtures__/gp-fixture.js';
import {
  createPosteriorWorkspace,
  gpPosterior,
  gpPosteriorState,
  gpPosteriorWithGradient,
} from './posterior.js';

describe('GP posterior against scikit-learn', () => {
  for (const c of gpFixture.cases) {
    it(`mean and latent variance match GaussianProcessRegressor.predict: ${c.name}`, () => {
      const state = gpPosteriorState(c.X, c.y, c.n, c.d, paramsOf(c));
      expect(state.jitter).toBe(0);
      const mean = new Float64Array(c.m);
      const variance = new Float64Array(c.m);
      gpPosterior(state, c.Xt, c.m, mean, variance, createPosteriorWorkspace(c.n));
      const dup = c.name.startsWith('duplicate');
      expectClose(mean, c.mean, { rtol: dup ? 1e-7 : 1e-10, atol: 1e-10 });
      // scikit-learn returns noise + latent variance; the latent part loses digits when it is small.
      expectClose(variance, c.variance, { rtol: 1e-8, atol: dup ? 1e-9 : 1e-12 });
    });
  }
});

describe('GP posterior', () => {
  it('interpolates a single noiseless point and reverts to the prior far away', () => {
    const params = {
      inverseSquaredLengthScales: Float64Array.from([50]),
      signalVariance: 2,
      noiseVariance: 1e-10,
    };
    const state = gpPosteriorState([0.3], [1.5], 1, 1, params);
    const mean = new Float64Array(2);
    const variance = new Float64Array(2);
    gpPosterior(state, [0.3, 1], 2, mean, variance);
    expectClose(mean[0]!, 1.5, { rtol: 1e-9 });
    expect(variance[0]!).toBeLessThan(1e-9);
    const r = Math.sqrt(50 * 0.49);
    const k = 2 * (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r);
    expectClose(mean[1]!, (k * 1.5) / (2 + 1e-10), { rtol: 1e-12 });
    expect(variance[1]!).toBeGreaterThan(1.99);
  });

  it('uses jitter for duplicate points without noise and still predicts finite values', () => {
    const c = gpFixture.cases.find((q) => q.name.startsWith('duplicate'))!;
    const y = c.y.slice();
    y[4] = y[1]!;
    y[5] = y[1]!; // consistent duplicates
    const state = gpPosteriorState(c.X, y, c.n, c.d, { ...paramsOf(c), noiseVariance: 0 });
    expect(state.jitter).toBeGreaterThan(0);
    const mean = new Float64Array(c.m);
    const variance = new Float64Array(c.m);
    gpPosterior(state, c.Xt, c.m, mean, variance);
    for (let i = 0; i < c.m; i++) {
      expect(Number.isFinite(mean[i]!)).toBe(true);
      expect(variance[i]!).toBeGreaterThanOrEqual(0);
    }
    expectClose(mean[0]!, y[1]!, { rtol: 1e-6, atol: 1e-6 }); // Xt[0] is the duplicated point
  });

  it('gives the same mean and variance from the gradient routine, and gradients matching finite differences', () => {
    const c = gpFixture.cases[4]!;
    const state = gpPosteriorState(c.X, c.y, c.n, c.d, paramsOf(c));
    const work = createPosteriorWorkspace(c.n);
    const mv = new Float64Array(2);
    const dMean = new Float64Array(c.d);
    const dVar = new Float64Array(c.d);
    const mean = new Float64Array(1);
    const variance = new Float64Array(1);
    for (let i = 0; i < c.m; i++) {
      const x = Float64Array.from(c.Xt.slice(i * c.d, (i + 1) * c.d));
      gpPosteriorWithGradient(state, x, mv, dMean, dVar, work);
      gpPosterior(state, x, 1, mean, variance, work);
      expectClose(mv[0]!, mean[0]!, { rtol: 1e-13, atol: 1e-15 });
      expectClose(mv[1]!, variance[0]!, { rtol: 1e-12, atol: 1e-15 });
      const h = 1e-6;
      for (let j = 0; j < c.d; j++) {
        const up = Float64Array.from(x);
        up[j] = x[j]! + h;
        const down = Float64Array.from(x);
        down[j] = x[j]! - h;
        const mu = new Float64Array(2);
        const vu = new Float64Array(2);
        gpPosterior(state, Float64Array.from([...up, ...down]), 2, mu, vu, work);
        expectClose(dMean[j]!, (mu[0]! - mu[1]!) / (2 * h), { rtol: 1e-6, atol: 1e-8 });
        expectClose(dVar[j]!, (vu[0]! - vu[1]!) / (2 * h), { rtol: 1e-5, atol: 1e-8 });
      }
    }
  });

  it('has zero input gradient along categorical dimensions', () => {
    const X = [0, 0.1, 1, 0.5, 2, 0.9];
    const params = {
      inverseSquaredLengthScales: Float64Array.from([1, 3]),
      signalVariance: 1,
      noiseVariance: 1e-4,
    };
    const state = gpPosteriorState(X, [0.1, -0.5, 0.7], 3, 2, params, { categorical: [true, false] });
    const mv = new Float64Array(2);
    const dMean = new Float64Array(2);
    const dVar = new Float64Array(2);
    gpPosteriorWithGradient(state, [1, 0.3], mv, dMean, dVar);
    expect(dMean[0]).toBe(0);
    expect(dVar[0]).toBe(0);
    expect(dMean[1]).not.toBe(0);
  });
});
