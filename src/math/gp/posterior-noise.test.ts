import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { gpPosteriorState } from './posterior.js';
import { gpPosteriorBatch } from './posterior-batch.js';
import { gpPosteriorStateWithNoise } from './posterior-noise.js';

describe('gpPosteriorStateWithNoise', () => {
  const rng = new Rng(2);
  const n = 12;
  const d = 2;
  const X = Float64Array.from({ length: n * d }, () => rng.random());
  const y = Float64Array.from({ length: n }, () => rng.normal());
  const params = {
    inverseSquaredLengthScales: Float64Array.of(3, 1),
    signalVariance: 0.8,
    noiseVariance: 0.05,
  };

  it('equals gpPosteriorState with a uniform noise', () => {
    const a = gpPosteriorState(X, y, n, d, params);
    const b = gpPosteriorStateWithNoise(X, y, new Float64Array(n).fill(0.05), n, d, params);
    expectClose(b.alpha, a.alpha, { rtol: 1e-12, atol: 1e-14 });
    expectClose(b.cholesky, a.cholesky, { rtol: 1e-12, atol: 1e-14 });
  });

  it('makes a nearly exact observation known: tiny variance and its value as the mean', () => {
    const noise = new Float64Array(n).fill(0.05);
    noise[4] = 1e-9;
    const state = gpPosteriorStateWithNoise(X, y, noise, n, d, params);
    const mean = new Float64Array(1);
    const variance = new Float64Array(1);
    gpPosteriorBatch(state, X.subarray(8, 10), 1, mean, variance);
    expect(variance[0]!).toBeLessThan(1e-8);
    expect(mean[0]!).toBeCloseTo(y[4]!, 6);
  });

  it('rejects negative noise', () => {
    const noise = new Float64Array(n).fill(0.05);
    noise[0] = -1;
    expect(() => gpPosteriorStateWithNoise(X, y, noise, n, d, params)).toThrow(/noise\[0\]/);
  });
});
