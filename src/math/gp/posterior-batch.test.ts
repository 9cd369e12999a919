import { describe, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { gpFixture, paramsOf } from './__fixtures__/gp-fixture.js';
import { createPosteriorWorkspace, gpPosterior, gpPosteriorState } from './posterior.js';
import { createBatchPosteriorWorkspace, gpPosteriorBatch } from './posterior-batch.js';

describe('gpPosteriorBatch', () => {
  for (const c of gpFixture.cases) {
    it(`equals gpPosterior point by point: ${c.name}`, () => {
      const state = gpPosteriorState(c.X, c.y, c.n, c.d, paramsOf(c));
      const mean = new Float64Array(c.m);
      const variance = new Float64Array(c.m);
      gpPosterior(state, c.Xt, c.m, mean, variance, createPosteriorWorkspace(c.n));
      const bm = new Float64Array(c.m);
      const bv = new Float64Array(c.m);
      gpPosteriorBatch(state, c.Xt, c.m, bm, bv, createBatchPosteriorWorkspace(c.n, 3));
      expectClose(bm, mean, { rtol: 1e-12, atol: 1e-13 });
      expectClose(bv, variance, { rtol: 1e-9, atol: 1e-12 });
      // Against the reference too.
      expectClose(bm, c.mean, { rtol: 1e-7, atol: 1e-10 });
    });
  }

  it('handles partial blocks and many points', () => {
    const rng = new Rng(1);
    const n = 40;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, () => rng.random());
    const y = Float64Array.from({ length: n }, () => rng.normal());
    const params = {
      inverseSquaredLengthScales: Float64Array.of(2, 5, 0.5),
      signalVariance: 1.3,
      noiseVariance: 1e-3,
    };
    const state = gpPosteriorState(X, y, n, d, params);
    const m = 301;
    const Xt = Float64Array.from({ length: m * d }, () => rng.random());
    const mean = new Float64Array(m);
    const variance = new Float64Array(m);
    gpPosterior(state, Xt, m, mean, variance);
    const bm = new Float64Array(m);
    const bv = new Float64Array(m);
    gpPosteriorBatch(state, Xt, m, bm, bv);
    expectClose(bm, mean, { rtol: 1e-11, atol: 1e-12 });
    expectClose(bv, variance, { rtol: 1e-9, atol: 1e-12 });
  });
});
