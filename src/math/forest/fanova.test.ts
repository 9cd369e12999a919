import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { forestMainEffects, treeMainEffects } from './fanova.js';
import { RandomForestRegressor } from './random-forest.js';
import { type RegressionTree, TreeBuilder } from './regression-tree.js';

/** V and V_j by brute force: the tree evaluated at the centre of every cell of the threshold grid. */
function bruteForce(tree: RegressionTree, lo: number[], hi: number[]): { V: number; Vj: number[] } {
  const d = tree.nFeatures;
  const breaks: number[][] = [];
  for (let j = 0; j < d; j++) {
    const b = new Set<number>([lo[j]!, hi[j]!]);
    for (let k = 0; k < tree.nodeCount; k++) {
      if (tree.feature[k] === j && tree.threshold[k]! > lo[j]! && tree.threshold[k]! < hi[j]!) {
        b.add(tree.threshold[k]!);
      }
    }
    breaks.push([...b].sort((x, y) => x - y));
  }
  const sizes = breaks.map((b) => b.length - 1);
  const total = sizes.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(d).fill(0);
  const x = new Float64Array(d);
  const marginalSum = breaks.map((b) => new Float64Array(b.length - 1));
  let mean = 0;
  let second = 0;
  for (let c = 0; c < total; c++) {
    let rest = c;
    let w = 1;
    for (let j = 0; j < d; j++) {
      idx[j] = rest % sizes[j]!;
      rest = Math.floor(rest / sizes[j]!);
      const b = breaks[j]!;
      x[j] = 0.5 * (b[idx[j]!]! + b[idx[j]! + 1]!);
      w *= (b[idx[j]! + 1]! - b[idx[j]!]!) / (hi[j]! - lo[j]!);
    }
    const v = tree.predict(x);
    mean += w * v;
    second += w * v * v;
    for (let j = 0; j < d; j++) {
      const b = breaks[j]!;
      const wj = (b[idx[j]! + 1]! - b[idx[j]!]!) / (hi[j]! - lo[j]!);
      marginalSum[j]![idx[j]!]! += (w / wj) * v;
    }
  }
  const V = second - mean * mean;
  const Vj = breaks.map((b, j) => {
    let s = 0;
    for (let k = 0; k < b.length - 1; k++) {
      const wk = (b[k + 1]! - b[k]!) / (hi[j]! - lo[j]!);
      s += wk * (marginalSum[j]![k]! - mean) ** 2;
    }
    return s;
  });
  return { V, Vj };
}

function sample(n: number, d: number, f: (x: Float64Array, i: number) => number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.random());
  const y = Float64Array.from({ length: n }, (_, i) => f(X, i * d));
  return { X, y };
}

describe('treeMainEffects', () => {
  it('matches a brute-force sum over the threshold grid', () => {
    const d = 3;
    const n = 200;
    const { X, y } = sample(n, d, (x, o) => Math.sin(5 * x[o]!) * x[o + 1]! + x[o + 2]! ** 2, 4);
    const tree = new TreeBuilder(X, y, n, d).fit(
      new Float64Array(n).fill(1),
      { maxDepth: 6, minSamplesSplit: 2, minSamplesLeaf: 2, maxFeatures: d },
      new Rng(1),
    );
    const shares = new Float64Array(d);
    const lo = [0, -0.5, 0];
    const hi = [1, 1, 2];
    const V = treeMainEffects(tree, lo, hi, shares);
    const ref = bruteForce(tree, lo, hi);
    expectClose(V, ref.V, { rtol: 1e-9 });
    expectClose(
      shares,
      ref.Vj.map((v) => v / ref.V),
      { rtol: 1e-8, atol: 1e-12 },
    );
    expect(shares[0]).toBeGreaterThan(0);
  });

  it('gives zero shares for a constant tree', () => {
    const tree = new TreeBuilder(Float64Array.of(0.1, 0.9), Float64Array.of(2, 2), 2, 1).fit(
      Float64Array.of(1, 1),
      { maxDepth: 4, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 },
      new Rng(0),
    );
    const shares = Float64Array.of(7);
    expect(treeMainEffects(tree, [0], [1], shares)).toBe(0);
    expect(shares[0]).toBe(0);
  });

  it('a single split at 0.25 between values a and b has variance 3(a−b)²/16, all of it feature 0', () => {
    const tree = new TreeBuilder(Float64Array.of(0.2, 0.5, 0.3, 0.5), Float64Array.of(1, 3), 2, 2).fit(
      Float64Array.of(1, 1),
      { maxDepth: 4, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 2 },
      new Rng(0),
    );
    const shares = new Float64Array(2);
    expectClose(treeMainEffects(tree, [0, 0], [1, 1], shares), (3 * 4) / 16);
    expectClose(shares, [1, 0]);
  });
});

describe('forestMainEffects', () => {
  it('f = 4·x0 + x1 + 0·x2 on uniform data gives shares near 16/17, 1/17 and 0', () => {
    const n = 2000;
    const d = 3;
    const { X, y } = sample(n, d, (x, o) => 4 * x[o]! + x[o + 1]!, 9);
    const forest = new RandomForestRegressor({ nTrees: 32, seed: 0 }).fit(X, y, n, d);
    const { mean, std, nTrees } = forestMainEffects(forest);
    expect(nTrees).toBe(32);
    expectClose(mean[0]!, 16 / 17, { atol: 0.03 });
    expectClose(mean[1]!, 1 / 17, { atol: 0.015 });
    expect(mean[2]).toBeLessThan(0.005);
    expectClose(mean[0]! / mean[1]!, 16, { rtol: 0.2 });
    expect(std[0]).toBeLessThan(0.05);
  });

  it('a pure interaction has small main effects', () => {
    const n = 1500;
    const d = 2;
    const { X, y } = sample(n, d, (x, o) => (x[o]! - 0.5) * (x[o + 1]! - 0.5), 2);
    const forest = new RandomForestRegressor({ nTrees: 16, seed: 0 }).fit(X, y, n, d);
    const { mean } = forestMainEffects(forest);
    expect(mean[0]! + mean[1]!).toBeLessThan(0.15);
  });

  it('rejects an unfitted forest', () => {
    expect(() => forestMainEffects(new RandomForestRegressor())).toThrow(/not fitted/);
  });
});
