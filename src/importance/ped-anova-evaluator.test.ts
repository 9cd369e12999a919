import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import { expectClose } from '../testing/expect-close.js';
import { syntheticTrials } from './__fixtures__/synthetic-trials.js';
import { computeParamImportances } from './get-param-importances.js';
import { PedAnovaImportanceEvaluator, quantileMask } from './ped-anova-evaluator.js';

const ped = new PedAnovaImportanceEvaluator();

describe('quantileMask', () => {
  it('quantile masks keep the best ceil(γn) values and every tie at the cut', () => {
    const loss = Float64Array.of(5, 1, 3, 3, 9, 0);
    expect(Array.from(quantileMask(loss, 0.5))).toEqual([0, 1, 1, 1, 0, 1]);
    expect(Array.from(quantileMask(loss, 0.1))).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(quantileMask(loss, 1))).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('PedAnovaImportanceEvaluator', () => {
  const space = { x0: floatDistribution(0, 1), x1: floatDistribution(0, 1), x2: floatDistribution(0, 1) };
  const trials = syntheticTrials(2000, space, (p) => 4 * (p.x0 as number) + (p.x1 as number), 3);

  it('ranks 4·x0 + x1 + 0·x2 and gives the useless x2 ≈ 0', () => {
    const imp = computeParamImportances(trials, ['minimize'], { evaluator: ped });
    expect(Object.keys(imp)).toEqual(['x0', 'x1', 'x2']);
    expect(imp.x0).toBeGreaterThan(0.7);
    expect(imp.x2).toBeLessThan(0.02);
  });

  it('follows the direction: maximizing looks at the other end, with the same ranking', () => {
    const raw = ped.evaluate(trials, ['maximize'], ['x0', 'x1', 'x2'], undefined);
    expect(raw.x0).toBeGreaterThan(raw.x1!);
    expect(raw.x1).toBeGreaterThan(raw.x2!);
    // With a target in a multi-objective study lower is better unless targetDirection says otherwise.
    const two = trials.map((t) => ({ ...t, values: [t.values![0]!, 0] }));
    const byTarget = computeParamImportances(two, ['maximize', 'minimize'], {
      evaluator: ped,
      target: (t) => t.values![0]!,
      targetDirection: 'maximize',
      normalize: false,
    });
    expectClose(byTarget.x0!, raw.x0!, { rtol: 1e-12 });
  });

  it('handles categorical, int and log parameters', () => {
    const effect: Record<string, number> = { adam: 0, sgd: 3, rmsprop: 1 };
    const s = {
      opt: categoricalDistribution(['adam', 'sgd', 'rmsprop']),
      lr: floatDistribution(1e-5, 1, { log: true }),
      units: intDistribution(1, 1024, { log: true }),
      flag: categoricalDistribution([true, false]),
    };
    const ts = syntheticTrials(
      1500,
      s,
      (p) => effect[p.opt as string]! + Math.abs(Math.log10(p.lr as number) + 3),
      4,
    );
    const imp = computeParamImportances(ts, ['minimize'], { evaluator: ped });
    expect(Object.keys(imp).slice(0, 2).sort()).toEqual(['lr', 'opt']);
    expect(imp.flag).toBeLessThan(0.03);
    expect(imp.units).toBeLessThan(0.03);
  });

  it('is 0 when the top and region sets are the same, and on the search space with evaluateOnLocal false', () => {
    // Three trials: the best ceil(0.5·3) = 2 and the best ceil(0.6·3) = 2 are the same set.
    const wide = new PedAnovaImportanceEvaluator({ targetQuantile: 0.5, regionQuantile: 0.6 });
    const raw = wide.evaluate(trials.slice(0, 3), ['minimize'], ['x0'], undefined);
    expect(raw.x0).toBe(0);
    const global = new PedAnovaImportanceEvaluator({ evaluateOnLocal: false });
    const g = global.evaluate(trials, ['minimize'], ['x0', 'x1', 'x2'], undefined);
    expect(g.x0).toBeGreaterThan(g.x2! * 20);
  });

  it('rejects bad options', () => {
    expect(() => new PedAnovaImportanceEvaluator({ targetQuantile: 0 })).toThrow(InvalidArgumentError);
    expect(() => new PedAnovaImportanceEvaluator({ targetQuantile: 0.5, regionQuantile: 0.3 })).toThrow(
      /targetQuantile < regionQuantile/,
    );
    expect(() => new PedAnovaImportanceEvaluator({ nSteps: 1 })).toThrow(/nSteps/);
  });

  it('2,000 trials × 10 parameters take milliseconds', () => {
    const s: Record<string, ReturnType<typeof floatDistribution>> = {};
    for (let j = 0; j < 10; j++) s[`p${j}`] = floatDistribution(0, 1);
    const ts = syntheticTrials(2000, s, (p) => (p.p3 as number) ** 2, 1);
    computeParamImportances(ts.slice(0, 100), ['minimize'], { evaluator: ped }); // warm-up
    const start = performance.now();
    const imp = computeParamImportances(ts, ['minimize'], { evaluator: ped });
    const ms = performance.now() - start;
    console.log(`PED-ANOVA, 2000 trials × 10 params: ${ms.toFixed(1)} ms`);
    expect(Object.keys(imp)[0]).toBe('p3');
    expect(ms).toBeLessThan(1000);
  });
});
