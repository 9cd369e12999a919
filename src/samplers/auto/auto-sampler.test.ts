import { describe, expect, it } from 'vitest';
import { createStudy } from '../../study/create-study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import { AUTO_SAMPLER_ATTR, AutoSampler } from './auto-sampler.js';

describeSamplerConformance('AutoSampler', (seed) => new AutoSampler({ seed }), { nTrials: 25 });

describe('AutoSampler', () => {
  it('uses the GP on small single-objective studies and TPE past gpMaxTrials, recording each pick', async () => {
    const study = await createStudy({ sampler: new AutoSampler({ seed: 1, gpMaxTrials: 14 }) });
    await study.optimize((t) => (t.suggestFloat('x', -3, 3) - 1) ** 2 + t.suggestInt('k', 0, 4), {
      nTrials: 18,
    });
    const picks = (await study.getTrials()).map((t) => t.systemAttrs[AUTO_SAMPLER_ATTR]);
    expect(picks).toEqual([...Array(14).fill('gp'), ...Array(4).fill('tpe')]);
  });

  it('uses TPE for several objectives and for large spaces', async () => {
    const multi = await createStudy({
      directions: ['minimize', 'maximize'],
      sampler: new AutoSampler({ seed: 2 }),
    });
    await multi.optimize((t) => [t.suggestFloat('x', 0, 1), t.suggestFloat('y', 0, 1)], { nTrials: 3 });
    expect((await multi.getTrials()).map((t) => t.systemAttrs[AUTO_SAMPLER_ATTR])).toEqual([
      'tpe',
      'tpe',
      'tpe',
    ]);

    const wide = await createStudy({ sampler: new AutoSampler({ seed: 3, gpMaxParams: 3 }) });
    await wide.optimize((t) => [0, 1, 2, 3].reduce((s, i) => s + t.suggestFloat(`x${i}`, 0, 1), 0), {
      nTrials: 3,
    });
    // The first trial knows no parameters yet; from the second on the space has 4 > 3.
    expect((await wide.getTrials()).map((t) => t.systemAttrs[AUTO_SAMPLER_ATTR])).toEqual([
      'gp',
      'tpe',
      'tpe',
    ]);
  });

  it('is the default sampler of createStudy', async () => {
    const study = await createStudy();
    expect(study.sampler.name).toBe('auto');
  });
});
