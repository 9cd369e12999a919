import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { createStudy } from '../study/create-study.js';
import { InfeasibleSpaceError, InvalidSpaceError } from './errors.js';
import { choice, float, int, when } from './nodes.js';
import { SPACE_REDRAWS_ATTR, sampleSpace } from './sample-space.js';
import { flatParamsOf, type InferParams, paramsOf, space } from './space.js';

const mlp = space({
  lr: float(1e-5, 1e-1, { log: true }),
  layers: int(1, 4),
  activation: choice(['relu', 'tanh']),
  optimizer: choice({
    sgd: { momentum: float(0, 0.99), nesterov: choice([true, false]) },
    adam: { beta1: float(0.8, 0.999) },
  }),
  dropout: when('layers', [3, 4], float(0, 0.5)),
});

describe('InferParams', () => {
  it('infers numbers, literal choices, discriminated unions and optional conditionals', () => {
    type P = InferParams<typeof mlp>;
    expectTypeOf<P['lr']>().toEqualTypeOf<number>();
    expectTypeOf<P['layers']>().toEqualTypeOf<number>();
    expectTypeOf<P['activation']>().toEqualTypeOf<'relu' | 'tanh'>();
    expectTypeOf<P['optimizer']>().toEqualTypeOf<
      { kind: 'sgd'; momentum: number; nesterov: boolean } | { kind: 'adam'; beta1: number }
    >();
    expectTypeOf<P>().toHaveProperty('dropout');
    expectTypeOf<P['dropout']>().toEqualTypeOf<number | undefined>();
    // dropout is optional: an object without it is a P.
    expectTypeOf<{
      lr: number;
      layers: number;
      activation: 'relu';
      optimizer: { kind: 'adam'; beta1: number };
    }>().toExtend<P>();
  });

  it('makes a wrong key or type a compile error', () => {
    const use = (p: InferParams<typeof mlp>): number => {
      // @ts-expect-error: no such parameter
      const a = p.learningRate;
      // @ts-expect-error: activation is 'relu' | 'tanh', not a number
      const b: number = p.activation;
      // @ts-expect-error: 'elu' is not one of the choices
      const c = p.activation === 'elu';
      // @ts-expect-error: momentum exists only on the sgd branch
      const d = p.optimizer.momentum;
      if (p.optimizer.kind === 'sgd') return p.optimizer.momentum + (p.dropout ?? 0);
      return p.optimizer.beta1 + String([a, b, c, d]).length;
    };
    expect(typeof use).toBe('function');
  });

  it('infers literals from as const, numbers and a custom tag', () => {
    const s = space({
      opt: choice(['adam', 'sgd'] as const),
      batch: choice([16, 32, 64]),
      model: choice(
        { knn: { k: int(1, 15) }, logreg: { c: float(1e-3, 100, { log: true }) } },
        { tag: 'type' },
      ),
    });
    type P = InferParams<typeof s>;
    expectTypeOf<P['opt']>().toEqualTypeOf<'adam' | 'sgd'>();
    expectTypeOf<P['batch']>().toEqualTypeOf<16 | 32 | 64>();
    expectTypeOf<P['model']>().toEqualTypeOf<{ type: 'knn'; k: number } | { type: 'logreg'; c: number }>();
  });

  it('makes a condition on an unknown parameter a compile error', () => {
    const ok = () =>
      space({
        layers: int(1, 3),
        o: choice({
          a: { s: choice(['x', 'y']), w: when('s', 'x', int(0, 3)), d: when({ layers: 2 }, float(0, 1)) },
          b: {},
        }),
        full: when('o.a.s', 'x', float(0, 1)),
      });
    // @ts-expect-error: 'layrs' is not a parameter
    const typo = () => space({ layers: int(1, 3), dropout: when('layrs', [3], float(0, 0.5)) });
    // @ts-expect-error: 'nope' is neither in the branch nor above it
    const inBranch = () => space({ o: choice({ a: { m: when('nope', 1, float(0, 1)) }, b: {} }) });
    expect(ok().params).toHaveLength(6);
    expect(typo).toThrow(/unknown parameter 'layrs'/);
    expect(inBranch).toThrow(/unknown parameter 'nope'/);
  });

  it('makes a conditional nested choice an optional union', async () => {
    const s = space({
      regularize: choice([true, false]),
      penalty: when('regularize', true, choice({ l1: { alpha: float(0, 1) }, l2: { lambda: float(0, 1) } })),
    });
    type P = InferParams<typeof s>;
    expectTypeOf<P['penalty']>().toEqualTypeOf<
      { kind: 'l1'; alpha: number } | { kind: 'l2'; lambda: number } | undefined
    >();
    expect(s.params.map((p) => [p.name, p.when])).toEqual([
      ['regularize', {}],
      ['penalty', { regularize: [true] }],
      ['penalty.l1.alpha', { regularize: [true], penalty: ['l1'] }],
      ['penalty.l2.lambda', { regularize: [true], penalty: ['l2'] }],
    ]);
    const study = await createStudy({ sampler: new RandomSampler({ seed: 8 }) });
    await study.optimize(
      s,
      (p) => {
        expect(p.penalty === undefined).toBe(!p.regularize);
        return 0;
      },
      { nTrials: 10 },
    );
  });

  it('types the constraints with the params object', () => {
    space(
      { x: float(0, 1), y: float(0, 1) },
      {
        constraints: [
          (p) => {
            expectTypeOf(p).toEqualTypeOf<{ x: number; y: number }>();
            return p.x + p.y <= 1;
          },
          // @ts-expect-error: z is not a parameter
          (p) => p.z <= 1,
        ],
      },
    );
  });
});

describe('space', () => {
  it('flattens nested branches into named trial parameters, in declaration order', () => {
    expect(mlp.params.map((p) => p.name)).toEqual([
      'lr',
      'layers',
      'activation',
      'optimizer',
      'optimizer.sgd.momentum',
      'optimizer.sgd.nesterov',
      'optimizer.adam.beta1',
      'dropout',
    ]);
    const byName = Object.fromEntries(mlp.params.map((p) => [p.name, p]));
    expect(byName.optimizer!.distribution).toEqual({ type: 'categorical', choices: ['sgd', 'adam'] });
    expect(byName['optimizer.sgd.momentum']!.when).toEqual({ optimizer: ['sgd'] });
    expect(byName.dropout!.when).toEqual({ layers: [3, 4] });
    expect(byName.lr!.distribution).toEqual({ type: 'float', low: 1e-5, high: 1e-1, log: true, step: null });
  });

  it('resolves conditions in a branch against the branch first, then the enclosing scopes', () => {
    const s = space({
      layers: int(1, 3),
      optimizer: choice({
        sgd: {
          schedule: choice(['constant', 'cosine']),
          warmup: when('schedule', 'cosine', int(0, 10)),
          decay: when({ layers: [2, 3], schedule: 'constant' }, float(0, 1)),
        },
        adam: { amsgrad: choice([true, false]) },
      }),
    });
    const byName = Object.fromEntries(s.params.map((p) => [p.name, p.when]));
    expect(byName['optimizer.sgd.warmup']).toEqual({
      optimizer: ['sgd'],
      'optimizer.sgd.schedule': ['cosine'],
    });
    expect(byName['optimizer.sgd.decay']).toEqual({
      optimizer: ['sgd'],
      layers: [2, 3],
      'optimizer.sgd.schedule': ['constant'],
    });
  });

  it('rejects bad spaces with typed errors that say what to fix', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => space({ x: float(1, 0) }), /'x'.*low=1 is greater than high=0/],
      [() => space({ x: float(0, 1, { log: true }) }), /'x'.*log scale needs low > 0/],
      [() => space({ n: int(0, 10, { log: true }) }), /'n'.*log scale needs low ≥ 1/],
      [() => space({ x: float(0, 1, { step: -1 }) }), /step must be a positive/],
      [() => space({ n: int(1.5, 3) }), /integer bounds/],
      [() => space({ c: choice([]) }), /'c'.*at least one value/],
      [() => space({ c: choice(['a', 'a']) }), /appears twice/],
      [() => space({ o: choice({}) }), /no branch/],
      [() => space({ o: choice({ a: {}, b: {} }) }), /write choice\(\["a","b"\]\)/],
      // @ts-expect-error: the type check names the unknown parameter too
      [() => space({ m: when('opt', 'sgd', float(0, 1)) }), /unknown parameter 'opt'/],
      [
        () => space({ m: when('opt', 'sgd', float(0, 1)), opt: choice(['sgd', 'adam']) }),
        /declared after it/,
      ],
      [
        () => space({ opt: choice(['sgd', 'adam']), m: when('opt', 'rmsprop', float(0, 1)) }),
        /"rmsprop" is not a possible value of 'opt'/,
      ],
      [
        () => space({ 'o.a.x': float(0, 1), o: choice({ a: { x: float(0, 1) }, b: {} }) }),
        /'o\.a\.x' is used twice/,
      ],
      [() => space({ o: choice({ a: { kind: float(0, 1) } }) }), /named 'kind'/],
      [() => space({ 'bad name': float(0, 1) }), /not allowed/],
      [() => space({ x: 3 as never }), /not a space node/],
    ];
    for (const [build, message] of bad) {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).toBeInstanceOf(InvalidSpaceError);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('sampleSpace', () => {
  it('samples typed params through the trial; inactive parameters are absent', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    const seen = new Set<string>();
    await study.optimize(
      (trial) => {
        const p = sampleSpace(trial, mlp);
        expect(p.lr).toBeGreaterThanOrEqual(1e-5);
        expect(['relu', 'tanh']).toContain(p.activation);
        expect('dropout' in p).toBe(p.layers >= 3);
        seen.add(p.optimizer.kind);
        if (p.optimizer.kind === 'sgd') {
          expect(Object.keys(p.optimizer).sort()).toEqual(['kind', 'momentum', 'nesterov']);
          expect(trial.params['optimizer.sgd.momentum']).toBe(p.optimizer.momentum);
          expect(Object.hasOwn(trial.params, 'optimizer.adam.beta1')).toBe(false);
        } else {
          expect(Object.keys(p.optimizer).sort()).toEqual(['beta1', 'kind']);
        }
        expect(paramsOf(mlp, trial.params)).toEqual(p);
        return p.lr;
      },
      { nTrials: 30 },
    );
    expect(seen).toEqual(new Set(['sgd', 'adam']));
  });

  it('is reproducible with a seeded sampler, and mixes with define-by-run', async () => {
    const run = async () => {
      const study = await createStudy({ sampler: new RandomSampler({ seed: 11 }) });
      await study.optimize(
        (trial) => {
          const p = sampleSpace(trial, mlp);
          return p.lr + trial.suggestFloat('extra', 0, 1);
        },
        { nTrials: 5 },
      );
      return (await study.getTrials()).map((t) => t.params);
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a.every((p) => typeof p.extra === 'number' && typeof p.lr === 'number')).toBe(true);
  });

  it('keeps enqueued values and redraws only the free parameters to meet a constraint', async () => {
    const s = space({ x: float(0, 1), y: float(0, 1) }, { constraints: [(p) => p.x + p.y <= 1] });
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.enqueueTrial({ x: 0.9 });
    await study.optimize(
      (trial) => {
        const p = sampleSpace(trial, s);
        return p.x + p.y;
      },
      { nTrials: 1 },
    );
    const [t] = await study.getTrials();
    expect(t!.params.x).toBe(0.9);
    expect((t!.params.y as number) <= 0.1 + 1e-12).toBe(true);
  });

  it('records how many redraws a constrained trial took', async () => {
    const s = space({ x: float(0, 1), y: float(0, 1) }, { constraints: [(p) => p.x + p.y <= 0.2] });
    const study = await createStudy({ sampler: new RandomSampler({ seed: 4 }) });
    await study.optimize(s, (p) => p.x, { nTrials: 20 });
    const redraws = (await study.getTrials()).map((t) => t.systemAttrs[SPACE_REDRAWS_ATTR]);
    // The feasible region is 2% of the square: most proposals need redraws, a few do not.
    expect(redraws.filter((r) => typeof r === 'number' && r > 0).length).toBeGreaterThan(10);
    expect(redraws.every((r) => r === undefined || (typeof r === 'number' && r <= 1000))).toBe(true);
  });

  it('fails the trial with InfeasibleSpaceError when no point satisfies the constraints', async () => {
    const s = space(
      { x: float(0, 1), y: float(0, 1) },
      { constraints: [(p) => p.x + p.y > 2], maxRedraws: 50 },
    );
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const trial = await study.ask();
    expect(() => sampleSpace(trial, s)).toThrow(InfeasibleSpaceError);
    expect(() => sampleSpace(trial, s)).toThrow(/nearly\) infeasible/);
    expect(trial.params).toEqual({});
  });

  it('rejects a constraint that does not return a boolean', async () => {
    const s = space({ x: float(0, 1) }, { constraints: [(p) => (p.x - 2) as unknown as boolean] });
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    const trial = await study.ask();
    expect(() => sampleSpace(trial, s)).toThrow(/returned -?[\d.]+, not a boolean/);
  });
});

describe('flatParamsOf', () => {
  it('is the inverse of paramsOf, for enqueueing typed params', async () => {
    const p: InferParams<typeof mlp> = {
      lr: 0.01,
      layers: 3,
      activation: 'tanh',
      optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true },
      dropout: 0.25,
    };
    const flat = flatParamsOf(mlp, p);
    expect(flat).toEqual({
      lr: 0.01,
      layers: 3,
      activation: 'tanh',
      optimizer: 'sgd',
      'optimizer.sgd.momentum': 0.9,
      'optimizer.sgd.nesterov': true,
      dropout: 0.25,
    });
    expect(paramsOf(mlp, flat)).toEqual(p);
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.enqueueTrial(flat);
    let got: unknown;
    await study.optimize(
      mlp,
      (q) => {
        got = q;
        return 0;
      },
      { nTrials: 1 },
    );
    expect(got).toEqual(p);
    expect(() => flatParamsOf(mlp, { ...p, optimizer: { kind: 'rmsprop' } as never })).toThrow(
      /'optimizer' needs an object with kind: "sgd" \| "adam"/,
    );
  });
});
