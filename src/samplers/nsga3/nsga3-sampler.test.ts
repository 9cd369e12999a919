import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { Rng } from '../../core/rng.js';
import { hypervolume } from '../../math/hypervolume/index.js';
import { createStudy } from '../../study/create-study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import type { Trial } from '../../trial/trial.js';
import { dasDennisPoints, NSGAIIISampler, referencePointSelection } from './nsga3-sampler.js';

describeSamplerConformance('NSGAIIISampler', (seed) => new NSGAIIISampler({ seed, populationSize: 8 }));

function dtlz2(t: Trial): number[] {
  const x = Array.from({ length: 6 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
  const g = x.slice(2).reduce((s, v) => s + (v - 0.5) ** 2, 0);
  const a = (x[0]! * Math.PI) / 2;
  const b = (x[1]! * Math.PI) / 2;
  return [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)];
}

const fake = (values: number[], id: number): FrozenTrial =>
  ({ trialId: id, number: id, state: 'complete', values }) as unknown as FrozenTrial;

describe('NSGA-III pieces', () => {
  it('Das–Dennis points cover the simplex', () => {
    const pts = dasDennisPoints(3, 4);
    expect(pts).toHaveLength(15);
    for (const p of pts) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(new NSGAIIISampler({ populationSize: 92 }).referencePoints(3)).toHaveLength(91);
  });

  it('niching keeps one survivor per reference direction on a crowded front', () => {
    // 30 points on the plane x + y + z = 1, 20 of them bunched near one corner.
    const rng = new Rng(1);
    const trials: FrozenTrial[] = [];
    for (let i = 0; i < 20; i++) {
      const a = 0.9 + 0.05 * rng.random();
      const b = (1 - a) * rng.random();
      trials.push(fake([a, b, 1 - a - b], i));
    }
    for (const [i, p] of dasDennisPoints(3, 3).entries()) trials.push(fake(p, 100 + i));
    const kept = referencePointSelection(
      trials,
      ['minimize', 'minimize', 'minimize'],
      10,
      dasDennisPoints(3, 3),
      rng,
    );
    expect(kept).toHaveLength(10);
    // Every one of the 10 evenly spread points is kept; the bunch is dropped.
    expect(kept.filter((t) => t.trialId >= 100)).toHaveLength(10);
  });
});

describe('NSGAIIISampler', () => {
  it('approaches the DTLZ2 front', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize', 'minimize'],
      sampler: new NSGAIIISampler({ seed: 1, populationSize: 28 }),
    });
    await study.optimize(dtlz2, { nTrials: 840 });
    const front = (await study.bestTrials()).map((t) => [...t.values!]);
    // The true front's hypervolume (reference 1.1³) is 1.331 − π/6 ≈ 0.8074.
    expect(hypervolume(front, [1.1, 1.1, 1.1])).toBeGreaterThan(0.6);
    const attrs = await study.storage.getStudySystemAttrs(study.studyId);
    expect((attrs['nsga3:parents'] as { trialIds: number[] }).trialIds).toHaveLength(28);
  });
});
