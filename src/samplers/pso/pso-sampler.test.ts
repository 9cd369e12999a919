import { describe, expect, it } from 'vitest';
import { createStudy } from '../../study/create-study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import type { Trial } from '../../trial/trial.js';
import { PSO_SWARM_ATTR, PSOSampler } from './pso-sampler.js';

describeSamplerConformance('PSOSampler', (seed) => new PSOSampler({ seed, swarmSize: 5 }));

const bowl = (t: Trial): number =>
  (t.suggestFloat('x', -5, 5) - 1) ** 2 +
  (t.suggestFloat('y', 1e-3, 1, { log: true }) - 0.01) ** 2 * 100 +
  (t.suggestInt('k', 0, 20) - 13) ** 2 / 10;

interface StoredSwarm {
  particles: Array<{ x: number[]; bv: number | null }>;
  gv: number | null;
  next: number;
}

describe('PSOSampler', () => {
  it('finds the minimum of a mixed float / log / int bowl', async () => {
    const study = await createStudy({ sampler: new PSOSampler({ seed: 1 }) });
    await study.optimize(bowl, { nTrials: 250 });
    expect(await study.bestValue()).toBeLessThan(0.05);
    const best = await study.bestTrial();
    expect(best.params.k).toBe(13);
  });

  it('keeps the swarm in storage and shares it between concurrent workers', async () => {
    const study = await createStudy({ sampler: new PSOSampler({ seed: 2, swarmSize: 6 }) });
    await study.optimize(
      async (t) => {
        const v = bowl(t);
        await new Promise((r) => setTimeout(r, 1));
        return v;
      },
      { nTrials: 61, concurrency: 4 },
    );
    const swarm = (await study.storage.getStudySystemAttrs(study.studyId))[
      PSO_SWARM_ATTR
    ] as unknown as StoredSwarm;
    expect(swarm.particles).toHaveLength(6);
    expect(swarm.particles.every((p) => p.bv !== null)).toBe(true);
    expect(swarm.gv).toBe(Math.min(...swarm.particles.map((p) => p.bv!)));
    expect(swarm.gv).toBeCloseTo(await study.bestValue(), 12);
    const trials = await study.getTrials();
    const claimed = trials.filter((t) => t.systemAttrs['pso:particle'] !== undefined);
    // The trials started before any completed are random; every later one claimed a particle.
    expect(swarm.next).toBe(claimed.length);
    expect(claimed.length).toBeGreaterThan(50);
    expect(new Set(claimed.map((t) => t.systemAttrs['pso:particle'])).size).toBe(6);
  });

  it('samples at random in a multi-objective study', async () => {
    const study = await createStudy({
      directions: ['minimize', 'maximize'],
      sampler: new PSOSampler({ seed: 3 }),
    });
    await study.optimize((t) => [t.suggestFloat('x', 0, 1), t.suggestFloat('y', 0, 1)], { nTrials: 4 });
    expect(await study.getTrials()).toHaveLength(4);
  });

  it('rejects bad options', () => {
    expect(() => new PSOSampler({ swarmSize: 1 })).toThrow(/swarmSize/);
    expect(() => new PSOSampler({ inertia: -1 })).toThrow(/inertia/);
    expect(() => new PSOSampler({ maxVelocity: 0 })).toThrow(/maxVelocity/);
  });
});
