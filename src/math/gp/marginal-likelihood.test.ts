import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { gpFixture, paramsOf } from './__fixtures__/gp-fixture.js';
import { kernelParamsFromLog, kernelParamsToLog } from './kernel-params.js';
import { createLikelihoodWorkspace, logMarginalLikelihood } from './marginal-likelihood.js';

describe('log marginal likelihood against scikit-learn', () => {
  for (const c of gpFixture.cases) {
    it(`value and gradient match GaussianProcessRegressor.log_marginal_likelihood: ${c.name}`, () => {
      const grad = new Float64Array(c.d + 2);
      const lml = logMarginalLikelihood(c.X, c.y, c.n, c.d, paramsOf(c), grad);
      // The duplicate-point case has condition ~1e6, so agreement is looser there.
      const dup = c.name.startsWith('duplicate');
      expectClose(lml, c.lml, { rtol: dup ? 1e-8 : 1e-11 });
      expectClose(grad, c.grad, { rtol: dup ? 1e-6 : 1e-9, atol: dup ? 1e-3 : 1e-10 });
    });
  }
});

describe('log marginal likelihood gradient', () => {
  for (const c of gpFixture.cases.filter((q) => !q.name.startsWith('duplicate'))) {
    it(`matches central finite differences in log-parameters: ${c.name}`, () => {
      const theta = kernelParamsToLog(paramsOf(c), new Float64Array(c.d + 2));
      const grad = new Float64Array(c.d + 2);
      const ws = createLikelihoodWorkspace(c.n, c.d);
      const params = paramsOf(c);
      logMarginalLikelihood(c.X, c.y, c.n, c.d, params, grad, ws);
      const h = 1e-5;
      for (let j = 0; j < c.d + 2; j++) {
        const t = Float64Array.from(theta);
        t[j] = theta[j]! + h;
        const up = logMarginalLikelihood(c.X, c.y, c.n, c.d, kernelParamsFromLog(t, params), undefined, ws);
        t[j] = theta[j]! - h;
        const down = logMarginalLikelihood(c.X, c.y, c.n, c.d, kernelParamsFromLog(t, params), undefined, ws);
        expectClose(grad[j]!, (up - down) / (2 * h), { rtol: 1e-5, atol: 1e-7 });
      }
    });
  }

  it('reports the jitter needed by duplicate points without noise; non-finite inputs throw', () => {
    const c = gpFixture.cases.find((q) => q.name.startsWith('duplicate'))!;
    const ws = createLikelihoodWorkspace(c.n, c.d);
    const params = { ...paramsOf(c), noiseVariance: 0 };
    const lml = logMarginalLikelihood(c.X, c.y, c.n, c.d, params, new Float64Array(c.d + 2), ws);
    expect(ws.jitter).toBeGreaterThan(0);
    expect(Number.isFinite(lml)).toBe(true);
    const bad = { inverseSquaredLengthScales: Float64Array.from([1]), signalVariance: 1, noiseVariance: 0 };
    expect(() =>
      logMarginalLikelihood([0.5, 0.5], [1, 2], 2, 1, { ...bad, noiseVariance: Number.NaN }),
    ).toThrow(InvalidArgumentError);
    expect(() => logMarginalLikelihood([0.5, Number.NaN], [1, 2], 2, 1, bad)).toThrow(NumericalError);
  });

  it('validates its arguments', () => {
    const c = gpFixture.cases[0]!;
    expect(() => logMarginalLikelihood(c.X, c.y, c.n, c.d, paramsOf(c), new Float64Array(1))).toThrow(
      InvalidArgumentError,
    );
    expect(() => logMarginalLikelihood(c.X, c.y, c.n, c.d, { ...paramsOf(c), signalVariance: -1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      logMarginalLikelihood(
        c.X,
        c.y,
        c.n,
        c.d,
        paramsOf(c),
        undefined,
        createLikelihoodWorkspace(c.n + 1, c.d),
      ),
    ).toThrow(InvalidArgumentError);
  });
});
