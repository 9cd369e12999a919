import { describe, expect, it } from 'vitest';
import { InMemoryStorage } from '../../storages/in-memory/index.js';
import { createStudy } from '../../study/create-study.js';
import type { Study } from '../../study/study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import type { Trial } from '../../trial/trial.js';
import { CMAES_OPTIMIZER_ATTR, CMAES_STATE_ATTR, CmaEsSampler } from './cmaes-sampler.js';

interface StoredOptimizer {
  epoch: number;
  seed: number;
  restarts: number;
  cma: { lambda: number };
}

async function optimizer(study: Study): Promise<StoredOptimizer> {
  const pointer = (await study.storage.getStudySystemAttrs(study.studyId))[CMAES_OPTIMIZER_ATTR] as {
    trialId: number;
    epoch: number;
  };
  const raw = (await study.storage.getTrial(pointer.trialId)).systemAttrs[CMAES_STATE_ATTR];
  expect(typeof raw).toBe('string'); // JSON text, its arrays packed
  const opt = JSON.parse(raw as string) as StoredOptimizer;
  expect(opt.epoch).toBe(pointer.epoch);
  return opt;
}

describeSamplerConformance('CmaEsSampler', (seed) => new CmaEsSampler({ seed }));
describeSamplerConformance(
  'CmaEsSampler (separable, bipop)',
  (seed) => new CmaEsSampler({ seed, separable: true, restartStrategy: 'bipop', popsize: 4 }),
  { nTrials: 30 },
);

const sphere = (trial: Trial): number => {
  let s = 0;
  for (let i = 0; i < 4; i++) s += (trial.suggestFloat(`x${i}`, -5, 5) - 1) ** 2;
  return s;
};

describe('CmaEsSampler', () => {
  it('converges on a 4-D sphere far better than random', async () => {
    const study = await createStudy({ sampler: new CmaEsSampler({ seed: 1 }) });
    await study.optimize(sphere, { nTrials: 300 });
    expect(await study.bestValue()).toBeLessThan(1e-3);
  });

  it('keeps its state in storage: a second sampler on the same study continues the search', async () => {
    const storage = new InMemoryStorage();
    const a = await createStudy({ storage, studyName: 's', sampler: new CmaEsSampler({ seed: 1 }) });
    await a.optimize(sphere, { nTrials: 100 });
    const before = await optimizer(a);
    const b = await createStudy({
      storage,
      studyName: 's',
      loadIfExists: true,
      sampler: new CmaEsSampler({ seed: 99 }),
    });
    await b.optimize(sphere, { nTrials: 100 });
    const after = await optimizer(b);
    expect(after.epoch).toBeGreaterThan(before.epoch + 10);
    expect(after.seed).toBe(1); // the stored optimizer's seed, not the new sampler's
    expect(await b.bestValue()).toBeLessThan(1e-2);
  });

  it('shares one optimizer between concurrent workers', async () => {
    const study = await createStudy({ sampler: new CmaEsSampler({ seed: 2 }) });
    await study.optimize(
      async (t) => {
        const v = sphere(t);
        await new Promise((r) => setTimeout(r, 1));
        return v;
      },
      { nTrials: 160, concurrency: 4 },
    );
    expect((await optimizer(study)).epoch).toBeGreaterThan(10);
    expect(await study.bestValue()).toBeLessThan(0.5);
  });

  it('restarts with a larger population (ipop) once the run stalls', async () => {
    const study = await createStudy({
      sampler: new CmaEsSampler({ seed: 3, restartStrategy: 'ipop', popsize: 4 }),
    });
    await study.optimize(
      (t) => Math.round(t.suggestFloat('x', 0, 1)) + Math.round(t.suggestFloat('y', 0, 1)),
      {
        nTrials: 200,
      },
    );
    const opt = await optimizer(study);
    expect(opt.restarts).toBeGreaterThan(0);
    expect(opt.cma.lambda).toBeGreaterThanOrEqual(8);
  });

  it('warm-starts from earlier trials and moves integer parameters (margin)', async () => {
    const study = await createStudy({ sampler: new CmaEsSampler({ seed: 4 }) });
    await study.enqueueTrial({ k: 7, x: 0.2 });
    await study.enqueueTrial({ k: 2, x: 0.9 });
    const objective = (t: Trial) =>
      (t.suggestInt('k', 0, 10) - 7) ** 2 + (t.suggestFloat('x', 0, 1) - 0.2) ** 2;
    await study.optimize(objective, { nTrials: 2 });
    await study.optimize(objective, { nTrials: 80 });
    const trials = await study.getTrials();
    expect(trials[2]!.params.k).not.toBeUndefined();
    // The search starts near the best enqueued point and keeps trying more than one k.
    const ks = new Set(trials.slice(2).map((t) => t.params.k));
    expect(ks.size).toBeGreaterThan(1);
    expect(await study.bestValue()).toBeLessThan(1e-3);
  });

  it('samples at random (one warning) in a multi-objective study', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new CmaEsSampler({ seed: 5 }),
    });
    await study.optimize((t) => [t.suggestFloat('x', 0, 1), t.suggestFloat('y', 0, 1)], { nTrials: 5 });
    expect(await study.getTrials()).toHaveLength(5);
  });

  it('rejects bad options', () => {
    expect(() => new CmaEsSampler({ sigma0: 0 })).toThrow(/sigma0/);
    expect(() => new CmaEsSampler({ popsize: 1 })).toThrow(/popsize/);
    expect(() => new CmaEsSampler({ restartStrategy: 'x' as never })).toThrow(/restartStrategy/);
  });
});
