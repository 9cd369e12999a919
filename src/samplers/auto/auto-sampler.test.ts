import { describe, expect, it } from 'vitest';
import { InMemoryStorage } from '../../storages/in-memory/in-memory-storage.js';
import { createStudy } from '../../study/create-study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import type { Trial } from '../../trial/trial.js';
import { AUTO_SAMPLER_ATTR, AutoSampler } from './auto-sampler.js';

describeSamplerConformance('AutoSampler', (seed) => new AutoSampler({ seed }), { nTrials: 25 });
describeSamplerConformance(
  'AutoSampler (2 objectives)',
  (seed) => new AutoSampler({ seed, gpMaxTrials: 12 }),
  {
    nTrials: 20,
    directions: ['minimize', 'minimize'],
  },
);

const picksOf = async (study: Awaited<ReturnType<typeof createStudy>>) =>
  (await study.getTrials()).map((t) => t.systemAttrs[AUTO_SAMPLER_ATTR]);

const twoParams = (t: Trial) => [t.suggestFloat('x', 0, 1), t.suggestFloat('y', 0, 1)] as const;

describe('AutoSampler', () => {
  it('uses the GP on small single-objective studies and TPE past gpMaxTrials, recording each pick', async () => {
    const study = await createStudy({ sampler: new AutoSampler({ seed: 1, gpMaxTrials: 14 }) });
    await study.optimize((t) => (t.suggestFloat('x', -3, 3) - 1) ** 2 + t.suggestInt('k', 0, 4), {
      nTrials: 18,
    });
    expect(await picksOf(study)).toEqual([...Array(14).fill('gp'), ...Array(4).fill('tpe')]);
  });

  it('uses the multi-objective GP on small budgets, then NSGA-II (2–3 objectives) with its generations', async () => {
    const study = await createStudy({
      directions: ['minimize', 'maximize'],
      sampler: new AutoSampler({ seed: 2, gpMaxTrials: 12, populationSize: 4 }),
    });
    await study.optimize(
      (t) => {
        const [x, y] = twoParams(t);
        return [x * x + y, (1 - x) * y];
      },
      { nTrials: 24 },
    );
    const trials = await study.getTrials();
    expect(trials.map((t) => t.systemAttrs[AUTO_SAMPLER_ATTR])).toEqual([
      ...Array(12).fill('gp'),
      ...Array(12).fill('nsga2'),
    ]);
    // afterTrial reaches NSGA-II: its generations advance every 4 complete trials.
    expect(trials.slice(12).map((t) => t.systemAttrs['nsga2:generation'])).toEqual([
      0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    ]);
  });

  it('uses TPE then NSGA-III with 4 objectives', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize', 'minimize', 'minimize'],
      sampler: new AutoSampler({ seed: 3, gpMaxTrials: 5, populationSize: 4 }),
    });
    await study.optimize(
      (t) => {
        const [x, y] = twoParams(t);
        return [x, y, 1 - x, 1 - y];
      },
      { nTrials: 8 },
    );
    expect(await picksOf(study)).toEqual([...Array(5).fill('tpe'), ...Array(3).fill('nsga3')]);
  });

  it('keeps the GP when few parameters are conditional (mixed_mlp-like)', async () => {
    const study = await createStudy({ sampler: new AutoSampler({ seed: 6 }) });
    await study.enqueueTrial({ opt: 'sgd' });
    await study.enqueueTrial({ opt: 'adam' });
    await study.optimize(
      (t) => {
        const opt = t.suggestCategorical('opt', ['sgd', 'adam']);
        const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
        const units = t.suggestInt('units', 1, 64);
        const momentum = opt === 'sgd' ? t.suggestFloat('momentum', 0, 0.99) : 0;
        return lr * units * (1 - momentum);
      },
      { nTrials: 6 },
    );
    expect(await picksOf(study)).toEqual(Array(6).fill('gp'));
  });

  it('uses TPE for mostly conditional spaces, for one objective or several', async () => {
    const conditional = (t: Trial) => {
      const kind = t.suggestCategorical('kind', ['a', 'b']);
      return kind === 'a' ? t.suggestFloat('xa', 0, 1) : t.suggestFloat('xb', 0, 1) + 0.5;
    };
    const single = await createStudy({ sampler: new AutoSampler({ seed: 4 }) });
    await single.enqueueTrial({ kind: 'a' });
    await single.enqueueTrial({ kind: 'b' });
    await single.optimize(conditional, { nTrials: 5 });
    // Trial 1 sees one complete trial (all of the parameters seen so far): still fixed. From
    // trial 2 on, trial 0 lacks 'xb'.
    expect(await picksOf(single)).toEqual(['gp', 'gp', 'tpe', 'tpe', 'tpe']);

    const multi = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new AutoSampler({ seed: 4, gpMaxTrials: 3 }),
    });
    await multi.enqueueTrial({ kind: 'a' });
    await multi.enqueueTrial({ kind: 'b' });
    await multi.optimize((t) => [conditional(t), 1], { nTrials: 5 });
    expect(await picksOf(multi)).toEqual(['gp', 'gp', 'tpe', 'tpe', 'tpe']);
  });

  it('uses TPE for large spaces', async () => {
    const wide = await createStudy({ sampler: new AutoSampler({ seed: 3, gpMaxParams: 3 }) });
    await wide.optimize((t) => [0, 1, 2, 3].reduce((s, i) => s + t.suggestFloat(`x${i}`, 0, 1), 0), {
      nTrials: 3,
    });
    // The first trial knows no parameters yet; from the second on the space has 4 > 3.
    expect(await picksOf(wide)).toEqual(['gp', 'tpe', 'tpe']);
  });

  it('decides from the study alone: a second worker (a new instance) continues the same phases', async () => {
    const storage = new InMemoryStorage();
    const objective = (t: Trial) => {
      const [x, y] = twoParams(t);
      return [x + y, 2 - x - y * y];
    };
    const options = { storage, studyName: 'shared', directions: ['minimize', 'minimize'] as const };
    const first = await createStudy({ ...options, sampler: new AutoSampler({ seed: 5, gpMaxTrials: 8 }) });
    await first.optimize(objective, { nTrials: 6 });
    const second = await createStudy({
      ...options,
      loadIfExists: true,
      sampler: new AutoSampler({ seed: 5, gpMaxTrials: 8 }),
    });
    await second.optimize(objective, { nTrials: 4 });
    expect(await picksOf(second)).toEqual([...Array(8).fill('gp'), 'nsga2', 'nsga2']);
  });

  it('rejects invalid options, and is the default sampler of createStudy', async () => {
    expect(() => new AutoSampler({ gpMaxTrials: -1 })).toThrow(/gpMaxTrials/);
    expect(() => new AutoSampler({ populationSize: 1 })).toThrow(/populationSize/);
    const study = await createStudy();
    expect(study.sampler.name).toBe('auto');
  });
});
