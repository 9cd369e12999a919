import { describe, expect, it } from 'vitest';
import type { FrozenTrial, TrialState } from '../core/frozen-trial.js';
import { createStudy } from '../study/create-study.js';
import { addBudgetTrials } from './__fixtures__/budget-trials.js';
import { observationsAtBudget } from './budget.js';
import { GPSampler } from './gp/gp-sampler.js';

function trial(id: number, state: TrialState, reports: [number, number][]): FrozenTrial {
  return {
    trialId: id,
    number: id,
    state,
    params: {},
    internalParams: {},
    distributions: {},
    values: state === 'complete' ? [0] : null,
    intermediateValues: new Map(reports),
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

describe('observationsAtBudget', () => {
  const trials = [
    trial(0, 'complete', [
      [1, 5],
      [3, 4],
      [9, 3],
    ]),
    trial(1, 'pruned', [
      [1, 6],
      [3, 2],
    ]),
    trial(2, 'pruned', [
      [1, 7],
      [3, Number.NaN],
    ]),
    trial(3, 'running', [
      [1, 1],
      [3, 1],
      [9, 1],
    ]),
    trial(4, 'fail', [
      [1, 1],
      [3, 1],
    ]),
    trial(5, 'pruned', [[1, 8]]),
  ];

  it('models the highest step that enough finished trials reported finitely', () => {
    const two = observationsAtBudget(trials, 2)!;
    expect(two.budget).toBe(3);
    expect(two.trials.map((t) => t.number)).toEqual([0, 1]);
    expect(two.values).toEqual([4, 2]);
    const four = observationsAtBudget(trials, 4)!;
    expect(four.budget).toBe(1);
    expect(four.values).toEqual([5, 6, 7, 8]);
    expect(observationsAtBudget(trials, 1)!.budget).toBe(9);
  });

  it('leaves out the trial being sampled, running and failed trials; null without enough reports', () => {
    expect(observationsAtBudget(trials, 2, 1)!.budget).toBe(1);
    expect(observationsAtBudget(trials, 5)).toBeNull();
    expect(observationsAtBudget([], 2)).toBeNull();
  });
});

describe('budget-aware GPSampler', () => {
  it('fits the reports at the modelled step, so good pruned trials draw its suggestions', async () => {
    // Ten poor complete trials near x = 0.1 and twenty pruned trials with good reports at step 3
    // near x = 0.8 (the best at 0.8). The plain GP sees only the complete trials.
    const suggestions = async (budgetAware: boolean) => {
      const out: number[] = [];
      for (let seed = 0; seed < 2; seed++) {
        const study = await createStudy({
          sampler: new GPSampler({ seed, nStartupTrials: 5, budgetAware, budgetMinTrials: 15 }),
        });
        await addBudgetTrials(
          study,
          (k) => 0.6 + 0.02 * k,
          (x) => 0.1 + (x - 0.8) ** 2,
        );
        for (let k = 0; k < 3; k++) {
          const t = await study.ask();
          out.push(t.suggestFloat('x', 0, 1));
          await study.tell(t, { state: 'fail' });
        }
      }
      return out;
    };
    const aware = await suggestions(true);
    for (const x of aware) expect(Math.abs(x - 0.8)).toBeLessThan(0.15);
    const plain = await suggestions(false);
    expect(plain.reduce((a, b) => a + b, 0) / plain.length).toBeLessThan(0.5);
  });

  it('validates budgetMinTrials', () => {
    expect(() => new GPSampler({ budgetMinTrials: 1 })).toThrow(/budgetMinTrials/);
  });
});
