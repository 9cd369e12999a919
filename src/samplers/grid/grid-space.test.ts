import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { choice, float, int, when } from '../../space/nodes.js';
import { paramsOf, space } from '../../space/space.js';
import { createStudy } from '../../study/create-study.js';
import type { Trial } from '../../trial/trial.js';
import { GRID_DEFINITION_ATTR, GRID_INDEX_ATTR, GridSampler } from './grid-sampler.js';

// 3 Cs × (l1 | l2 with 2 solvers | elasticnet with 3 ratios) = 3 × 6 = 18 configurations.
const logreg = space({
  c: choice([0.1, 1, 10]),
  penalty: choice({
    l1: {},
    l2: { solver: choice(['lbfgs', 'newton']) },
    elasticnet: { l1Ratio: float(0.25, 0.75, { step: 0.25 }) },
  }),
  tol: when('c', [10], int(1, 2)),
});

describe('GridSampler over a declared space', () => {
  it('enumerates a conditional, nested space once per configuration (new GridSampler() + optimize(space))', async () => {
    const study = await createStudy({ sampler: new GridSampler(null, { seed: 4 }) });
    const seen: string[] = [];
    await study.optimize(logreg, (p) => {
      seen.push(JSON.stringify(p));
      return p.c;
    });
    // c = 10 doubles its 6 configurations (tol ∈ {1, 2}): 6 + 6 + 12.
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
    const trials = await study.getTrials();
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    const kinds = trials.map((t) => paramsOf(logreg, t.params).penalty.kind);
    expect(kinds.filter((k) => k === 'l1')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'l2')).toHaveLength(8);
    expect(kinds.filter((k) => k === 'elasticnet')).toHaveLength(12);
    const def = (await study.systemAttrs())[GRID_DEFINITION_ATTR] as { mode: string; count: number };
    expect(def.mode).toBe('space');
    expect(def.count).toBe(24);
  });

  it('takes the space in its constructor, and a second worker follows the same points', async () => {
    const study = await createStudy({ sampler: new GridSampler(logreg, { seed: 1 }) });
    const other = await createStudy({
      studyName: study.studyName,
      storage: study.storage,
      loadIfExists: true,
      sampler: new GridSampler(null, { seed: 99 }),
    });
    await Promise.all([
      study.optimize(logreg, (p) => p.c, { nTrials: 10 }),
      other.optimize(logreg, (p) => p.c),
    ]);
    const trials = await study.getTrials();
    expect(trials).toHaveLength(24);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(24);
  });

  it('names the infinite parameter', () => {
    const s = space({ a: choice(['x', 'y']), b: choice({ x: { lr: float(0, 1) }, y: { n: int(1, 3) } }) });
    expect(() => new GridSampler(s)).toThrow(InvalidArgumentError);
    expect(() => new GridSampler(s)).toThrow(/parameter 'b\.x\.lr' is a continuous float \[0, 1\]/);
    expect(() => new GridSampler().declareSpace(s)).toThrow(/'b\.x\.lr'.*Give it a step/);
  });

  it('refuses a space whose constraints leave nothing', () => {
    const s = space({ a: int(1, 3) }, { constraints: [(p) => p.a > 3] });
    expect(() => new GridSampler(s)).toThrow(/no configuration of the space satisfies its constraints/);
  });

  it('a declared space yields to a study already running the define-by-run grid (resume)', async () => {
    // optimizer × momentum, momentum only for sgd: the declared space has 3 configurations; the
    // define-by-run grid discovered 2 × 2 = 4 points (the two adam points run alike).
    const s = space({ optimizer: choice(['sgd', 'adam']), momentum: when('optimizer', ['sgd'], int(0, 1)) });
    const objective = (trial: Trial): number => {
      const o = trial.suggestCategorical('optimizer', ['sgd', 'adam']);
      return o === 'sgd' ? trial.suggestInt('momentum', 0, 1) : 2;
    };
    for (const done of [1, 2]) {
      const study = await createStudy({ sampler: new GridSampler(null, { seed: 5 }) });
      await study.optimize(objective, { nTrials: done });
      const resumed = await createStudy({
        studyName: study.studyName,
        storage: study.storage,
        loadIfExists: true,
        sampler: new GridSampler(null, { seed: 6 }),
      });
      await resumed.optimize(s, (p) => p.momentum ?? 2);
      const trials = await resumed.getTrials();
      expect(trials.map((t) => t.systemAttrs[GRID_INDEX_ATTR]).sort()).toEqual([0, 1, 2, 3]);
      expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(3);
      const def = (await resumed.systemAttrs())[GRID_DEFINITION_ATTR] as { mode: string };
      expect(def.mode).toBe('exhaustive');
    }
    // A space given to the constructor is the user's explicit choice: still refused.
    const study = await createStudy({ sampler: new GridSampler(null, { seed: 5 }) });
    await study.optimize(objective, { nTrials: 2 });
    const other = await createStudy({
      studyName: study.studyName,
      storage: study.storage,
      loadIfExists: true,
      sampler: new GridSampler(s),
    });
    await expect(other.ask()).rejects.toThrow(/already runs a different grid/);
  });

  it('gives an extra define-by-run parameter its lowest value', async () => {
    const study = await createStudy({ sampler: new GridSampler(null, { seed: 4 }) });
    const s = space({ a: int(1, 3) });
    await study.optimize(s, (p, trial) => p.a + trial.suggestInt('extra', 5, 9));
    const trials = await study.getTrials();
    expect(trials.map((t) => t.params.a).sort()).toEqual([1, 2, 3]);
    expect(trials.every((t) => t.params.extra === 5)).toBe(true);
  });
});
