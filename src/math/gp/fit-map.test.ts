import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { fitKernelParams } from './fit.js';
import { fitKernelParamsMap, twoSidedLengthScalePrior } from './fit-map.js';
import { defaultKernelParams } from './kernel-params.js';
import { DEFAULT_KERNEL_PRIOR, kernelLogPrior } from './log-prior.js';
import { logMarginalLikelihood } from './marginal-likelihood.js';

function data(n: number, d: number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.random());
  const raw = Array.from({ length: n }, (_, i) => Math.sin(6 * X[i * d]!) + 0.1 * X[i * d + 1]!);
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { X, y: Float64Array.from(raw, (v) => (v - mean) / std) };
}

describe('twoSidedLengthScalePrior', () => {
  it('has the gradient of its value with respect to the log parameters', () => {
    const prior = twoSidedLengthScalePrior();
    const p = {
      inverseSquaredLengthScales: Float64Array.of(0.3, 4),
      signalVariance: 1.7,
      noiseVariance: 0.02,
    };
    const g = new Float64Array(4);
    prior(p, g);
    const theta = [Math.log(0.3), Math.log(4), Math.log(1.7), Math.log(0.02)];
    const at = (t: number[]) =>
      prior(
        {
          inverseSquaredLengthScales: Float64Array.of(Math.exp(t[0]!), Math.exp(t[1]!)),
          signalVariance: Math.exp(t[2]!),
          noiseVariance: Math.exp(t[3]!),
        },
        new Float64Array(4),
      );
    for (let j = 0; j < 4; j++) {
      const h = 1e-6;
      const up = theta.slice();
      const down = theta.slice();
      up[j]! += h;
      down[j]! -= h;
      expect(g[j]!).toBeCloseTo((at(up) - at(down)) / (2 * h), 5);
    }
  });

  it('peaks at λ = 1 and falls towards both ends', () => {
    const prior = twoSidedLengthScalePrior();
    const at = (l: number) =>
      prior(
        { inverseSquaredLengthScales: Float64Array.of(l), signalVariance: 1, noiseVariance: 0.1 },
        new Float64Array(3),
      );
    expect(at(1)).toBeGreaterThan(at(0.1));
    expect(at(1)).toBeGreaterThan(at(10));
  });
});

describe('fitKernelParamsMap', () => {
  it('agrees with fitKernelParams under the same (gamma) prior', () => {
    const { X, y } = data(30, 2, 1);
    const a = fitKernelParams(X, y, 30, 2, undefined, { pgtol: 1e-6 });
    const b = fitKernelParamsMap(X, y, 30, 2, undefined, {
      logPrior: (p, g) => kernelLogPrior(p, DEFAULT_KERNEL_PRIOR, g),
      pgtol: 1e-6,
    });
    for (let j = 0; j < 2; j++) {
      expect(Math.log(b.params.inverseSquaredLengthScales[j]!)).toBeCloseTo(
        Math.log(a.params.inverseSquaredLengthScales[j]!),
        2,
      );
    }
    expect(b.logPosterior).toBeCloseTo(a.logMarginalLikelihood + a.logPrior, 4);
  });

  it('improves on the starting point, warm-starts, and fixes the noise when deterministic', () => {
    const { X, y } = data(25, 3, 2);
    const prior = twoSidedLengthScalePrior();
    const start = defaultKernelParams(3);
    const startValue = logMarginalLikelihood(X, y, 25, 3, start) + prior(start, new Float64Array(5));
    const cold = fitKernelParamsMap(X, y, 25, 3);
    expect(cold.logPosterior).toBeGreaterThan(startValue);
    const warm = fitKernelParamsMap(X, y, 25, 3, cold.params);
    expect(warm.usedInit).toBe(true);
    expect(warm.evaluations).toBeLessThan(cold.evaluations);
    expect(warm.logPosterior).toBeGreaterThanOrEqual(cold.logPosterior - 1e-6);
    const det = fitKernelParamsMap(X, y, 25, 3, undefined, { deterministic: true, minimumNoise: 1e-6 });
    expect(det.params.noiseVariance).toBeCloseTo(1e-6, 12);
  });

  it('copes with duplicated inputs and a constant target', () => {
    const X = new Float64Array(20).fill(0.5);
    const y = new Float64Array(10);
    const fit = fitKernelParamsMap(X, y, 10, 2);
    expect(Number.isFinite(fit.logPosterior)).toBe(true);
  });
});
