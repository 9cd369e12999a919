import { describe, expect, it } from 'vitest';
import { CONSTRAINTS_ATTR, isFeasible } from '../../core/constraints.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';
import { setLogSink } from '../../core/logging.js';
import { createStudy } from '../../study/create-study.js';
import { rankTrials } from './split.js';
import { TPESampler } from './tpe-sampler.js';

function t(number: number, state: 'complete' | 'pruned', value: number, c?: JsonValue): FrozenTrial {
  return {
    trialId: number,
    number,
    state,
    params: {},
    internalParams: {},
    distributions: {},
    values: state === 'complete' ? [value] : null,
    intermediateValues: state === 'pruned' ? new Map([[1, value]]) : new Map(),
    userAttrs: {},
    systemAttrs: c === undefined ? {} : { [CONSTRAINTS_ATTR]: c },
    datetimeStart: null,
    datetimeComplete: null,
  };
}

describe('TPE with constraints', () => {
  it('ranks feasible complete, then pruned, then infeasible by violation', () => {
    const trials = [
      t(0, 'complete', 0, [3]),
      t(1, 'complete', 5, [0]),
      t(2, 'pruned', 1),
      t(3, 'complete', 1, [1]),
      t(4, 'complete', -1),
    ];
    expect(rankTrials(trials, ['minimize'], true).map((x) => x.number)).toEqual([1, 2, 3, 0, 4]);
    expect(rankTrials(trials, ['minimize']).map((x) => x.number)).toEqual([4, 0, 3, 1, 2]);
  });

  it('minimises x² + y² subject to x + y ≥ 1 and finds feasible good points', async () => {
    setLogSink(() => {});
    const study = await createStudy({
      sampler: new TPESampler({ seed: 3 }),
      constraints: (trial) => [1 - (trial.params.x as number) - (trial.params.y as number)],
    });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -2, 2);
        const y = trial.suggestFloat('y', -2, 2);
        return x * x + y * y;
      },
      { nTrials: 120 },
    );
    const best = await study.bestTrial();
    expect(isFeasible(best, true)).toBe(true);
    expect(best.values![0]!).toBeLessThan(0.75); // optimum 0.5 at (0.5, 0.5)
    const trials = await study.getTrials();
    const late = trials.slice(60);
    const feasibleLate = late.filter((x) => isFeasible(x, true)).length;
    expect(feasibleLate / late.length).toBeGreaterThan(0.5);
    // The unconstrained optimum (0, 0) is infeasible and never the best trial.
    for (const x of trials) if (!isFeasible(x, true)) expect(x.number).not.toBe(best.number);
  });
});
