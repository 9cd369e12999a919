import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { hypervolume } from '../../math/hypervolume/index.js';
import { createStudy } from '../../study/create-study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import type { Trial } from '../../trial/trial.js';
import { crowdingDistance, nonDominatedFronts } from './non-dominated-sort.js';
import { NSGAIISampler } from './nsga2-sampler.js';
import { crossover, polynomialMutation, type VariationSettings } from './variation.js';

describeSamplerConformance('NSGAIISampler', (seed) => new NSGAIISampler({ seed, populationSize: 8 }));
describeSamplerConformance(
  'NSGAIISampler (uniform crossover, uniform mutation)',
  (seed) => new NSGAIISampler({ seed, populationSize: 6, crossover: 'uniform', mutation: 'uniform' }),
  { nTrials: 30 },
);

function zdt1(trial: Trial): number[] {
  const n = 8;
  const x = Array.from({ length: n }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (n - 1);
  return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
}

describe('non-dominated sorting', () => {
  it('splits points into fronts and gives the ends infinite crowding', () => {
    const v = [
      [1, 5],
      [2, 3],
      [3, 1],
      [2, 4],
      [4, 4],
      [2, 3],
    ];
    expect(nonDominatedFronts(v)).toEqual([[0, 1, 2, 5], [3], [4]]);
    const c = crowdingDistance(v, [0, 1, 2, 5]);
    expect(c[0]).toBe(Number.POSITIVE_INFINITY);
    expect(c[2]).toBe(Number.POSITIVE_INFINITY);
    expect(c[1]! + c[3]!).toBeGreaterThan(0);
  });
});

describe('variation operators', () => {
  const settings = (crossoverKind: VariationSettings['crossover']): VariationSettings => ({
    crossover: crossoverKind,
    swappingProb: 0.5,
    sbxEta: 20,
    blxAlpha: 0.5,
    mutationEta: 20,
  });
  it('keep children in [0, 1] and copy categorical genes from a parent', () => {
    const rng = new Rng(1);
    const a = Float64Array.from([0, 0.2, 1, 0.5]);
    const b = Float64Array.from([1, 0.3, 0.9, 0]);
    const cat = Uint8Array.from([0, 0, 0, 1]);
    for (const kind of ['uniform', 'sbx', 'blxAlpha'] as const) {
      for (let r = 0; r < 200; r++) {
        const c = crossover(a, b, cat, settings(kind), rng, new Float64Array(4));
        for (const v of c) expect(v >= 0 && v <= 1).toBe(true);
        expect([0, 0.5]).toContain(c[3]);
      }
    }
    for (let r = 0; r < 200; r++) {
      const m = polynomialMutation(r % 2 ? 0.999 : 0.001, 20, rng);
      expect(m >= 0 && m <= 1).toBe(true);
    }
  });

  it('SBX children stay near their parents (mean distance shrinks with η)', () => {
    const rng = new Rng(2);
    const a = Float64Array.from([0.4]);
    const b = Float64Array.from([0.6]);
    const spread = (eta: number) => {
      let s = 0;
      for (let r = 0; r < 2000; r++) {
        const c = crossover(
          a,
          b,
          new Uint8Array(1),
          { ...settings('sbx'), sbxEta: eta },
          rng,
          new Float64Array(1),
        );
        s += Math.abs(c[0]! - 0.5);
      }
      return s / 2000;
    };
    expect(spread(2)).toBeGreaterThan(spread(30));
  });
});

describe('NSGAIISampler', () => {
  it('improves the hypervolume of ZDT1 well beyond random search', async () => {
    const run = async (sampler: NSGAIISampler | undefined) => {
      const study = await createStudy({
        directions: ['minimize', 'minimize'],
        ...(sampler ? { sampler } : {}),
      });
      await study.optimize(zdt1, { nTrials: 600 });
      return hypervolume(
        (await study.bestTrials()).map((t) => [...t.values!]),
        [1.1, 1.1],
      );
    };
    const nsga = await run(new NSGAIISampler({ seed: 3, populationSize: 30 }));
    const { RandomSampler } = await import('../random/random-sampler.js');
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new RandomSampler({ seed: 3 }),
    });
    await study.optimize(zdt1, { nTrials: 600 });
    const random = hypervolume(
      (await study.bestTrials()).map((t) => [...t.values!]),
      [1.1, 1.1],
    );
    expect(nsga).toBeGreaterThan(random + 0.1);
  });

  it('stores generations, counts and parents in the study', async () => {
    const study = await createStudy({
      directions: ['minimize', 'maximize'],
      sampler: new NSGAIISampler({ seed: 1, populationSize: 5 }),
    });
    await study.optimize(
      (t) => {
        const [a, b] = zdt1(t);
        return [a!, -b!];
      },
      { nTrials: 17 },
    );
    const trials = await study.getTrials();
    expect(trials.map((t) => t.systemAttrs['nsga2:generation'])).toEqual([
      0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3,
    ]);
    const attrs = await study.storage.getStudySystemAttrs(study.studyId);
    expect(attrs['nsga2:state']).toEqual({ generation: 3, complete: 2 });
    const parents = attrs['nsga2:parents'] as { generation: number; trialIds: number[] };
    expect(parents.generation).toBe(3);
    expect(parents.trialIds).toHaveLength(5);
  });

  it('lets several workers share one population (concurrency 4)', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new NSGAIISampler({ seed: 1, populationSize: 10 }),
    });
    await study.optimize(
      async (t) => {
        const v = zdt1(t);
        await new Promise((r) => setTimeout(r, 1));
        return v;
      },
      { nTrials: 60, concurrency: 4 },
    );
    const trials = await study.getTrials();
    const gens = trials.map((t) => t.systemAttrs['nsga2:generation'] as number);
    expect(Math.max(...gens)).toBeGreaterThanOrEqual(4);
    // Generations never go back in trial-number order by more than the concurrency allows.
    for (let i = 4; i < gens.length; i++) expect(gens[i]!).toBeGreaterThanOrEqual(gens[i - 4]!);
  });

  it('rejects bad options', () => {
    expect(() => new NSGAIISampler({ populationSize: 1 })).toThrow(/populationSize/);
    expect(() => new NSGAIISampler({ crossoverProb: 2 })).toThrow(/crossoverProb/);
    expect(() => new NSGAIISampler({ crossover: 'spx' as never })).toThrow(/crossover/);
    expect(() => new NSGAIISampler({ tournamentSize: 0 })).toThrow(/tournamentSize/);
    expect(() => new NSGAIISampler({ tournamentSize: 2.5 })).toThrow(/tournamentSize/);
  });

  it('defaults to tournaments of 8 and crossover probability 1 (binary tournament on request)', () => {
    const s = new NSGAIISampler({ seed: 1 });
    expect(s.tournamentSize).toBe(8);
    expect(s.crossoverProb).toBe(1);
    expect(new NSGAIISampler({ seed: 1, tournamentSize: 2 }).tournamentSize).toBe(2);
  });

  it('eliminates duplicates: no child repeats a trial of its own generation', async () => {
    // 2 int parameters with 6 values each: copies of parents and siblings are frequent without
    // duplicate elimination (int genes snap to the grid), yet 36 points leave room for 12 children.
    for (const seed of [1, 2, 3]) {
      const study = await createStudy({
        directions: ['minimize', 'minimize'],
        sampler: new NSGAIISampler({ seed, populationSize: 12 }),
      });
      await study.optimize(
        (t) => {
          const a = t.suggestInt('a', 0, 5);
          const b = t.suggestInt('b', 0, 5);
          return [a + b, 10 - a - 2 * b];
        },
        { nTrials: 72 },
      );
      const byGeneration = new Map<number, Set<string>>();
      for (const t of await study.getTrials()) {
        const g = t.systemAttrs['nsga2:generation'] as number;
        if (g === 0) continue;
        const key = `${t.params.a},${t.params.b}`;
        const seen = byGeneration.get(g) ?? new Set<string>();
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        byGeneration.set(g, seen);
      }
      expect(byGeneration.size).toBeGreaterThanOrEqual(4);
    }
  });
});
