import { describe, expect, it } from 'vitest';
import { suggestAll } from '../cli/space.js';
import { SearchSpaceSchema, validateStudyData } from '../cli/study-file.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { createStudy } from '../study/create-study.js';
import { InvalidSpaceError } from './errors.js';
import { spaceFromJson } from './from-json.js';
import { choice, float, int, when } from './nodes.js';
import { sampleSpace } from './sample-space.js';
import { paramsOf, space } from './space.js';
import { spaceToJson } from './to-json.js';

const s = space({
  lr: float(1e-5, 1e-1, { log: true }),
  dropout: float(0, 0.5, { step: 0.1 }),
  layers: int(1, 4),
  units: int(16, 256, { step: 16 }),
  activation: choice(['relu', 'tanh']),
  optimizer: choice({
    sgd: {
      momentum: float(0, 0.99),
      schedule: choice({ constant: {}, cosine: { warmup: int(0, 10) } }),
      decay: when('schedule', 'constant', float(0, 1)),
    },
    adam: { beta1: float(0.8, 0.999), amsgrad: choice([true, false]) },
  }),
  l2: when({ layers: [3, 4], activation: 'relu' }, float(1e-6, 1e-2, { log: true })),
});

describe('spaceToJson', () => {
  it('writes the study file schema, flat, with conditions for the branches', () => {
    const json = spaceToJson(s);
    expect(json).toEqual({
      lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
      dropout: { type: 'float', low: 0, high: 0.5, step: 0.1 },
      layers: { type: 'int', low: 1, high: 4 },
      units: { type: 'int', low: 16, high: 256, step: 16 },
      activation: { type: 'categorical', choices: ['relu', 'tanh'] },
      optimizer: { type: 'categorical', choices: ['sgd', 'adam'] },
      'optimizer.sgd.momentum': { type: 'float', low: 0, high: 0.99, when: { optimizer: 'sgd' } },
      'optimizer.sgd.schedule': {
        type: 'categorical',
        choices: ['constant', 'cosine'],
        when: { optimizer: 'sgd' },
      },
      'optimizer.sgd.schedule.cosine.warmup': {
        type: 'int',
        low: 0,
        high: 10,
        when: { optimizer: 'sgd', 'optimizer.sgd.schedule': 'cosine' },
      },
      'optimizer.sgd.decay': {
        type: 'float',
        low: 0,
        high: 1,
        when: { optimizer: 'sgd', 'optimizer.sgd.schedule': 'constant' },
      },
      'optimizer.adam.beta1': { type: 'float', low: 0.8, high: 0.999, when: { optimizer: 'adam' } },
      'optimizer.adam.amsgrad': { type: 'categorical', choices: [true, false], when: { optimizer: 'adam' } },
      l2: { type: 'float', low: 1e-6, high: 1e-2, log: true, when: { layers: [3, 4], activation: 'relu' } },
    });
    expect(SearchSpaceSchema.safeParse(json).success).toBe(true);
  });

  it("is a valid study file's params, and the CLI samples the same parameters", async () => {
    const params = JSON.parse(JSON.stringify(spaceToJson(s)));
    const result = validateStudyData(
      { study: 'x', params, command: 'echo {lr} {optimizer} {optimizer.sgd.momentum}' },
      { source: 'study.json', text: '', format: 'json' },
      null,
    );
    expect(result).toHaveProperty('file');
    // The random sampler draws from (seed, trial number, name): the same names give the same values.
    const cli = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    const lib = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    const kinds = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const a = await cli.ask();
      const { values } = suggestAll(a, params);
      const b = await lib.ask();
      const p = sampleSpace(b, s);
      kinds.add(p.optimizer.kind);
      expect(b.params).toEqual(a.params);
      expect(paramsOf(s, values)).toEqual(p);
      await cli.tell(a, 0);
      await lib.tell(b, 0);
    }
    expect(kinds.size).toBe(2);
  });
});

describe('spaceFromJson', () => {
  it('round-trips: the same parameters, conditions and nested params objects', () => {
    const back = spaceFromJson(JSON.parse(JSON.stringify(spaceToJson(s))));
    expect(back.params).toEqual(s.params);
    expect(spaceToJson(back)).toEqual(spaceToJson(s));
    const flat = {
      lr: 0.01,
      dropout: 0.2,
      layers: 3,
      units: 32,
      activation: 'relu',
      optimizer: 'sgd',
      'optimizer.sgd.momentum': 0.9,
      'optimizer.sgd.schedule': 'cosine',
      'optimizer.sgd.schedule.cosine.warmup': 4,
      l2: 1e-4,
    };
    const expected = {
      lr: 0.01,
      dropout: 0.2,
      layers: 3,
      units: 32,
      activation: 'relu',
      optimizer: { kind: 'sgd', momentum: 0.9, schedule: { kind: 'cosine', warmup: 4 } },
      l2: 1e-4,
    };
    expect(paramsOf(s, flat)).toEqual(expected);
    expect(paramsOf(back, flat)).toEqual(expected);
  });

  it('reads a hand-written study file space, with constraints passed again', () => {
    const back = spaceFromJson(
      {
        x: { type: 'float', low: 0, high: 1 },
        y: { type: 'float', low: 0, high: 1 },
        optimizer: { type: 'categorical', choices: ['sgd', 'adam'] },
        momentum: { type: 'float', low: 0, high: 0.99, when: { optimizer: 'sgd' } },
      },
      { constraints: [(p) => p.x + p.y <= 1] },
    );
    expect(back.params.map((p) => p.name)).toEqual(['x', 'y', 'optimizer', 'momentum']);
    expect(back.params[3]!.when).toEqual({ optimizer: ['sgd'] });
    expect(back.constraints).toHaveLength(1);
  });

  it('reports every problem of a bad space with its path', () => {
    let error: unknown;
    try {
      spaceFromJson({
        lr: { type: 'float', low: 1, high: 0 },
        n: { type: 'int', low: 0, high: 5, log: true },
        c: { type: 'categorical', choices: [] },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSpaceError);
    const message = (error as Error).message;
    expect(message).toMatch(/params\.lr|lr/);
    expect(message).toMatch(/low=1 is greater than high=0/);
    expect(message).toMatch(/log scale needs low ≥ 1/);
    expect(() =>
      spaceFromJson({
        optimizer: { type: 'categorical', choices: ['sgd', 'adam'] },
        m: { type: 'float', low: 0, high: 1, when: { optimizr: 'sgd' } },
      }),
    ).toThrow(
      /m\.when\.optimizr: condition on unknown parameter 'optimizr' \(hint: did you mean 'optimizer'\?\)/,
    );
    expect(message).toMatch(/at least 1 item/);
    expect(() => spaceFromJson(undefined)).toThrow(InvalidSpaceError);
    expect(() => spaceFromJson([1, 2])).toThrow(InvalidSpaceError);
  });
});
