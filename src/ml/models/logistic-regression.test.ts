import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { loadBreastCancer, loadIris, StandardScaler } from '../datasets.js';
import fixture from './__fixtures__/logistic-regression.json' with { type: 'json' };
import { LogisticRegression } from './logistic-regression.js';

interface Case {
  data: 'iris' | 'breastCancer';
  penalty: 'l1' | 'l2';
  C: number;
  coef: number[][];
  intercept: number[];
  accuracy: number;
  nonzero: number;
  proba: number[][];
  objective: number;
  nIter: number;
}

function standardised(name: 'iris' | 'breastCancer') {
  const d = name === 'iris' ? loadIris() : loadBreastCancer();
  return { x: new StandardScaler().fit(d.features).transform(d.features), y: d.target };
}

function objective(m: LogisticRegression, x: number[][], y: number[], c: Case): number {
  const p = m.predictProba(x);
  const loss = -y.reduce((s, yi, i) => s + Math.log(p[i]![yi]!), 0) / y.length;
  const w = m.coef.flat();
  const pen =
    c.penalty === 'l2' ? 0.5 * w.reduce((s, v) => s + v * v, 0) : w.reduce((s, v) => s + Math.abs(v), 0);
  return loss + pen / (y.length * c.C);
}

describe('LogisticRegression against scikit-learn', () => {
  const cases = fixture.cases as Case[];
  for (const c of cases.filter((k) => k.penalty === 'l2')) {
    it(`l2, C = ${c.C} on ${c.data}: the same coefficients, intercepts and probabilities as lbfgs`, () => {
      const { x, y } = standardised(c.data);
      const m = new LogisticRegression({ penalty: 'l2', C: c.C, tol: 1e-9 }).fit(x, y);
      expect(m.converged).toBe(true);
      // scikit-learn's lbfgs stops on a relative decrease of 64·eps, where the objective is flat:
      // tunekit goes further (tol 1e-9), so its objective is as low or lower and the coefficients
      // agree to about 1e-3.
      const f = objective(m, x, y, c);
      expect(f).toBeLessThanOrEqual(c.objective + 1e-12);
      expectClose(f, c.objective, { rtol: 1e-7 });
      expectClose(m.coef.flat(), c.coef.flat(), { rtol: 1e-3, atol: 1e-4 });
      expectClose(m.intercept, c.intercept, { rtol: 1e-3, atol: 1e-4 });
      expectClose(m.predictProba(x.slice(0, 5)).flat(), c.proba.flat(), { atol: 1e-5 });
      expect(m.score(x, y)).toBeCloseTo(c.accuracy, 10);
    });
  }
  for (const c of cases.filter((k) => k.penalty === 'l1')) {
    it(`l1, C = ${c.C} on ${c.data}: an objective as low as saga's, its sparsity and accuracy`, () => {
      const { x, y } = standardised(c.data);
      const m = new LogisticRegression({ penalty: 'l1', C: c.C, tol: 1e-7 }).fit(x, y);
      const f = objective(m, x, y, c);
      // saga stops short of the optimum at large C; FISTA must do at least as well.
      expect(f).toBeLessThanOrEqual(c.objective + 1e-6);
      expect(Math.abs(m.score(x, y) - c.accuracy)).toBeLessThanOrEqual(1 / y.length + 1e-12);
      const nonzero = m.coef.flat().filter((v) => Math.abs(v) > 1e-8).length;
      expect(Math.abs(nonzero - c.nonzero)).toBeLessThanOrEqual(1);
      // Where saga converged (it stops at max_iter for the weakest penalties).
      if (c.C <= 1 && c.nIter < 200000) expectClose(m.coef.flat(), c.coef.flat(), { atol: 2e-3 });
    });
  }

  it('the L1 path gets sparser as C shrinks, and C = 0.01 zeroes every weight on iris', () => {
    const { x, y } = standardised('iris');
    const nz = [0.01, 0.1, 1, 10].map(
      (C) =>
        new LogisticRegression({ penalty: 'l1', C })
          .fit(x, y)
          .coef.flat()
          .filter((v) => v !== 0).length,
    );
    expect(nz[0]).toBe(0);
    for (let i = 1; i < nz.length; i++) expect(nz[i]!).toBeGreaterThanOrEqual(nz[i - 1]!);
  });
});

describe('LogisticRegression', () => {
  it('keeps string labels, orders probabilities by the sorted labels and sums them to 1', () => {
    const x = [[-2], [-1], [-0.5], [0.5], [1], [2]];
    const y = ['no', 'no', 'yes', 'no', 'yes', 'yes'];
    const m = new LogisticRegression({ C: 10 }).fit(x, y);
    expect(m.classes).toEqual(['no', 'yes']);
    expect(m.coef).toHaveLength(1);
    expect(m.coef[0]![0]!).toBeGreaterThan(0);
    expect(m.predict([[-3], [3]])).toEqual(['no', 'yes']);
    const p = m.predictProba([[0.1]])[0]!;
    expectClose(p[0]! + p[1]!, 1, { rtol: 1e-12 });
  });

  it('without an intercept, the intercepts stay at zero', () => {
    const { x, y } = standardised('iris');
    const m = new LogisticRegression({ fitIntercept: false }).fit(x, y);
    expect(m.intercept).toEqual([0, 0, 0]);
    const l1 = new LogisticRegression({ penalty: 'l1', fitIntercept: false }).fit(x, y);
    expect(l1.intercept).toEqual([0, 0, 0]);
  });

  it('rejects bad options and inputs with a clear error', () => {
    expect(() => new LogisticRegression({ C: 0 })).toThrow(InvalidArgumentError);
    expect(() => new LogisticRegression({ penalty: 'l3' as 'l1' })).toThrow(/unknown penalty/);
    expect(() => new LogisticRegression().fit([[1], [2]], [0, 0])).toThrow(/single class/);
    expect(() => new LogisticRegression().fit([[1], [2, 3]], [0, 1])).toThrow(/row 1/);
    expect(() => new LogisticRegression().predict([[1]])).toThrow(/fit\(\) first/);
    const m = new LogisticRegression().fit(
      [
        [0, 1],
        [1, 0],
      ],
      [0, 1],
    );
    expect(() => m.predict([[1]])).toThrow(/expected 2/);
  });
});
