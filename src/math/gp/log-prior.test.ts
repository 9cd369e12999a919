import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { kernelParamsFromLog, kernelParamsToLog } from './kernel-params.js';
import { DEFAULT_KERNEL_PRIOR, kernelLogPrior } from './log-prior.js';

const params = {
  inverseSquaredLengthScales: Float64Array.from([0.3, 4, 40]),
  signalVariance: 1.7,
  noiseVariance: 0.02,
};

describe('kernelLogPrior', () => {
  it('sums the unnormalized gamma log-densities', () => {
    const g = (a: number, b: number, x: number) => (a - 1) * Math.log(x) - b * x;
    const expected = g(1.1, 0.1, 0.3) + g(1.1, 0.1, 4) + g(1.1, 0.1, 40) + g(2, 1, 1.7) + g(1.1, 30, 0.02);
    expectClose(kernelLogPrior(params, DEFAULT_KERNEL_PRIOR), expected, { rtol: 1e-14 });
  });

  it('has the gradient of central finite differences in log-parameters', () => {
    const theta = kernelParamsToLog(params, new Float64Array(5));
    const grad = new Float64Array(5);
    kernelLogPrior(params, DEFAULT_KERNEL_PRIOR, grad);
    const scratch = { ...params, inverseSquaredLengthScales: new Float64Array(3) };
    for (let j = 0; j < 5; j++) {
      const t = Float64Array.from(theta);
      t[j] = theta[j]! + 1e-6;
      const up = kernelLogPrior(kernelParamsFromLog(t, scratch), DEFAULT_KERNEL_PRIOR);
      t[j] = theta[j]! - 1e-6;
      const down = kernelLogPrior(kernelParamsFromLog(t, scratch), DEFAULT_KERNEL_PRIOR);
      expectClose(grad[j]!, (up - down) / 2e-6, { rtol: 1e-7, atol: 1e-9 });
    }
  });

  it('leaves parameters with a null prior out', () => {
    const grad = new Float64Array(5).fill(7);
    const lp = kernelLogPrior(
      params,
      { inverseSquaredLengthScale: null, signalVariance: null, noiseVariance: null },
      grad,
    );
    expect(lp).toBe(0);
    expect(Array.from(grad)).toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects invalid priors', () => {
    expect(() =>
      kernelLogPrior(params, { ...DEFAULT_KERNEL_PRIOR, signalVariance: { shape: 0, rate: 1 } }),
    ).toThrow(InvalidArgumentError);
  });
});
