import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { searchCV } from '../search-cv.js';
import { LinearRegressionGD } from './linear-regression-gd.js';

describe('LinearRegressionGD, by hand', () => {
  it('batch GD, one epoch on y = 2x with x = 1, 2: θ = (1, 0.6), MSE 10 → 1.06', () => {
    // residuals −2, −4; ∂w = (2/2)(−2·1 − 4·2) = −10, ∂b = (2/2)(−6) = −6; η = 0.1.
    const m = new LinearRegressionGD({ optimizer: 'gd', learningRate: 0.1, epochs: 1 }).fit(
      [[1], [2]],
      [2, 4],
    );
    expectClose(m.coef, [1], { rtol: 1e-14 });
    expectClose(m.intercept, 0.6, { rtol: 1e-14 });
    expectClose(m.lossCurve, [10, 1.06], { rtol: 1e-12 });
  });

  it('SGD on one row (x = 1, y = 2): θ = 0.4 then 0.64 each; with momentum 0.5, 0.4 then 0.84', () => {
    const plain = new LinearRegressionGD({
      optimizer: 'sgd',
      learningRate: 0.1,
      epochs: 2,
      batchSize: 1,
    }).fit([[1]], [2]);
    expectClose([plain.coef[0]!, plain.intercept], [0.64, 0.64], { rtol: 1e-14 });
    expectClose(plain.lossCurve, [4, 1.44, 0.5184], { rtol: 1e-12 });
    const heavy = new LinearRegressionGD({
      optimizer: 'sgd',
      learningRate: 0.1,
      momentum: 0.5,
      epochs: 2,
      batchSize: 1,
    }).fit([[1]], [2]);
    expectClose([heavy.coef[0]!, heavy.intercept], [0.84, 0.84], { rtol: 1e-14 });
    expectClose(heavy.lossCurve.at(-1)!, (2 - 1.68) ** 2, { rtol: 1e-12 });
  });

  it('without an intercept, b stays 0', () => {
    const m = new LinearRegressionGD({ learningRate: 0.1, epochs: 1, fitIntercept: false }).fit(
      [[1], [2]],
      [2, 4],
    );
    expect(m.intercept).toBe(0);
    expectClose(m.coef, [1], { rtol: 1e-14 });
  });
});

describe('LinearRegressionGD', () => {
  // y = 1.5·x₀ − 2·x₁ + 0.5 + noise, standard normal features.
  const rng = new Rng(3);
  const x = Array.from({ length: 200 }, () => [rng.normal(), rng.normal()]);
  const y = x.map(([a, b]) => 1.5 * a! - 2 * b! + 0.5 + 0.1 * rng.normal());

  for (const [optimizer, learningRate] of [
    ['gd', 0.1],
    ['sgd', 0.01],
    ['adagrad', 0.5],
    ['rmsprop', 0.01],
    ['adam', 0.05],
  ] as const) {
    it(`${optimizer} recovers the coefficients and its loss curve falls`, () => {
      const m = new LinearRegressionGD({ optimizer, learningRate, epochs: 100, seed: 1 }).fit(x, y, {
        x: x.slice(0, 20),
        y: y.slice(0, 20),
      });
      expectClose(m.coef, [1.5, -2], { atol: 0.05 });
      expectClose(m.intercept, 0.5, { atol: 0.05 });
      expect(m.lossCurve).toHaveLength(101);
      expect(m.evalCurve).toHaveLength(101);
      expect(m.lossCurve.at(-1)!).toBeLessThan(0.02);
      expect(m.lossCurve.at(-1)!).toBeLessThan(m.lossCurve[0]! / 100);
      expect(m.score(x, y)).toBeGreaterThan(0.99);
    });
  }

  it('the same seed gives the same mini-batches, another seed others', () => {
    const curve = (seed: number) =>
      new LinearRegressionGD({ optimizer: 'sgd', learningRate: 0.01, epochs: 3, seed }).fit(x, y).lossCurve;
    expect(curve(7)).toEqual(curve(7));
    expect(curve(7)).not.toEqual(curve(8));
  });

  it('stops and says so when the learning rate makes it diverge', () => {
    const m = new LinearRegressionGD({ optimizer: 'gd', learningRate: 5, epochs: 1000 }).fit(x, y);
    expect(m.diverged).toBe(true);
    expect(m.lossCurve.length).toBeLessThan(1001);
  });

  it('plugs into searchCV with a regression scoring', async () => {
    const r = await searchCV({
      estimator: (p) => new LinearRegressionGD({ optimizer: 'gd', learningRate: p.lr as number, epochs: 50 }),
      x,
      y,
      grid: { lr: [1e-4, 0.1] },
      cv: 3,
      scoring: 'neg_mean_squared_error',
    });
    expect(r.bestParams).toEqual({ lr: 0.1 });
    expect(-r.bestScore).toBeLessThan(0.02);
    expect(r.bestEstimator!.coef[0]!).toBeCloseTo(1.5, 1);
  });

  it('rejects bad options and targets', () => {
    expect(() => new LinearRegressionGD({ epochs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new LinearRegressionGD({ optimizer: 'lbfgs' as 'gd' })).toThrow(/unknown optimizer/);
    expect(() => new LinearRegressionGD().fit([[1]], ['a'])).toThrow(/finite numbers/);
    expect(() => new LinearRegressionGD().predict([[1]])).toThrow(/fit\(\) first/);
  });
});
