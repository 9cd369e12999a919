import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { choice, float, int, when } from '../space/nodes.js';
import { paramsOf, space } from '../space/space.js';
import type { Trial } from '../trial/trial.js';
import { createStudy } from './create-study.js';

const s = space({
  lr: float(1e-4, 1e-1, { log: true }),
  layers: int(1, 3),
  optimizer: choice({ sgd: { momentum: float(0, 0.99) }, adam: { beta1: float(0.8, 0.99) } }),
  dropout: when('layers', [3], float(0, 0.5)),
});

describe('study.optimize(space, objective)', () => {
  it('passes typed params and the trial; define-by-run parameters mix in', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize(
      s,
      (p, trial) => {
        expectTypeOf(p.lr).toEqualTypeOf<number>();
        expectTypeOf(p.dropout).toEqualTypeOf<number | undefined>();
        expectTypeOf(trial).toEqualTypeOf<Trial>();
        // @ts-expect-error: not a parameter of the space
        p.momentum;
        const extra = trial.suggestCategorical('scheduler', ['cosine', 'step']);
        const m = p.optimizer.kind === 'sgd' ? p.optimizer.momentum : p.optimizer.beta1;
        return p.lr * m + (extra === 'cosine' ? 0 : 1);
      },
      { nTrials: 12 },
    );
    const trials = await study.getTrials();
    expect(trials).toHaveLength(12);
    for (const t of trials) {
      expect(t.state).toBe('complete');
      expect(['cosine', 'step']).toContain(t.params.scheduler);
      const p = paramsOf(s, t.params);
      expect(p.layers === 3).toBe(p.dropout !== undefined);
      expect(Object.hasOwn(t.params, 'optimizer.sgd.momentum')).toBe(p.optimizer.kind === 'sgd');
    }
    // The classic form still works on the same study.
    await study.optimize((trial) => trial.suggestFloat('lr', 1e-4, 1e-1, { log: true }), { nTrials: 2 });
    expect(await study.getTrials()).toHaveLength(14);
  });

  it('fails a trial whose objective throws, as before', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize(
      s,
      () => {
        throw new Error('boom');
      },
      { nTrials: 2 },
    );
    expect((await study.getTrials()).map((t) => t.state)).toEqual(['fail', 'fail']);
  });

  it('needs an objective after the space', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    // @ts-expect-error: the objective is missing
    await expect(study.optimize(s, { nTrials: 1 })).rejects.toThrow(InvalidArgumentError);
    await expect(
      // @ts-expect-error: the objective is missing
      study.optimize(s),
    ).rejects.toThrow(/needs an objective function \(params, trial\)/);
  });
});
