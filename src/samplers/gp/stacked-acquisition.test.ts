import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { logExpectedImprovement } from '../../math/gp/log-expected-improvement.js';
import { gpPosteriorState } from '../../math/gp/posterior.js';
import { gpPosteriorBatch } from '../../math/gp/posterior-batch.js';
import { expectClose } from '../../testing/expect-close.js';
import { type StackedGp, StackedLogEIAcquisition, stackedPosteriorBatch } from './stacked-acquisition.js';

const D = 3;

function randomState(n: number, seed: number, signal: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * D }, () => rng.random());
  const y = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(4 * X[i * D]!) + X[i * D + 1]! ** 2 - X[i * D + 2]!,
  );
  return gpPosteriorState(X, y, n, D, {
    inverseSquaredLengthScales: Float64Array.from([3, 1.5, 0.7]),
    signalVariance: signal,
    noiseVariance: 1e-4,
  });
}

const source = randomState(12, 1, 1.2);
const residual = randomState(5, 2, 0.3);
const withResidual: StackedGp = { source, a: 1.4, b: -0.3, residual, residualPriorVariance: 0.3 };
const priorOnly: StackedGp = { source, a: 0.8, b: 0.2, residual: null, residualPriorVariance: 0.25 };

describe('stacked GP', () => {
  it('predicts a·μ_s + b + μ_r with variance v_r + a²·v_s', () => {
    const X = Float64Array.from([0.1, 0.5, 0.9, 0.7, 0.2, 0.4]);
    const ms = new Float64Array(2);
    const vs = new Float64Array(2);
    const mr = new Float64Array(2);
    const vr = new Float64Array(2);
    gpPosteriorBatch(source, X, 2, ms, vs);
    gpPosteriorBatch(residual, X, 2, mr, vr);
    const mean = new Float64Array(2);
    const variance = new Float64Array(2);
    stackedPosteriorBatch(withResidual, X, 2, mean, variance);
    for (let i = 0; i < 2; i++) {
      expectClose(mean[i]!, 1.4 * ms[i]! - 0.3 + mr[i]!, { rtol: 1e-12, atol: 1e-12 });
      expectClose(variance[i]!, vr[i]! + 1.96 * vs[i]!, { rtol: 1e-12, atol: 1e-12 });
    }
    stackedPosteriorBatch(priorOnly, X, 2, mean, variance);
    for (let i = 0; i < 2; i++) {
      expectClose(mean[i]!, 0.8 * ms[i]! + 0.2, { rtol: 1e-12, atol: 1e-12 });
      expectClose(variance[i]!, 0.25 + 0.64 * vs[i]!, { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it.each([
    ['with a residual GP', withResidual],
    ['with the residual prior only', priorOnly],
  ])('log EI %s: batch and point values agree and the gradient matches finite differences', (_n, model) => {
    const threshold = 0.9;
    const acq = new StackedLogEIAcquisition(model, threshold);
    const rng = new Rng(5);
    for (let k = 0; k < 5; k++) {
      const x = Float64Array.from({ length: D }, () => 0.1 + 0.8 * rng.random());
      const grad = new Float64Array(D);
      const value = acq.evaluateWithGradient(x, grad);
      const batch = new Float64Array(1);
      acq.evaluate(x, 1, batch);
      expectClose(value, batch[0]!, { rtol: 1e-10, atol: 1e-12 });
      // Against log EI of the stacked mean and variance directly.
      const m = new Float64Array(1);
      const v = new Float64Array(1);
      stackedPosteriorBatch(model, x, 1, m, v);
      const direct = new Float64Array(1);
      logExpectedImprovement(m, v, threshold, direct);
      expectClose(value, direct[0]!, { rtol: 1e-10, atol: 1e-12 });
      const h = 1e-6;
      for (let j = 0; j < D; j++) {
        const xp = Float64Array.from(x);
        const xm = Float64Array.from(x);
        xp[j] = xp[j]! + h;
        xm[j] = xm[j]! - h;
        const fp = new Float64Array(1);
        const fm = new Float64Array(1);
        acq.evaluate(xp, 1, fp);
        acq.evaluate(xm, 1, fm);
        expectClose(grad[j]!, (fp[0]! - fm[0]!) / (2 * h), { rtol: 1e-4, atol: 1e-6 });
      }
    }
    expect(acq.dim).toBe(D);
  });
});
