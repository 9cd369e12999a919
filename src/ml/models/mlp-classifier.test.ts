import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { loadIris, StandardScaler, trainTestSplit } from '../datasets.js';
import { type MlpActivation, MlpClassifier } from './mlp-classifier.js';

type Inner = { theta: Float64Array };
const thetaOf = (m: MlpClassifier) => (m as unknown as Inner).theta;

describe('MlpClassifier back-propagation', () => {
  const rng = new Rng(5);
  const x = Array.from({ length: 12 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const y: number[] = x.map((r) => (r[0]! + r[1]! > 0.3 ? 2 : r[2]! > 0 ? 1 : 0));

  for (const activation of ['tanh', 'relu'] as MlpActivation[]) {
    it(`${activation}: one full-batch SGD step moves θ by −η·(finite-difference gradient)`, () => {
      const opts = {
        hidden: [5, 4],
        activation,
        optimizer: 'sgd' as const,
        batchSize: 12,
        epochs: 1,
        l2: 0.05,
        seed: 9,
      };
      const lr = 1e-3;
      const start = thetaOf(new MlpClassifier({ ...opts, learningRate: 1e-300 }).fit(x, y)).slice();
      const after = thetaOf(new MlpClassifier({ ...opts, learningRate: lr }).fit(x, y));
      const probe = new MlpClassifier({ ...opts, learningRate: 1e-300 }).fit(x, y);
      const loss = (t: Float64Array) => {
        thetaOf(probe).set(t);
        const p = probe.predictProba(x);
        let s = -y.reduce((acc, yi, i) => acc + Math.log(p[i]![yi]!), 0) / y.length;
        // L2 on the weights only: the layout is W₁ (3×5), b₁ (5), W₂ (5×4), b₂ (4), W₃ (4×3), b₃ (3).
        const weights = [
          [0, 15],
          [20, 40],
          [44, 56],
        ];
        for (const [a, b] of weights) for (let q = a!; q < b!; q++) s += 0.5 * 0.05 * t[q]! ** 2;
        return s;
      };
      expect(start.length).toBe(59);
      const h = 1e-6;
      for (let q = 0; q < start.length; q++) {
        const plus = start.slice();
        plus[q]! += h;
        const minus = start.slice();
        minus[q]! -= h;
        const numeric = (loss(plus) - loss(minus)) / (2 * h);
        expectClose((start[q]! - after[q]!) / lr, numeric, { atol: 1e-6, rtol: 1e-5 });
      }
    });
  }
});

describe('MlpClassifier', () => {
  const iris = loadIris();
  const { train, test } = trainTestSplit(iris.features, iris.target, {
    testSize: 0.3,
    seed: 2,
    stratify: true,
  });
  const scaler = new StandardScaler().fit(train.x);
  const trX = scaler.transform(train.x);
  const teX = scaler.transform(test.x);

  for (const optimizer of ['adam', 'rmsprop', 'sgd', 'adagrad'] as const) {
    it(`${optimizer} learns iris to ≥ 0.9 held-out accuracy and its loss falls`, () => {
      const m = new MlpClassifier({
        hidden: [16],
        activation: 'tanh',
        optimizer,
        learningRate: optimizer === 'sgd' || optimizer === 'adagrad' ? 0.1 : 0.01,
        batchSize: 10,
        epochs: 50,
        seed: 1,
      }).fit(trX, train.y);
      expect(m.score(teX, test.y)).toBeGreaterThanOrEqual(0.9);
      expect(m.lossCurve).toHaveLength(50);
      expect(m.lossCurve.at(-1)!).toBeLessThan(m.lossCurve[0]! / 3);
    });
  }

  it('is seeded: the same seed gives the same probabilities, another seed others', () => {
    const probs = (seed: number) =>
      new MlpClassifier({ epochs: 5, seed }).fit(trX, train.y).predictProba(teX);
    expect(probs(1)).toEqual(probs(1));
    expect(probs(1)).not.toEqual(probs(2));
  });

  it('keeps string labels and probabilities summing to 1', () => {
    const names = train.y.map((t) => iris.targetNames[t]!);
    const m = new MlpClassifier({ epochs: 20, learningRate: 0.01 }).fit(trX, names);
    expect(m.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(new Set(m.predict(teX)).size).toBe(3);
    for (const p of m.predictProba(teX))
      expectClose(
        p.reduce((a, b) => a + b, 0),
        1,
        { rtol: 1e-12 },
      );
  });

  it('rejects bad options and inputs', () => {
    expect(() => new MlpClassifier({ epochs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new MlpClassifier({ hidden: [0] })).toThrow(/hidden units/);
    expect(() => new MlpClassifier({ activation: 'elu' as 'relu' })).toThrow(/unknown activation/);
    expect(() => new MlpClassifier({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new MlpClassifier().fit([[1], [2]], [0, 0])).toThrow(/two classes/);
    expect(() => new MlpClassifier().predict([[1]])).toThrow(/fit\(\) first/);
  });
});
