import { describe, expect, it } from 'vitest';
import { CONSTRAINTS_ATTR, isFeasible } from '../../core/constraints.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';
import { createStudy } from '../../study/create-study.js';
import { constrainedSelection } from './genetic-sampler.js';
import { NSGAIISampler, rankAndCrowdingSelection } from './nsga2-sampler.js';

function t(number: number, values: number[], c?: JsonValue): FrozenTrial {
  return {
    trialId: number,
    number,
    state: 'complete',
    params: {},
    internalParams: {},
    distributions: {},
    values,
    intermediateValues: new Map(),
    userAttrs: {},
    systemAttrs: c === undefined ? {} : { [CONSTRAINTS_ATTR]: c },
    datetimeStart: null,
    datetimeComplete: null,
  };
}

describe('NSGA-II constrained domination', () => {
  const select = (c: readonly FrozenTrial[], n: number) =>
    rankAndCrowdingSelection(c, ['minimize', 'minimize'], n);

  it('feasible before infeasible, infeasible by violation', () => {
    const cands = [
      t(0, [0, 0], [2]),
      t(1, [5, 5], [-1]),
      t(2, [1, 1], [0.5, 3]),
      t(3, [4, 6], [0]),
      t(4, [0, 1]),
      t(5, [0, 0], [1]),
    ];
    expect(constrainedSelection(cands, 6, select).map((x) => x.number)).toEqual([1, 3, 5, 0, 2, 4]);
    expect(constrainedSelection(cands, 3, select).map((x) => x.number)).toEqual([1, 3, 5]);
    expect(constrainedSelection(cands, 1, select).map((x) => x.number)).toEqual([1]);
  });

  it('is the plain selection without constraint values', () => {
    const cands = [t(0, [0, 3]), t(1, [5, 5]), t(2, [1, 1])];
    expect(constrainedSelection(cands, 2, select)).toEqual(select(cands, 2));
  });

  it('finds feasible good points of a constrained 2-objective problem (x + y ≥ 1)', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new NSGAIISampler({ seed: 2, populationSize: 20 }),
      constraints: (trial) => [1 - (trial.params.x as number) - (trial.params.y as number)],
    });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -2, 2);
        const y = trial.suggestFloat('y', -2, 2);
        return [x * x + y * y, (x - 1) ** 2 + (y - 1) ** 2];
      },
      { nTrials: 300 },
    );
    const front = await study.bestTrials();
    expect(front.length).toBeGreaterThan(5);
    for (const tr of front) expect(isFeasible(tr, true)).toBe(true);
    // The constrained front is the segment from (0.5, 0.5) to (1, 1): f1 is 0.5 at best.
    const bestF1 = Math.min(...front.map((tr) => tr.values![0]!));
    expect(bestF1).toBeLessThan(0.6);
    const trials = await study.getTrials();
    const late = trials.slice(200);
    expect(late.filter((x) => isFeasible(x, true)).length / late.length).toBeGreaterThan(0.7);
  });
});
