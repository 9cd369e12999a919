import { describe, expect, it } from 'vitest';
import { createStudy } from '../../study/create-study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import type { Trial } from '../../trial/trial.js';
import { GRADIENT_PAIR_ATTR, GRADIENT_STATE_ATTR, GradientSampler } from './gradient-sampler.js';

describeSamplerConformance('GradientSampler', (seed) => new GradientSampler({ seed }));

const quadratic = (t: Trial): number =>
  (t.suggestFloat('x', -5, 5) - 1) ** 2 +
  3 * (t.suggestFloat('y', -5, 5) + 2) ** 2 +
  0.5 * t.suggestFloat('x', -5, 5) * t.suggestFloat('y', -5, 5);

describe('GradientSampler', () => {
  it('descends a smooth quadratic in pairs of trials', async () => {
    const study = await createStudy({ sampler: new GradientSampler({ seed: 1 }) });
    await study.optimize(quadratic, { nTrials: 120 });
    // The minimum of the quadratic is -1.2979 (at x ≈ 1.532, y ≈ -2.128).
    expect(await study.bestValue()).toBeLessThan(-1.29);
    const trials = await study.getTrials();
    const pairs = trials.slice(1, 5).map((t) => t.systemAttrs[GRADIENT_PAIR_ATTR]);
    expect(pairs).toEqual([
      [0, 0, 1],
      [0, 0, -1],
      [0, 1, 1],
      [0, 1, -1],
    ]);
  });

  it('restarts elsewhere once the run stalls, and keeps its state in storage', async () => {
    const study = await createStudy({ sampler: new GradientSampler({ seed: 2, patience: 2 }) });
    await study.optimize((t) => Math.round(t.suggestFloat('x', 0, 1)), { nTrials: 40 });
    const state = (await study.storage.getStudySystemAttrs(study.studyId))[GRADIENT_STATE_ATTR] as {
      run: number;
      visited: number[][];
    };
    expect(state.run).toBeGreaterThan(1);
    expect(state.visited.length).toBeGreaterThan(2);
  });

  it('shares one descent between concurrent workers', async () => {
    const study = await createStudy({ sampler: new GradientSampler({ seed: 3 }) });
    await study.optimize(
      async (t) => {
        const v = quadratic(t);
        await new Promise((r) => setTimeout(r, 1));
        return v;
      },
      { nTrials: 120, concurrency: 4 },
    );
    expect(await study.bestValue()).toBeLessThan(-1.0);
  });

  it('rejects bad options', () => {
    expect(() => new GradientSampler({ stepSize: 0 })).toThrow(/stepSize/);
    expect(() => new GradientSampler({ patience: 0 })).toThrow(/patience/);
  });
});
