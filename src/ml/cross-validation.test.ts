import { describe, expect, it } from 'vitest';
import { isTrialPruned } from '../core/errors.js';
import { WilcoxonPruner } from '../pruners/index.js';
import { RandomSampler } from '../samplers/random/index.js';
import { createStudy } from '../study/create-study.js';
import { crossValidate, kFold, meanStd, stratifiedKFold } from './cross-validation.js';

function isPartition(folds: { train: number[]; test: number[] }[], n: number) {
  const seen = new Array<number>(n).fill(0);
  for (const f of folds) {
    for (const i of f.test) seen[i]!++;
    expect(f.train.length + f.test.length).toBe(n);
    expect(new Set([...f.train, ...f.test]).size).toBe(n);
  }
  expect(seen.every((c) => c === 1)).toBe(true);
}

describe('k-fold', () => {
  it('sizes as scikit-learn (the first n mod k folds are larger), a partition, seeded', () => {
    const folds = kFold(10, { k: 3, seed: 1 });
    expect(folds.map((f) => f.test.length)).toEqual([4, 3, 3]);
    isPartition(folds, 10);
    expect(kFold(10, { k: 3, seed: 1 })).toEqual(folds);
    expect(kFold(10, { k: 3, seed: 2 })).not.toEqual(folds);
    expect(kFold(6, { k: 3, shuffle: false }).map((f) => f.test)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(() => kFold(3, { k: 4 })).toThrow(/at least 4 samples/);
    expect(() => kFold(3, { k: 1 })).toThrow(/≥ 2/);
  });

  it('stratified: class counts per fold differ by at most one', () => {
    const y = [...new Array(50).fill(0), ...new Array(30).fill(1), ...new Array(7).fill(2)];
    const folds = stratifiedKFold(y, { k: 5, seed: 3 });
    isPartition(folds, y.length);
    for (const c of [0, 1, 2]) {
      const counts = folds.map((f) => f.test.filter((i) => y[i] === c).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

describe('crossValidate', () => {
  it('returns scores by fold with mean and population std', async () => {
    const folds = kFold(8, { k: 4 });
    const r = await crossValidate({ folds, evaluate: (_f, i) => i, orderSeed: 5 });
    expect(r.scores).toEqual([0, 1, 2, 3]);
    expect(r.mean).toBe(1.5);
    expect(r.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(meanStd([2, 2])).toEqual({ mean: 2, std: 0 });
  });

  it('reports each fold and lets the Wilcoxon pruner stop a worse configuration early', async () => {
    const folds = kFold(100, { k: 10, seed: 0 });
    const study = await createStudy({
      direction: 'maximize',
      sampler: new RandomSampler({ seed: 0 }),
      pruner: new WilcoxonPruner({ pThreshold: 0.1 }),
    });
    const evaluated: number[] = [];
    await study.optimize(
      async (trial) => {
        const good = trial.number === 0;
        let n = 0;
        try {
          const r = await crossValidate({
            folds,
            trial,
            orderSeed: trial.number,
            evaluate: (_f, i) => {
              n++;
              return (good ? 0.9 : 0.6) + i / 1000;
            },
          });
          return r.mean;
        } catch (e) {
          if (isTrialPruned(e)) evaluated.push(n);
          throw e;
        }
      },
      { nTrials: 2 },
    );
    const trials = await study.getTrials();
    expect(trials.map((t) => t.state)).toEqual(['complete', 'pruned']);
    expect(trials[0]!.intermediateValues.size).toBe(10);
    expect(evaluated[0]).toBeLessThan(10);
  });
});
