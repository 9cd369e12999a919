import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WilcoxonPruner } from '../pruners/index.js';
import { RandomSampler } from '../samplers/random/index.js';
import { kFold } from './cross-validation.js';
import { loadBreastCancer, loadIris, StandardScaler } from './datasets.js';
import type { Label } from './metrics.js';
import { type Estimator, searchCV } from './search-cv.js';

const fixture = (
  JSON.parse(readFileSync(new URL('./__fixtures__/metrics.json', import.meta.url), 'utf8')) as {
    searchCV: {
      alphas: number[];
      meanTestScore: number[];
      stdTestScore: number[];
      rank: number[];
      split0: number[];
      bestAlpha: number;
      bestCoef: number[];
      bestIntercept: number;
    };
  }
).searchCV;

/** Ridge regression with an intercept, as scikit-learn's Ridge (normal equations on centred data). */
class Ridge implements Estimator {
  coef: number[] = [];
  intercept = 0;
  constructor(private readonly alpha: number) {}
  fit(x: number[][], y: Label[]): void {
    const n = x.length;
    const d = x[0]!.length;
    const ys = y as number[];
    const xm = Array.from({ length: d }, (_, j) => x.reduce((a, r) => a + r[j]!, 0) / n);
    const ym = ys.reduce((a, b) => a + b, 0) / n;
    const a = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d + 1 }, (_, j) => {
        if (j === d) return x.reduce((s, r, k) => s + (r[i]! - xm[i]!) * (ys[k]! - ym), 0);
        return x.reduce((s, r) => s + (r[i]! - xm[i]!) * (r[j]! - xm[j]!), 0) + (i === j ? this.alpha : 0);
      }),
    );
    for (let c = 0; c < d; c++) {
      for (let r = c + 1; r < d; r++) {
        const f = a[r]![c]! / a[c]![c]!;
        for (let j = c; j <= d; j++) a[r]![j]! -= f * a[c]![j]!;
      }
    }
    const w = new Array<number>(d).fill(0);
    for (let r = d - 1; r >= 0; r--) {
      let s = a[r]![d]!;
      for (let j = r + 1; j < d; j++) s -= a[r]![j]! * w[j]!;
      w[r] = s / a[r]![r]!;
    }
    this.coef = w;
    this.intercept = ym - xm.reduce((s, m, j) => s + m * w[j]!, 0);
  }
  predict(x: number[][]): number[] {
    return x.map((r) => this.intercept + r.reduce((s, v, j) => s + v * this.coef[j]!, 0));
  }
}

/** k nearest neighbours (Euclidean), majority vote, probabilities as vote shares. */
class Knn implements Estimator {
  private x: number[][] = [];
  private y: number[] = [];
  private labels: number[] = [];
  constructor(private readonly k: number) {}
  fit(x: number[][], y: Label[]): void {
    this.x = x;
    this.y = y as number[];
    this.labels = [...new Set(this.y)].sort((a, b) => a - b);
  }
  predictProba(x: number[][]): number[][] {
    return x.map((q) => {
      const near = this.x
        .map((r, i) => ({ d: r.reduce((s, v, j) => s + (v - q[j]!) ** 2, 0), i }))
        .sort((a, b) => a.d - b.d || a.i - b.i)
        .slice(0, this.k);
      return this.labels.map((l) => near.filter((n) => this.y[n.i] === l).length / this.k);
    });
  }
  predict(x: number[][]): number[] {
    return this.predictProba(x).map((p) => this.labels[p.indexOf(Math.max(...p))]!);
  }
}

describe('searchCV', () => {
  const iris = loadIris();
  it('grid search matches scikit-learn GridSearchCV (ridge, KFold(5), neg MSE)', async () => {
    const x = iris.features.map((r) => r.slice(0, 3));
    const y = iris.features.map((r) => r[3]!);
    const r = await searchCV({
      estimator: (p) => new Ridge(p.alpha as number),
      x,
      y,
      grid: { alpha: fixture.alphas },
      cv: kFold(150, { k: 5, shuffle: false }),
      scoring: 'neg_mean_squared_error',
    });
    expect(r.results).toHaveLength(5);
    for (const row of r.results) {
      const i = fixture.alphas.indexOf(row.params.alpha as number);
      expect(row.meanTestScore).toBeCloseTo(fixture.meanTestScore[i]!, 10);
      expect(row.stdTestScore).toBeCloseTo(fixture.stdTestScore[i]!, 10);
      expect(row.splitScores[0]).toBeCloseTo(fixture.split0[i]!, 10);
      expect(row.rank).toBe(fixture.rank[i]);
    }
    expect(r.bestParams).toEqual({ alpha: fixture.bestAlpha });
    expect(r.bestScore).toBe(r.results[r.bestIndex]!.meanTestScore);
    for (const [j, c] of r.bestEstimator!.coef.entries()) expect(c).toBeCloseTo(fixture.bestCoef[j]!, 10);
    expect(r.bestEstimator!.intercept).toBeCloseTo(fixture.bestIntercept, 10);
  });

  it('randomized and model-based search share the API; scorings by name', async () => {
    const bc = loadBreastCancer();
    const x = new StandardScaler().fitTransform(bc.features);
    const base = {
      estimator: (p: Record<string, unknown>) => new Knn(p.k as number),
      x,
      y: bc.target,
      cv: 3,
    };
    const space = { k: { low: 1, high: 25, int: true } } as const;
    const random = await searchCV({
      ...base,
      space,
      nTrials: 4,
      sampler: new RandomSampler({ seed: 1 }),
      scoring: 'f1',
    });
    expect(random.results).toHaveLength(4);
    expect(random.bestScore).toBeGreaterThan(0.93);
    const model = await searchCV({ ...base, space, nTrials: 4, scoring: 'neg_log_loss', refit: false });
    expect(model.results).toHaveLength(4);
    expect(model.bestEstimator).toBeNull();
    expect(model.results.some((r) => r.rank === 1)).toBe(true);
  });

  it('define-by-run spaces and a pruner that drops bad configurations after a few folds', async () => {
    const x = new StandardScaler().fitTransform(iris.features);
    const r = await searchCV({
      estimator: (p) => new Knn(p.k as number),
      x,
      y: iris.target,
      space: (trial) => ({ k: trial.suggestCategorical('k', [5, 149]) }),
      cv: 10,
      nTrials: 4,
      sampler: new RandomSampler({ seed: 2 }),
      pruner: new WilcoxonPruner({ pThreshold: 0.2 }),
    });
    const pruned = r.results.filter((row) => row.state === 'pruned');
    expect(pruned).toHaveLength(1); // the second k = 149, after 2 of 10 folds
    for (const row of pruned) {
      expect(row.params.k).toBe(149);
      expect(row.rank).toBeNull();
      expect(row.splitScores.filter((s) => s === null).length).toBeGreaterThan(0);
    }
    expect(r.bestParams.k).toBe(5);
  });

  it('checks its options', async () => {
    const base = { estimator: () => new Knn(1), x: [[0]], y: [0] };
    await expect(searchCV(base)).rejects.toThrow(/exactly one of grid or space/);
  });
});
