import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { loadBreastCancer, loadIris, StandardScaler } from '../datasets.js';
import fixture from './__fixtures__/k-nearest-neighbors.json' with { type: 'json' };
import { KNeighborsClassifier } from './k-nearest-neighbors.js';

interface Case {
  data: 'iris' | 'breastCancer';
  k: number;
  weights: 'uniform' | 'distance';
  p: 1 | 2;
  predictions: number[];
  proba: number[][];
}

/** The split of scripts/gen-model-fixtures.py: test rows are those with index % 4 == 0. */
function split(name: 'iris' | 'breastCancer') {
  const d = name === 'iris' ? loadIris() : loadBreastCancer();
  const isTest = (i: number) => i % 4 === 0;
  const trX = d.features.filter((_, i) => !isTest(i));
  const scaler = new StandardScaler().fit(trX);
  return {
    trainX: scaler.transform(trX),
    trainY: d.target.filter((_, i) => !isTest(i)),
    testX: scaler.transform(d.features.filter((_, i) => isTest(i))),
  };
}

describe('KNeighborsClassifier against scikit-learn', () => {
  for (const c of fixture.cases as Case[]) {
    it(`${c.data}: k = ${c.k}, ${c.weights}, p = ${c.p}`, () => {
      const s = split(c.data);
      const m = new KNeighborsClassifier({ k: c.k, weights: c.weights, p: c.p }).fit(s.trainX, s.trainY);
      const pred = m.predict(s.testX);
      const proba = m.predictProba(s.testX);
      if (c.data === 'breastCancer') {
        // Continuous features: no ties, the very same predictions and probabilities.
        expect(pred).toEqual(c.predictions);
        expectClose(proba.flat(), c.proba.flat(), { atol: 1e-9 });
      } else {
        // Iris has repeated rows (equal distances), where which neighbour is taken first may
        // differ: at most one prediction of 38 may differ.
        const differ = pred.filter((v, i) => v !== c.predictions[i]).length;
        expect(differ).toBeLessThanOrEqual(1);
      }
    });
  }
});

describe('KNeighborsClassifier', () => {
  const x = [[0], [1], [2], [10], [11], [12]];
  const y = ['a', 'a', 'a', 'b', 'b', 'b'];

  it('votes by the k nearest, uniformly or by inverse distance', () => {
    const m = new KNeighborsClassifier({ k: 3 }).fit(x, y);
    expect(m.predict([[1.5], [9]])).toEqual(['a', 'b']);
    expect(m.predictProba([[5.9]])[0]).toEqual([2 / 3, 1 / 3]);
    // Query 5.9 with k = 3: neighbours 2 (3.9), 10 (4.1), 1 (4.9).
    const w = new KNeighborsClassifier({ k: 3, weights: 'distance' }).fit(x, y);
    const pa = 1 / 3.9 + 1 / 4.9;
    const pb = 1 / 4.1;
    expectClose(w.predictProba([[5.9]])[0]!, [pa / (pa + pb), pb / (pa + pb)], { rtol: 1e-12 });
  });

  it('a training point at distance 0 takes the whole distance-weighted vote', () => {
    const w = new KNeighborsClassifier({ k: 5, weights: 'distance' }).fit(x, y);
    expect(w.predictProba([[10]])[0]).toEqual([0, 1]);
  });

  it('p = 1 is the Manhattan distance, p = 2 the Euclidean', () => {
    // From the origin: (2.6, 0) is at 2.6 (both); (1.4, 1.4) at 2.8 (L1) but 1.98 (L2).
    const pts = [
      [2.6, 0],
      [1.4, 1.4],
    ];
    expect(new KNeighborsClassifier({ k: 1, p: 1 }).fit(pts, [0, 1]).predict([[0, 0]])).toEqual([0]);
    expect(new KNeighborsClassifier({ k: 1, p: 2 }).fit(pts, [0, 1]).predict([[0, 0]])).toEqual([1]);
  });

  it('rejects bad options and inputs', () => {
    expect(() => new KNeighborsClassifier({ k: 0 })).toThrow(InvalidArgumentError);
    expect(() => new KNeighborsClassifier({ p: 3 as 2 })).toThrow(/p must be 1 or 2/);
    expect(() => new KNeighborsClassifier({ weights: 'x' as 'uniform' })).toThrow(/weights/);
    expect(() => new KNeighborsClassifier({ k: 7 }).fit(x, y)).toThrow(/at least 7 training rows/);
    expect(() => new KNeighborsClassifier().predict([[1]])).toThrow(/fit\(\) first/);
    expect(() => new KNeighborsClassifier({ k: 1 }).fit(x, y).predict([[1, 2]])).toThrow(/expected 1/);
  });
});
