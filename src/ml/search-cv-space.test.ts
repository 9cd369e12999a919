import { describe, expect, expectTypeOf, it } from 'vitest';
import { GridSampler } from '../samplers/grid/index.js';
import { RandomSampler } from '../samplers/random/index.js';
import { choice, float, int } from '../space/nodes.js';
import { paramsOf, space } from '../space/space.js';
import { loadIris } from './datasets.js';
import type { Label } from './metrics.js';
import { type Estimator, searchCV } from './search-cv.js';

/** k nearest neighbours (Euclidean, majority vote, ties to the nearest). */
class Knn implements Estimator {
  private x: number[][] = [];
  private y: Label[] = [];
  constructor(readonly k: number) {}
  fit(x: number[][], y: Label[]): void {
    this.x = x;
    this.y = y;
  }
  predict(x: number[][]): Label[] {
    return x.map((row) => {
      const order = this.x
        .map((r, i) => ({ i, d: r.reduce((s, v, j) => s + (v - row[j]!) ** 2, 0) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, this.k);
      const votes = new Map<Label, number>();
      for (const o of order) votes.set(this.y[o.i]!, (votes.get(this.y[o.i]!) ?? 0) + 1);
      let best = this.y[order[0]!.i]!;
      for (const [label, n] of votes) if (n > votes.get(best)!) best = label;
      return best;
    });
  }
}

/** Nearest class mean, the means shrunk towards the overall mean by `shrink`. */
class Centroid implements Estimator {
  private means: { label: Label; m: number[] }[] = [];
  constructor(readonly shrink: number) {}
  fit(x: number[][], y: Label[]): void {
    const d = x[0]!.length;
    const all = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / x.length);
    this.means = [...new Set(y)].map((label) => {
      const rows = x.filter((_, i) => y[i] === label);
      const m = all.map((a, j) => {
        const own = rows.reduce((s, r) => s + r[j]!, 0) / rows.length;
        return own + this.shrink * (a - own);
      });
      return { label, m };
    });
  }
  predict(x: number[][]): Label[] {
    return x.map((row) => {
      let best = this.means[0]!;
      let bestD = Number.POSITIVE_INFINITY;
      for (const c of this.means) {
        const dist = c.m.reduce((s, v, j) => s + (v - row[j]!) ** 2, 0);
        if (dist < bestD) {
          bestD = dist;
          best = c;
        }
      }
      return best.label;
    });
  }
}

const models = space({
  model: choice({
    knn: { k: int(1, 9, { step: 2 }) },
    centroid: { shrink: float(0, 0.5, { step: 0.25 }) },
  }),
});

describe('searchCV with a declared space', () => {
  it('enumerates a nested space with GridSampler, passing typed params to the estimator', async () => {
    const { features: x, target: y } = loadIris();
    const seen: string[] = [];
    const r = await searchCV({
      estimator: (p) => {
        expectTypeOf(p.model).toEqualTypeOf<
          { kind: 'knn'; k: number } | { kind: 'centroid'; shrink: number }
        >();
        seen.push(JSON.stringify(p));
        return p.model.kind === 'knn' ? new Knn(p.model.k) : new Centroid(p.model.shrink);
      },
      x,
      y,
      space: models,
      sampler: new GridSampler(null, { seed: 0 }),
      cv: 5,
    });
    // 5 values of k + 3 of shrink, each configuration once.
    expect(r.results).toHaveLength(8);
    expect(new Set(r.results.map((c) => JSON.stringify(c.params))).size).toBe(8);
    expect(r.bestScore).toBeGreaterThanOrEqual(0.95);
    const best = paramsOf(models, r.bestParams);
    expect(best.model.kind).toBe('knn');
    expect(r.bestEstimator).toBeInstanceOf(Knn);
    // The refit got the typed params of the best configuration.
    expect(JSON.parse(seen.at(-1)!)).toEqual(best);
  });

  it('samples a space with constraints for randomized search', async () => {
    const { features: x, target: y } = loadIris();
    const s = space({ k: int(1, 30) }, { constraints: [(p) => p.k % 2 === 1] });
    const r = await searchCV({
      estimator: (p) => new Knn(p.k),
      x,
      y,
      space: s,
      sampler: new RandomSampler({ seed: 3 }),
      nTrials: 6,
      cv: 3,
    });
    expect(r.results).toHaveLength(6);
    expect(r.results.every((c) => (c.params.k as number) % 2 === 1)).toBe(true);
  });
});
