/**
 * TPE memoises per study (src/samplers/tpe/study-cache.ts); memoisation must never change a
 * suggestion: a fresh sampler with the same seed, on the same snapshot, suggests the same.
 */
import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { createStudy } from '../../study/create-study.js';
import type { Study } from '../../study/study.js';
import { makeView } from '../../study/study-view.js';
import { BENCH_PROBLEMS } from '../../testing/problems.js';
import type { StudyView } from '../base.js';
import { TPESampler } from './tpe-sampler.js';

async function viewOf(study: Study): Promise<StudyView> {
  const trials = await study.storage.getAllTrials(study.studyId);
  const registry = await study.storage.getParamDistributions(study.studyId);
  return makeView(
    {
      studyId: study.studyId,
      studyName: study.studyName,
      directions: study.directions,
      storage: study.storage,
    },
    trials,
    registry,
  );
}

/** Everything a sampler would suggest for `trial` on `view`. */
function suggestions(sampler: TPESampler, view: StudyView, trial: FrozenTrial): unknown {
  const space = sampler.inferRelativeSearchSpace(view);
  const relative = sampler.sampleRelative(view, trial, space);
  const independent: Record<string, number> = {};
  for (const [name, d] of Object.entries(view.paramDistributions))
    independent[name] = sampler.sampleIndependent(view, trial, name, d);
  return { relative, independent };
}

async function expectFreshAgrees(study: Study, sampler: TPESampler, seed: number): Promise<void> {
  const trial = await study.storage.createTrial(study.studyId, { state: 'running' });
  const view = await viewOf(study);
  const memo = suggestions(sampler, view, trial);
  expect(memo).toEqual(suggestions(new TPESampler({ seed }), view, trial));
  await study.storage.finishTrial(trial.trialId, 'fail', null);
}

describe('TPESampler memoisation', () => {
  it('a fresh sampler on the same snapshot suggests the same (sequential, conditional space)', async () => {
    const sampler = new TPESampler({ seed: 11 });
    const study = await createStudy({ sampler });
    const p = BENCH_PROBLEMS.mixed_mlp!;
    for (const n of [12, 25, 40]) {
      await study.optimize((t) => p.objective(t), { nTrials: n - (await study.getTrials()).length });
      await expectFreshAgrees(study, sampler, 11);
    }
  });

  it('… with trials finishing out of order, running trials, ties and an older snapshot', async () => {
    const sampler = new TPESampler({ seed: 5 });
    const study = await createStudy({ sampler });
    await study.optimize(
      async (t) => {
        const x = t.suggestFloat('x', 0, 1, { step: 0.25 });
        const k = t.suggestInt('k', 1, 4);
        const y = t.suggestFloat('y', 1e-3, 1, { log: true });
        await new Promise((r) => setTimeout(r, (t.number * 7) % 5));
        return (x - 0.5) ** 2 + (k - 2) ** 2 + Math.log(y) ** 2;
      },
      { nTrials: 40, concurrency: 5 },
    );
    const old = await viewOf(study);
    const running = await Promise.all([study.ask(), study.ask()]);
    for (const t of running) {
      t.suggestFloat('x', 0, 1, { step: 0.25 });
      t.suggestInt('k', 1, 4);
      t.suggestFloat('y', 1e-3, 1, { log: true });
      await t.flush();
    }
    await expectFreshAgrees(study, sampler, 5);
    // Back to the older snapshot: answered as a fresh sampler would.
    const trial = old.trials.find((t) => t.state === 'complete')!;
    expect(suggestions(sampler, old, trial)).toEqual(suggestions(new TPESampler({ seed: 5 }), old, trial));
    await expectFreshAgrees(study, sampler, 5);
  });

  it('keeps studies of different storages apart', async () => {
    const sampler = new TPESampler({ seed: 2 });
    const a = await createStudy({ sampler });
    const b = await createStudy({ sampler });
    expect(a.studyId).toBe(b.studyId);
    await a.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 20 });
    await b.optimize((t) => -t.suggestFloat('x', 0, 1), { nTrials: 20 });
    await expectFreshAgrees(a, sampler, 2);
    await expectFreshAgrees(b, sampler, 2);
  });
});
