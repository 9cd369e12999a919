import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { loadIris, trainTestSplit } from '../datasets.js';
import { ScaledEstimator } from '../models/scaled-estimator.js';
import { TfjsMlpClassifier } from './tfjs-mlp-classifier.js';

const iris = loadIris();
const names = iris.target.map((t) => iris.targetNames[t]!);
const { train, test } = trainTestSplit(iris.features, iris.target, {
  testSize: 0.3,
  seed: 2,
  stratify: true,
});
const label = (ys: number[]) => ys.map((t) => iris.targetNames[t]!);

describe('TfjsMlpClassifier', () => {
  it('learns iris (string labels) to ≥ 0.9 held-out accuracy, seeded: the same seed, the same probabilities', async () => {
    const make = () =>
      new ScaledEstimator(
        new TfjsMlpClassifier({
          hidden: [16],
          activation: 'tanh',
          optimizer: 'adam',
          learningRate: 0.02,
          batchSize: 16,
          epochs: 60,
          seed: 3,
        }),
      );
    const a = await make().fit(train.x, label(train.y));
    expect(a.estimator.classes).toEqual([...new Set(names)].sort());
    const acc = await a.estimator.score(a.scaler.transform(test.x), label(test.y));
    expect(acc).toBeGreaterThanOrEqual(0.9);
    expect(a.estimator.lossCurve).toHaveLength(60);
    expect(a.estimator.lossCurve.at(-1)!).toBeLessThan(a.estimator.lossCurve[0]!);
    const b = await make().fit(train.x, label(train.y));
    expect(await b.predictProba(test.x.slice(0, 5))).toEqual(await a.predictProba(test.x.slice(0, 5)));
    const p = (await a.predictProba(test.x.slice(0, 1)))[0]!;
    expect(Array.from(p).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    a.estimator.dispose();
    b.estimator.dispose();
  });

  it('frees its tensors on dispose and on a new fit', async () => {
    const m = new TfjsMlpClassifier({ hidden: [4], epochs: 1, batchSize: 50 });
    await m.fit(train.x, train.y);
    const after = tf.memory().numTensors;
    await m.fit(train.x, train.y);
    expect(tf.memory().numTensors).toBe(after);
    m.dispose();
    expect(tf.memory().numTensors).toBeLessThan(after);
  });

  it('rejects bad options and inputs', async () => {
    expect(() => new TfjsMlpClassifier({ epochs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new TfjsMlpClassifier({ hidden: [8, 1.5] })).toThrow(/hidden units/);
    await expect(new TfjsMlpClassifier().fit([[1], [2]], [0, 0])).rejects.toThrow(/two classes/);
    await expect(new TfjsMlpClassifier().predict([[1]])).rejects.toThrow(/fit\(\) first/);
  });
});
