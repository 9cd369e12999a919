import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { gpFixture } from './__fixtures__/gp-fixture.js';
import { fitKernelParams } from './fit.js';
import { defaultKernelParams, type KernelParams } from './kernel-params.js';
import { DEFAULT_KERNEL_PRIOR, kernelLogPrior } from './log-prior.js';
import { logMarginalLikelihood } from './marginal-likelihood.js';

const byName = (prefix: string) => gpFixture.cases.find((c) => c.name.startsWith(prefix))!;

function logPosterior(
  c: { X: number[]; y: number[]; n: number; d: number },
  p: KernelParams,
  grad?: Float64Array,
) {
  const g = new Float64Array(c.d + 2);
  const lml = logMarginalLikelihood(c.X, c.y, c.n, c.d, p, grad === undefined ? undefined : g);
  const lp = kernelLogPrior(p, DEFAULT_KERNEL_PRIOR, grad === undefined ? undefined : grad);
  if (grad !== undefined) for (let j = 0; j < grad.length; j++) grad[j] = grad[j]! + g[j]!;
  return lml + lp;
}

describe('fitKernelParams', () => {
  for (const f of gpFixture.fits) {
    it(`without a prior, reaches scikit-learn's maximum likelihood from the same start: ${f.name}`, () => {
      const c = byName(f.name);
      const res = fitKernelParams(c.X, c.y, c.n, c.d, undefined, { prior: null, pgtol: 1e-7 });
      expect(res.logPrior).toBe(0);
      expectClose(res.logMarginalLikelihood, f.lml, { rtol: 0, atol: 1e-7 });
      expectClose(res.params.inverseSquaredLengthScales, f.ils, { rtol: 1e-3 });
      expectClose(res.params.signalVariance, f.signal, { rtol: 1e-3 });
      expectClose(res.params.noiseVariance, f.noise, { rtol: 1e-3, atol: 1e-9 });
    });
  }

  for (const c of gpFixture.cases) {
    it(`with the default prior, ends at a stationary point of the log posterior: ${c.name}`, () => {
      const res = fitKernelParams(c.X, c.y, c.n, c.d, undefined, { pgtol: 1e-7, ftol: 1e-15 });
      // Constant y drives ℓ to its upper bound and the noise to its minimum: C then has a condition
      // number near 1e7, and the line search stalls at rounding level before pgtol = 1e−7.
      const illConditioned = c.name === 'constant y';
      if (!illConditioned) expect(res.converged).toBe(true);
      const grad = new Float64Array(c.d + 2);
      const value = logPosterior(c, res.params, grad);
      expectClose(value, res.logMarginalLikelihood + res.logPrior, { rtol: 1e-12 });
      expect(value).toBeGreaterThanOrEqual(logPosterior(c, defaultKernelParams(c.d)));
      const ils = res.params.inverseSquaredLengthScales;
      const interior = [
        ...Array.from(ils, (v) => v > 1.0001e-4 && v < 0.9999e4),
        res.params.signalVariance > 1.0001e-4 && res.params.signalVariance < 0.9999e4,
        res.params.noiseVariance > 1.0001e-6 && res.params.noiseVariance < 0.9999e2,
      ];
      const tol = illConditioned ? 1e-4 : 1e-5;
      for (let j = 0; j < c.d + 2; j++) if (interior[j]) expect(Math.abs(grad[j]!)).toBeLessThan(tol);
      for (const v of [...ils, res.params.signalVariance, res.params.noiseVariance])
        expect(Number.isFinite(v)).toBe(true);
    });
  }

  it('warm-starts from a previous fit without moving', () => {
    const c = byName('25 points');
    const first = fitKernelParams(c.X, c.y, c.n, c.d);
    const second = fitKernelParams(c.X, c.y, c.n, c.d, first.params);
    expect(second.usedInit).toBe(true);
    expect(second.iterations).toBeLessThanOrEqual(2);
    expect(second.evaluations).toBeLessThan(first.evaluations);
    expectClose(second.params.inverseSquaredLengthScales, first.params.inverseSquaredLengthScales, {
      rtol: 1e-3,
    });
  });

  it('warm-starts after new data arrive, faster than a cold start', () => {
    const c = byName('25 points');
    const n0 = 20;
    const early = fitKernelParams(c.X.slice(0, n0 * c.d), c.y.slice(0, n0), n0, c.d);
    const cold = fitKernelParams(c.X, c.y, c.n, c.d);
    const warm = fitKernelParams(c.X, c.y, c.n, c.d, early.params);
    expectClose(warm.logMarginalLikelihood + warm.logPrior, cold.logMarginalLikelihood + cold.logPrior, {
      rtol: 0,
      atol: 1e-4,
    });
    expect(warm.evaluations).toBeLessThanOrEqual(cold.evaluations);
  });

  it('respects the minimum noise, and fixes it when deterministic', () => {
    const c = byName('constant y');
    const res = fitKernelParams(c.X, c.y, c.n, c.d, undefined, { minimumNoise: 1e-4 });
    expect(res.params.noiseVariance).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-12));
    const det = fitKernelParams(byName('8 points').X, byName('8 points').y, 8, 2, undefined, {
      deterministic: true,
    });
    expectClose(det.params.noiseVariance, 1e-6, { rtol: 1e-12 });
  });

  it('copes with duplicate points without noise (jitter) and with no data at all', () => {
    const c = byName('duplicate');
    const y = c.y.slice();
    y[4] = y[1]!;
    y[5] = y[1]!;
    const res = fitKernelParams(c.X, y, c.n, c.d, undefined, { deterministic: true, minimumNoise: 1e-12 });
    expect(Number.isFinite(res.logMarginalLikelihood)).toBe(true);
    const empty = fitKernelParams([], [], 0, 2);
    expect(Math.abs(empty.logMarginalLikelihood)).toBe(0);
    expect(Number.isFinite(empty.logPrior)).toBe(true);
  });

  it('clips an out-of-bounds initial point into the bounds', () => {
    const c = byName('8 points');
    const init = {
      inverseSquaredLengthScales: Float64Array.from([1e9, 1e-9]),
      signalVariance: 1e9,
      noiseVariance: 1e-12,
    };
    const res = fitKernelParams(c.X, c.y, c.n, c.d, init);
    expect(Number.isFinite(res.logMarginalLikelihood)).toBe(true);
    expect(res.params.signalVariance).toBeLessThanOrEqual(1e4 * (1 + 1e-12));
  });

  it('validates its arguments', () => {
    const c = byName('8 points');
    const y = c.y.slice();
    y[2] = Number.NaN;
    expect(() => fitKernelParams(c.X, y, c.n, c.d)).toThrow(InvalidArgumentError);
    expect(() => fitKernelParams(c.X, c.y, c.n, c.d, defaultKernelParams(3))).toThrow(InvalidArgumentError);
    expect(() => fitKernelParams(c.X, c.y, c.n, c.d, undefined, { signalVarianceBounds: [2, 1] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => fitKernelParams(c.X, c.y, c.n, c.d, undefined, { minimumNoise: 0 })).toThrow(
      InvalidArgumentError,
    );
  });
});
