import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { gpFixture, paramsOf } from './__fixtures__/gp-fixture.js';
import type { KernelParams } from './kernel-params.js';
import {
  matern52,
  matern52CrossKernel,
  matern52Derivative,
  matern52Kernel,
  matern52KernelGradient,
  matern52KernelVjp,
} from './matern52.js';

/** Perturbs log-parameter j (d + 1 = log σ²) of `params` by h. */
function shifted(params: KernelParams, j: number, h: number): KernelParams {
  const d = params.inverseSquaredLengthScales.length;
  const ils = Float64Array.from(params.inverseSquaredLengthScales);
  let signal = params.signalVariance;
  if (j < d) ils[j] = ils[j]! * Math.exp(h);
  else signal *= Math.exp(h);
  return { inverseSquaredLengthScales: ils, signalVariance: signal, noiseVariance: params.noiseVariance };
}

describe('Matérn-5/2 kernel against scikit-learn', () => {
  for (const c of gpFixture.cases) {
    it(`kernel and cross-kernel match ConstantKernel·Matern(nu=2.5): ${c.name}`, () => {
      const params = paramsOf(c);
      expectClose(matern52Kernel(c.X, c.n, c.d, params, new Float64Array(c.n * c.n)), c.K, {
        rtol: 1e-13,
        atol: 1e-15,
      });
      const kt = matern52CrossKernel(c.Xt, c.m, c.X, c.n, c.d, params, new Float64Array(c.m * c.n));
      expectClose(kt, c.Kt, { rtol: 1e-13, atol: 1e-15 });
    });
  }
});

describe('Matérn-5/2 derivatives', () => {
  it('m′(r²) matches finite differences and is finite at r = 0', () => {
    expect(matern52(0)).toBe(1);
    expect(matern52Derivative(0)).toBe(-5 / 6);
    for (const r2 of [1e-6, 0.01, 0.3, 1, 4, 30]) {
      const h = Math.min(1e-2 * r2, 1e-5);
      expectClose(matern52Derivative(r2), (matern52(r2 + h) - matern52(r2 - h)) / (2 * h), { rtol: 1e-7 });
    }
  });

  for (const c of [gpFixture.cases[0]!, gpFixture.cases[4]!]) {
    it(`∂K/∂log θ matches central finite differences: ${c.name}`, () => {
      const params = paramsOf(c);
      const nn = c.n * c.n;
      const grad = matern52KernelGradient(c.X, c.n, c.d, params, new Float64Array((c.d + 1) * nn));
      const plus = new Float64Array(nn);
      const minus = new Float64Array(nn);
      const h = 1e-6;
      for (let j = 0; j <= c.d; j++) {
        matern52Kernel(c.X, c.n, c.d, shifted(params, j, h), plus);
        matern52Kernel(c.X, c.n, c.d, shifted(params, j, -h), minus);
        const fd = plus.map((p, i) => (p - minus[i]!) / (2 * h));
        expectClose(grad.subarray(j * nn, (j + 1) * nn), fd, { rtol: 1e-6, atol: 1e-9 });
      }
    });
  }

  it('the VJP equals the contraction of the full gradient with W', () => {
    const c = gpFixture.cases[4]!;
    const params = paramsOf(c);
    const nn = c.n * c.n;
    const rng = new Rng(3);
    const W = Float64Array.from({ length: nn }, () => rng.normal());
    const full = matern52KernelGradient(c.X, c.n, c.d, params, new Float64Array((c.d + 1) * nn));
    const vjp = matern52KernelVjp(c.X, c.n, c.d, params, W, new Float64Array(c.d + 1));
    for (let j = 0; j <= c.d; j++) {
      let s = 0;
      for (let i = 0; i < nn; i++) s += W[i]! * full[j * nn + i]!;
      expectClose(vjp[j]!, s, { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it('treats categorical dimensions by equality', () => {
    const X = [0, 0.2, 1, 0.2, 0, 0.9]; // 3 points, 2 dims; dim 0 categorical (codes 0, 1, 0)
    const params = {
      inverseSquaredLengthScales: Float64Array.from([2, 3]),
      signalVariance: 1.5,
      noiseVariance: 0,
    };
    const K = matern52Kernel(X, 3, 2, params, new Float64Array(9), [true, false]);
    expectClose(K[1]!, 1.5 * matern52(2 * 1 + 0), { rtol: 1e-15 });
    expectClose(K[2]!, 1.5 * matern52(3 * 0.7 * 0.7), { rtol: 1e-14 });
    expectClose(K[5]!, 1.5 * matern52(2 + 3 * 0.7 * 0.7), { rtol: 1e-14 });
  });
});
