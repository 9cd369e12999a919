import { createStudy, RandomSampler, type Trial } from 'tunekit';
import { describe, expect, it } from 'vitest';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';

describeSamplerConformance('RandomSampler', (seed) => new RandomSampler({ seed }));

describe('RandomSampler', () => {
  const objective = async (trial: Trial): Promise<number> => {
    const x = trial.suggestFloat('x', -1, 1);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    const c = trial.suggestCategorical('c', ['a', 'b', 'c']);
    return x * x + (c === 'a' ? 0 : 1);
  };

  it('gives each trial number the same values whatever the concurrency', async () => {
    const run = async (concurrency: number) => {
      const study = await createStudy({ sampler: new RandomSampler({ seed: 7 }) });
      await study.optimize(objective, { nTrials: 12, concurrency });
      return (await study.getTrials()).map((t) => t.params);
    };
    expect(await run(4)).toEqual(await run(1));
  });

  it('draws roughly uniformly', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((trial) => trial.suggestFloat('u', 0, 1), { nTrials: 400 });
    const values = (await study.getTrials()).map((t) => t.params.u as number);
    const bins = [0, 0, 0, 0];
    for (const v of values) bins[Math.min(3, Math.floor(v * 4))]!++;
    for (const b of bins) expect(b).toBeGreaterThan(70); // expected 100 each
  });
});
