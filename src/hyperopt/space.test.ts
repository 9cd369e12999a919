import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { rand, tpe } from './algos.js';
import { fmin } from './fmin.js';
import { hp, type Sample } from './hp.js';
import { compileSpace, spaceEval } from './space.js';
import { Trials } from './trials.js';

const nested = {
  lr: hp.loguniform('lr', Math.log(1e-4), Math.log(1e-1)),
  model: hp.choice('model', [
    { kind: 'mlp' as const, layers: hp.quniform('layers', 1, 4, 1), act: hp.choice('act', ['relu', 'tanh']) },
    { kind: 'svm' as const, c: hp.loguniform('c', Math.log(0.01), Math.log(100)) },
    'none',
  ]),
  fixed: [1, 'two', { three: 3 }],
};

describe('search spaces', () => {
  it('fills nested objects, arrays and literals, sampling only the active branch', async () => {
    const trials = new Trials();
    const seen: Sample<typeof nested>[] = [];
    await fmin({
      fn: (args) => {
        seen.push(args);
        return args.lr;
      },
      space: nested,
      algo: rand.suggest,
      maxEvals: 60,
      trials,
      seed: 5,
    });
    const kinds = new Set<string>();
    for (const [i, args] of seen.entries()) {
      expect(args.fixed).toEqual([1, 'two', { three: 3 }]);
      const vals = trials.trials[i]!.misc.vals;
      const sampled = Object.keys(vals)
        .filter((k) => vals[k]!.length > 0)
        .sort();
      if (args.model === 'none') {
        kinds.add('none');
        expect(sampled).toEqual(['lr', 'model']);
      } else if (args.model.kind === 'mlp') {
        kinds.add('mlp');
        expect(sampled).toEqual(['act', 'layers', 'lr', 'model']);
        expect(Object.keys(args.model).sort()).toEqual(['act', 'kind', 'layers']);
      } else {
        kinds.add('svm');
        expect(sampled).toEqual(['c', 'lr', 'model']);
      }
      // The tunekit trial has exactly the active parameters.
    }
    expect(kinds).toEqual(new Set(['mlp', 'svm', 'none']));
    const frozen = await trials.study!.getTrials();
    for (const [i, t] of frozen.entries()) {
      const active = Object.keys(trials.trials[i]!.misc.vals).filter(
        (k) => trials.trials[i]!.misc.vals[k]!.length > 0,
      );
      expect(Object.keys(t.params).sort()).toEqual(active.sort());
    }
  });

  it('TPE runs on a conditional space too', async () => {
    const best = await fmin({
      fn: (a) => (a.model === 'none' ? 1 : a.model.kind === 'mlp' ? Math.abs(a.model.layers - 3) * 0.1 : 0.5),
      space: nested,
      algo: tpe.suggest,
      maxEvals: 40,
      seed: 2,
    });
    expect(best.model).toBe(0);
    expect(best.layers).toBe(3);
  });

  it('infers the type fn receives', () => {
    expectTypeOf<Sample<typeof nested>['lr']>().toEqualTypeOf<number>();
    expectTypeOf<Sample<typeof nested>['model']>().toEqualTypeOf<
      { kind: 'mlp'; layers: number; act: 'relu' | 'tanh' } | { kind: 'svm'; c: number } | 'none'
    >();
  });

  it('spaceEval turns argmin (choice indices) into the configuration', () => {
    expect(spaceEval(nested, { lr: 0.01, model: 0, layers: 2, act: 1 })).toEqual({
      lr: 0.01,
      model: { kind: 'mlp', layers: 2, act: 'tanh' },
      fixed: [1, 'two', { three: 3 }],
    });
    expect(spaceEval(nested, { lr: [0.5], model: [2] })).toEqual({
      lr: 0.5,
      model: 'none',
      fixed: [1, 'two', { three: 3 }],
    });
    expect(() => spaceEval(nested, { lr: 0.01, model: 1 })).toThrow(/no value for 'c'/);
    expect(() => spaceEval(nested, { lr: 0.01, model: 7 })).toThrow(/index 0…2/);
  });

  it('returnArgmin: false resolves to the evaluated best configuration', async () => {
    const space = { x: hp.uniform('x', -1, 1), k: hp.choice('k', ['a', 'b']) };
    const trials = new Trials();
    const best = await fmin({
      fn: ({ x, k }) => x * x + (k === 'b' ? 0 : 1),
      space,
      algo: rand.suggest,
      maxEvals: 30,
      trials,
      seed: 1,
      returnArgmin: false,
    });
    expect(best).toEqual(spaceEval(space, trials.argmin));
    expect(best.k).toBe('b');
  });

  it('rejects two expressions with one label, and cycles; a shared expression is fine', () => {
    expect(() => compileSpace({ a: hp.uniform('x', 0, 1), b: hp.uniform('x', 0, 1) })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      compileSpace(hp.choice('c', [{ a: hp.uniform('x', 0, 1) }, { b: hp.randint('x', 3) }])),
    ).toThrow(/label 'x' is used by two different expressions/);
    const shared = hp.uniform('x', 0, 1);
    expect([...compileSpace({ a: shared, b: [shared] }).nodes.keys()]).toEqual(['x']);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => compileSpace(cyclic)).toThrow(/cycle/);
  });

  it('a shared expression takes one value per trial', async () => {
    const shared = hp.uniform('x', 0, 1);
    await fmin({
      fn: ({ a, b }) => {
        expect(a).toBe(b[0]);
        return a;
      },
      space: { a: shared, b: [shared] },
      algo: rand.suggest,
      maxEvals: 5,
      seed: 1,
    });
  });
});
