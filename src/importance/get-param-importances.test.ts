import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution } from '../core/distributions.js';
import { InvalidArgumentError, NoCompletedTrialsError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { createStudy } from '../study/create-study.js';
import { expectClose } from '../testing/expect-close.js';
import { syntheticTrials } from './__fixtures__/synthetic-trials.js';
import { FanovaImportanceEvaluator } from './fanova-evaluator.js';
import { computeParamImportances, getParamImportances } from './get-param-importances.js';
import type { ImportanceEvaluator } from './importance-evaluator.js';
import { PedAnovaImportanceEvaluator } from './ped-anova-evaluator.js';

const space = { a: floatDistribution(0, 1), b: floatDistribution(0, 1), c: floatDistribution(0, 1) };
const trials = syntheticTrials(400, space, (p) => 3 * (p.b as number) + 0.5 * (p.a as number) ** 2, 1);
const fast = new FanovaImportanceEvaluator({ nTrees: 16, seed: 0 });

/** An evaluator that returns fixed numbers and records what it was given. */
function fixed(values: Record<string, number>): ImportanceEvaluator & { calls: FrozenTrial[][] } {
  const calls: FrozenTrial[][] = [];
  return {
    calls,
    evaluate(ts, _directions, params) {
      calls.push([...ts]);
      return Object.fromEntries(params.map((p) => [p, values[p] ?? 0]));
    },
  };
}

describe('computeParamImportances', () => {
  it('normalizes to 1 and orders by importance, highest first', () => {
    const imp = computeParamImportances(trials, ['minimize'], { evaluator: fast });
    expect(Object.keys(imp)).toEqual(['b', 'a', 'c']);
    expectClose(
      Object.values(imp).reduce((x, y) => x + y, 0),
      1,
    );
    const values = Object.values(imp);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]!);
  });

  it('keeps raw values with normalize: false, breaks ties by name, gives equal shares when all are 0', () => {
    expect(
      Object.entries(
        computeParamImportances(trials, ['minimize'], {
          evaluator: fixed({ c: 2, a: 2, b: 5 }),
          normalize: false,
        }),
      ),
    ).toEqual([
      ['b', 5],
      ['a', 2],
      ['c', 2],
    ]);
    expect(computeParamImportances(trials, ['minimize'], { evaluator: fixed({}) })).toEqual({
      a: 1 / 3,
      b: 1 / 3,
      c: 1 / 3,
    });
  });

  it('uses only complete trials with finite values, and the most recent maxTrials of them', () => {
    const mixed: FrozenTrial[] = [
      ...trials.slice(0, 10),
      { ...trials[10]!, number: 10, state: 'fail', values: null },
      { ...trials[11]!, number: 11, state: 'pruned', values: null },
      { ...trials[12]!, number: 12, values: [Number.NaN] },
      { ...trials[13]!, number: 13, values: [Number.POSITIVE_INFINITY] },
    ];
    const ev = fixed({ a: 1 });
    computeParamImportances(mixed, ['minimize'], { evaluator: ev });
    expect(ev.calls[0]!.map((t) => t.number)).toEqual([...Array(10).keys()]);
    computeParamImportances([...mixed].reverse(), ['minimize'], { evaluator: ev, maxTrials: 4 });
    expect(ev.calls[1]!.map((t) => t.number)).toEqual([6, 7, 8, 9]);
  });

  it('assesses the intersection search space, or the given params on the trials that have them', () => {
    const extra = syntheticTrials(5, { ...space, d: categoricalDistribution(['x', 'y']) }, () => 1, 9).map(
      (t, i) => ({
        ...t,
        trialId: 100 + i,
        number: 100 + i,
      }),
    );
    const all = [...trials.slice(0, 20), ...extra];
    const ev = fixed({ a: 1, b: 2, c: 3, d: 4 });
    expect(Object.keys(computeParamImportances(all, ['minimize'], { evaluator: ev }))).toEqual([
      'c',
      'b',
      'a',
    ]);
    expect(ev.calls[0]).toHaveLength(25);
    expect(
      Object.keys(computeParamImportances(all, ['minimize'], { evaluator: ev, params: ['d', 'a'] })),
    ).toEqual(['d', 'a']);
    expect(ev.calls[1]).toHaveLength(5);
  });

  it('explains a chosen target, also in multi-objective studies', () => {
    const two = trials.map((t) => ({ ...t, values: [t.values![0]!, (t.params.c as number) * 10] }));
    const imp = computeParamImportances(two, ['minimize', 'maximize'], {
      evaluator: fast,
      target: (t) => t.values![1]!,
    });
    expect(Object.keys(imp)[0]).toBe('c');
    expect(imp.c).toBeGreaterThan(0.95);
  });

  it('works from 2 trials, and gives equal shares when the target never varies', () => {
    for (const evaluator of [fast, new PedAnovaImportanceEvaluator()]) {
      const two = computeParamImportances(trials.slice(0, 2), ['minimize'], { evaluator });
      expectClose(
        Object.values(two).reduce((x, y) => x + y, 0),
        1,
      );
      const flat = trials.slice(0, 50).map((t) => ({ ...t, values: [7] }));
      expect(computeParamImportances(flat, ['minimize'], { evaluator })).toEqual({
        a: 1 / 3,
        b: 1 / 3,
        c: 1 / 3,
      });
    }
  });

  it('returns {} when the trials share no parameter', () => {
    const noParams = trials
      .slice(0, 5)
      .map((t) => ({ ...t, params: {}, internalParams: {}, distributions: {} }));
    expect(computeParamImportances(noParams, ['minimize'])).toEqual({});
  });

  it('throws typed errors on bad input', () => {
    expect(() => computeParamImportances([], ['minimize'])).toThrow(NoCompletedTrialsError);
    expect(() => computeParamImportances(trials.slice(0, 1), ['minimize'])).toThrow(
      /at least 2 complete trials/,
    );
    expect(() => computeParamImportances(trials, ['minimize', 'minimize'])).toThrow(InvalidArgumentError);
    expect(() => computeParamImportances(trials, ['minimize', 'minimize'])).toThrow(/need a target/);
    expect(() => computeParamImportances(trials, ['minimize'], { params: ['a', 'nope'] })).toThrow(
      /unknown parameter name\(s\) 'nope'.*'a', 'b', 'c'/,
    );
    expect(() => computeParamImportances(trials, ['minimize'], { params: ['a', 'a'] })).toThrow(/twice/);
    expect(() => computeParamImportances(trials, [])).toThrow(/directions/);
    expect(() => computeParamImportances(trials, ['minimize'], { maxTrials: 1 })).toThrow(/maxTrials/);
    expect(() => computeParamImportances(trials, ['minimize'], { targetDirection: 'maximize' })).toThrow(
      /target/,
    );
    const clash = [
      ...trials.slice(0, 5),
      ...syntheticTrials(3, { a: floatDistribution(0, 2) }, () => 1, 2).map((t, i) => ({
        ...t,
        number: 50 + i,
      })),
    ];
    expect(() => computeParamImportances(clash, ['minimize'], { params: ['a'] })).toThrow(
      /different distributions/,
    );
  });
});

describe('getParamImportances', () => {
  it('reads a Study: a parameter that does nothing gets ≈ 0 under both evaluators', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', -5, 5);
        const y = t.suggestFloat('y', -5, 5);
        t.suggestFloat('unused', 0, 1);
        return x * x + 0.3 * y;
      },
      { nTrials: 1000 },
    );
    const fan = await getParamImportances(study, {
      evaluator: new FanovaImportanceEvaluator({ nTrees: 16, seed: 2 }),
    });
    expect(Object.keys(fan)).toEqual(['x', 'y', 'unused']);
    expect(fan.unused).toBeLessThan(0.02);
    const ped = await getParamImportances(study, { evaluator: new PedAnovaImportanceEvaluator() });
    expect(Object.keys(ped)[0]).toBe('x');
    expect(ped.unused).toBeLessThan(0.02);
  });

  it('accepts { trials, directions } and uses fANOVA with seed 0 by default', async () => {
    const a = await getParamImportances({ trials, directions: ['minimize'] });
    const b = computeParamImportances(trials, ['minimize'], {
      evaluator: new FanovaImportanceEvaluator({ seed: 0 }),
    });
    expect(a).toEqual(b);
  });
});
