import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../core/distributions.js';
import { InvalidArgumentError } from '../core/errors.js';
import { expectClose } from '../testing/expect-close.js';
import { syntheticTrials } from './__fixtures__/synthetic-trials.js';
import { encodeUnitBox, FanovaImportanceEvaluator } from './fanova-evaluator.js';
import { computeParamImportances } from './get-param-importances.js';

const fanova = new FanovaImportanceEvaluator({ nTrees: 32, seed: 1 });

describe('FanovaImportanceEvaluator', () => {
  it('f = 4·x0 + x1 gives the analytic variance shares 16:1, and a useless x2 ≈ 0', () => {
    const space = { x0: floatDistribution(0, 1), x1: floatDistribution(0, 1), x2: floatDistribution(0, 1) };
    const trials = syntheticTrials(1000, space, (p) => 4 * (p.x0 as number) + (p.x1 as number), 3);
    const raw = fanova.evaluate(trials, ['minimize'], ['x0', 'x1', 'x2'], undefined);
    expectClose(raw.x0!, 16 / 17, { atol: 0.03 });
    expectClose(raw.x1!, 1 / 17, { atol: 0.015 });
    expectClose(raw.x0! / raw.x1!, 16, { rtol: 0.25 });
    const normalized = computeParamImportances(trials, ['minimize'], { evaluator: fanova });
    expect(Object.keys(normalized)).toEqual(['x0', 'x1', 'x2']);
    expect(normalized.x2).toBeLessThan(0.02);
    expectClose(normalized.x0! + normalized.x1! + normalized.x2!, 1);
  });

  it('weighs a log parameter in log space: log(a) + 2·b with a log-uniform gives 1:4', () => {
    const space = { a: floatDistribution(1, Math.E, { log: true }), b: floatDistribution(0, 1) };
    const trials = syntheticTrials(1000, space, (p) => Math.log(p.a as number) + 2 * (p.b as number), 5);
    const raw = fanova.evaluate(trials, ['maximize'], ['a', 'b'], undefined);
    expectClose(raw.a!, 1 / 5, { atol: 0.03 });
    expectClose(raw.b!, 4 / 5, { atol: 0.03 });
  });

  it('handles categorical and int parameters', () => {
    const effect: Record<string, number> = { adam: 0, sgd: 3, rmsprop: 1 };
    const space = {
      opt: categoricalDistribution(['adam', 'sgd', 'rmsprop']),
      layers: intDistribution(1, 4),
      noise: categoricalDistribution([true, false]),
    };
    const trials = syntheticTrials(
      600,
      space,
      (p) => effect[p.opt as string]! + 0.2 * (p.layers as number),
      7,
    );
    const imp = computeParamImportances(trials, ['minimize'], { evaluator: fanova });
    expect(Object.keys(imp)).toEqual(['opt', 'layers', 'noise']);
    // Var(opt effect) = 14/9 ≈ 1.556, Var(0.2·layers) = 0.04·1.25 = 0.05.
    expectClose(imp.opt!, 1.556 / 1.606, { atol: 0.03 });
    expect(imp.noise).toBeLessThan(0.02);
  });

  it('puts every categorical choice in an equal share of [0, 1]', () => {
    const space = { c: categoricalDistribution(['a', 'b', 'c', 'd']), i: intDistribution(0, 2) };
    const trials = syntheticTrials(40, space, () => 0, 1);
    const X = encodeUnitBox(trials, space);
    const seen = new Set<number>();
    for (let k = 0; k < trials.length; k++) {
      expectClose(X[2 * k]!, (trials[k]!.internalParams.c! + 0.5) / 4);
      expectClose(X[2 * k + 1]!, (trials[k]!.internalParams.i! + 0.5) / 3);
      seen.add(trials[k]!.internalParams.c!);
    }
    expect(seen.size).toBe(4);
  });

  it('reproduces with a seed; a single-valued parameter gets 0', () => {
    const space = { x: floatDistribution(-3, 3), y: floatDistribution(-3, 3), k: intDistribution(2, 2) };
    const trials = syntheticTrials(300, space, (p) => (p.x as number) ** 2 + Math.sin(p.y as number), 2);
    const a = new FanovaImportanceEvaluator({ nTrees: 8, seed: 4 }).evaluate(
      trials,
      ['minimize'],
      ['x', 'y', 'k'],
      undefined,
    );
    const b = new FanovaImportanceEvaluator({ nTrees: 8, seed: 4 }).evaluate(
      trials,
      ['minimize'],
      ['x', 'y', 'k'],
      undefined,
    );
    const c = new FanovaImportanceEvaluator({ nTrees: 8, seed: 5 }).evaluate(
      trials,
      ['minimize'],
      ['x', 'y', 'k'],
      undefined,
    );
    expect(a).toEqual(b);
    expect(a.x).not.toBe(c.x);
    expect(a.k).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => new FanovaImportanceEvaluator({ nTrees: 0 })).toThrow(InvalidArgumentError);
    expect(() => new FanovaImportanceEvaluator({ maxDepth: 1.5 })).toThrow(/maxDepth/);
    expect(() => new FanovaImportanceEvaluator({ seed: Number.NaN })).toThrow(/seed/);
  });

  it('2,000 trials × 10 parameters take well under 2 s', () => {
    const space: Record<string, ReturnType<typeof floatDistribution>> = {};
    for (let j = 0; j < 10; j++) space[`p${j}`] = floatDistribution(0, 1);
    const trials = syntheticTrials(
      2000,
      space,
      (p) => {
        let s = 0;
        for (let j = 0; j < 10; j++) s += (j + 1) * Math.sin(3 * (p[`p${j}`] as number));
        return s;
      },
      11,
    );
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const imp = computeParamImportances(trials, ['minimize'], {});
    const cpu = process.cpuUsage(cpu0);
    const ms = performance.now() - start;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `fANOVA, 2000 trials × 10 params, 64 trees: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU`,
    );
    expect(Object.keys(imp)[0]).toBe('p9');
    // CPU time (this test runs in a process of its own): robust to other work on a shared machine.
    expect(cpuMs).toBeLessThan(2000);
  });
});
