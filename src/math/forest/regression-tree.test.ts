import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { RandomForestRegressor } from './random-forest.js';
import { TreeBuilder } from './regression-tree.js';

interface TreeCase {
  name: string;
  n: number;
  d: number;
  X: number[];
  y: number[];
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  Xq: number[];
  predictions: number[];
  nodeCount: number;
  leafCount: number;
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'trees.json'), 'utf8')) as {
  cases: TreeCase[];
};

describe('TreeBuilder against scikit-learn DecisionTreeRegressor', () => {
  for (const c of fixture.cases) {
    it(`grows the same tree: ${c.name}`, () => {
      const X = Float64Array.from(c.X);
      const builder = new TreeBuilder(X, Float64Array.from(c.y), c.n, c.d);
      const tree = builder.fit(
        new Float64Array(c.n).fill(1),
        {
          maxDepth: c.maxDepth,
          minSamplesSplit: c.minSamplesSplit,
          minSamplesLeaf: c.minSamplesLeaf,
          maxFeatures: c.d,
        },
        new Rng(1),
      );
      expect(tree.nodeCount).toBe(c.nodeCount);
      expect(tree.leafCount).toBe(c.leafCount);
      const q = c.predictions.length;
      const got = new Float64Array(q);
      for (let p = 0; p < q; p++) got[p] = tree.predict(c.Xq, p * c.d);
      expectClose(got, c.predictions, { rtol: 1e-9, atol: 1e-9 });
    });
  }
});

describe('TreeBuilder', () => {
  it('interpolates distinct training points with leaves of one sample', () => {
    const rng = new Rng(3);
    const n = 50;
    const X = Float64Array.from({ length: n * 2 }, () => rng.random());
    const y = Float64Array.from({ length: n }, (_, i) => X[2 * i]! * 3 - X[2 * i + 1]!);
    const tree = new TreeBuilder(X, y, n, 2).fit(
      new Float64Array(n).fill(1),
      { maxDepth: 64, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 2 },
      rng,
    );
    expect(tree.leafCount).toBe(n);
    for (let i = 0; i < n; i++) expectClose(tree.predict(X, 2 * i), y[i]!, { atol: 1e-12 });
  });

  it('weights samples (a weight of 2 counts twice, 0 leaves the sample out)', () => {
    const X = Float64Array.from([0, 1, 2, 3]);
    const y = Float64Array.from([1, 1, 5, 100]);
    const tree = new TreeBuilder(X, y, 4, 1).fit(
      Float64Array.from([1, 2, 1, 0]),
      { maxDepth: 0 + 1, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 },
      new Rng(0),
    );
    expectClose(tree.value[0]!, (1 + 2 + 5) / 4);
    expect(tree.feature[0]).toBe(0);
    expectClose(tree.threshold[0]!, 1.5);
    expect(tree.predict([3])).toBe(5);
  });

  it('makes a leaf of a node whose features are all constant', () => {
    const X = Float64Array.from([1, 1, 1, 1]);
    const y = Float64Array.from([0, 1, 2, 3]);
    const tree = new TreeBuilder(X, y, 4, 1).fit(
      new Float64Array(4).fill(1),
      { maxDepth: 10, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 },
      new Rng(0),
    );
    expect(tree.nodeCount).toBe(1);
    expectClose(tree.value[0]!, 1.5);
  });
});

describe('RandomForestRegressor', () => {
  const n = 300;
  const d = 3;
  const rng = new Rng(11);
  const X = Float64Array.from({ length: n * d }, () => rng.random());
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(4 * X[i * d]!) + X[i * d + 1]! ** 2);

  it('reproduces with a seed and differs across seeds', () => {
    const q = 20;
    const Xq = Float64Array.from({ length: q * d }, () => rng.random());
    const a = new RandomForestRegressor({ nTrees: 8, seed: 5 }).fit(X, y, n, d).predict(Xq, q);
    const b = new RandomForestRegressor({ nTrees: 8, seed: 5 }).fit(X, y, n, d).predict(Xq, q);
    const c = new RandomForestRegressor({ nTrees: 8, seed: 6 }).fit(X, y, n, d).predict(Xq, q);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('predicts a smooth function well and reports spread between trees', () => {
    const forest = new RandomForestRegressor({ nTrees: 32, seed: 1 }).fit(X, y, n, d);
    const q = 200;
    const Xq = Float64Array.from({ length: q * d }, () => 0.05 + 0.9 * rng.random());
    const pred = forest.predict(Xq, q);
    const variance = forest.predictVariance(Xq, q);
    let sse = 0;
    let sst = 0;
    let meanTruth = 0;
    const truth = Float64Array.from({ length: q }, (_, p) => Math.sin(4 * Xq[p * d]!) + Xq[p * d + 1]! ** 2);
    for (let p = 0; p < q; p++) meanTruth += truth[p]! / q;
    for (let p = 0; p < q; p++) {
      sse += (pred[p]! - truth[p]!) ** 2;
      sst += (truth[p]! - meanTruth) ** 2;
      expect(variance[p]).toBeGreaterThanOrEqual(0);
    }
    expect(1 - sse / sst).toBeGreaterThan(0.95);
    expect(Math.max(...variance)).toBeGreaterThan(0);
  });

  it('without bootstrap, every tree interpolates the training data from the same root split', () => {
    const forest = new RandomForestRegressor({ nTrees: 3, bootstrap: false, seed: 2 }).fit(X, y, n, d);
    const [t0, t1] = forest.trees;
    expect(t1!.feature[0]).toBe(t0!.feature[0]);
    expect(t1!.threshold[0]).toBe(t0!.threshold[0]);
    expectClose(forest.predict(X, n), y, { atol: 1e-12 });
  });

  it('keeps the target scale (centring is undone)', () => {
    const shifted = Float64Array.from(y, (v) => v + 1e6);
    const forest = new RandomForestRegressor({ nTrees: 4, seed: 3 }).fit(X, shifted, n, d);
    const pred = forest.predict(X.subarray(0, d), 1);
    expectClose(pred[0]!, y[0]! + 1e6, { atol: 0.5 });
  });

  it('rejects bad options and data', () => {
    expect(() => new RandomForestRegressor({ nTrees: 0 })).toThrow(/nTrees/);
    expect(() => new RandomForestRegressor({ minSamplesLeaf: 0.5 })).toThrow(/minSamplesLeaf/);
    expect(() => new RandomForestRegressor().fit(X, y, n, 2)).toThrow(/n·d/);
    expect(() =>
      new RandomForestRegressor().fit(Float64Array.of(0, 1), Float64Array.of(1, Number.NaN), 2, 1),
    ).toThrow(/not finite/);
    expect(() => new RandomForestRegressor().predict(X, n)).toThrow(/fit\(\) first/);
  });
});
