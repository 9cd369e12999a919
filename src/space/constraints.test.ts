// Constraints declared on a space hold for every evaluated trial, whatever the sampler.
import { describe, expect, it } from 'vitest';
import type { Sampler } from '../samplers/base.js';
import { CmaEsSampler } from '../samplers/cmaes/cmaes-sampler.js';
import { GPSampler } from '../samplers/gp/gp-sampler.js';
import { GradientSampler } from '../samplers/gradient/gradient-sampler.js';
import { GridSampler } from '../samplers/grid/grid-sampler.js';
import { NSGAIISampler } from '../samplers/nsga2/nsga2-sampler.js';
import { PSOSampler } from '../samplers/pso/pso-sampler.js';
import { QMCSampler } from '../samplers/qmc/qmc-sampler.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { TPESampler } from '../samplers/tpe/tpe-sampler.js';
import { createStudy } from '../study/create-study.js';
import { enumerateSpace } from './enumerate-space.js';
import { choice, float, int } from './nodes.js';
import { type InferParams, paramsOf, space } from './space.js';

const constrained = space(
  {
    x: float(0, 1),
    y: float(0, 1),
    batchSize: choice([16, 32, 64, 128]),
    layers: int(1, 32),
  },
  { constraints: [(p) => p.x + p.y <= 1, (p) => p.batchSize * p.layers <= 1024] },
);

// The optimum lies on the constraints' boundary, so model-based samplers keep proposing
// infeasible points near it.
const objective = (p: InferParams<typeof constrained>): number =>
  -(p.x + p.y) - (p.batchSize * p.layers) / 1024;

const samplers: [string, () => Sampler, number][] = [
  ['random', () => new RandomSampler({ seed: 1 }), 60],
  ['tpe', () => new TPESampler({ seed: 1, nStartupTrials: 10 }), 60],
  ['tpe independent', () => new TPESampler({ seed: 1, nStartupTrials: 10, multivariate: false }), 40],
  ['gp', () => new GPSampler({ seed: 1, nStartupTrials: 5 }), 15],
  ['qmc', () => new QMCSampler({ seed: 1 }), 40],
  ['cmaes', () => new CmaEsSampler({ seed: 1 }), 60],
  ['pso', () => new PSOSampler({ seed: 1 }), 60],
  ['gradient', () => new GradientSampler({ seed: 1 }), 40],
  ['nsga2', () => new NSGAIISampler({ seed: 1, populationSize: 10 }), 60],
];

describe('space constraints hold for every sampler', () => {
  for (const [name, make, nTrials] of samplers) {
    it(`${name}: every evaluated trial satisfies x + y ≤ 1 and batchSize × layers ≤ 1024`, async () => {
      const study = await createStudy({ sampler: make() });
      let evaluated = 0;
      await study.optimize(
        constrained,
        (p) => {
          evaluated++;
          expect(p.x + p.y).toBeLessThanOrEqual(1);
          expect(p.batchSize * p.layers).toBeLessThanOrEqual(1024);
          return objective(p);
        },
        { nTrials, stopOnError: true },
      );
      const trials = await study.getTrials();
      expect(evaluated).toBe(nTrials);
      expect(trials.filter((t) => t.state === 'complete')).toHaveLength(nTrials);
      for (const t of trials) {
        const p = paramsOf(constrained, t.params);
        expect(p.x + p.y, `trial ${t.number}`).toBeLessThanOrEqual(1);
        expect(p.batchSize * p.layers, `trial ${t.number}`).toBeLessThanOrEqual(1024);
      }
    });
  }

  it('grid: infeasible points are skipped, every feasible one is tried once', async () => {
    const finite = space(
      {
        x: float(0, 1, { step: 0.25 }),
        y: float(0, 1, { step: 0.25 }),
        batchSize: choice([16, 32, 64, 128]),
        layers: int(8, 32, { step: 8 }),
      },
      { constraints: constrained.constraints },
    );
    // x + y ≤ 1 keeps 15 of 25 (x, y) pairs; batchSize × layers ≤ 1024 keeps 11 of 16.
    expect(enumerateSpace(finite)).toHaveLength(15 * 11);
    const study = await createStudy({ sampler: new GridSampler(null, { seed: 2 }) });
    await study.optimize(finite, (p) => objective(p));
    const trials = await study.getTrials();
    expect(trials).toHaveLength(165);
    const keys = new Set(trials.map((t) => JSON.stringify(t.params)));
    expect(keys.size).toBe(165);
    for (const t of trials) {
      const p = paramsOf(finite, t.params);
      expect(p.x + p.y).toBeLessThanOrEqual(1);
      expect(p.batchSize * p.layers).toBeLessThanOrEqual(1024);
    }
  });

  it('rejection keeps random search uniform on the feasible region', async () => {
    const s = space({ x: float(0, 1), y: float(0, 1) }, { constraints: [(p) => p.x + p.y <= 1] });
    const study = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    await study.optimize(s, (p) => p.x, { nTrials: 600 });
    const xs = (await study.getTrials()).map((t) => t.params.x as number);
    // Uniform on the triangle x + y ≤ 1: E[x] = 1/3, sd of the mean ≈ 0.236 / √600 ≈ 0.01.
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - 1 / 3)).toBeLessThan(0.035);
  });

  it("repair stays near the sampler's proposal; rejection does not", async () => {
    // A sampler that always proposes (0.55, 0.55), just outside x + y ≤ 1.
    const corner: Sampler = {
      name: 'corner',
      inferRelativeSearchSpace: () => ({}),
      sampleRelative: () => ({}),
      sampleIndependent: () => 0.55,
    };
    const meanSum = async (redraw: 'repair' | 'rejection') => {
      const s = space({ x: float(0, 1), y: float(0, 1) }, { constraints: [(p) => p.x + p.y <= 1], redraw });
      const study = await createStudy({ sampler: corner });
      await study.optimize(s, (p) => p.x, { nTrials: 100 });
      const sums = (await study.getTrials()).map((t) => (t.params.x as number) + (t.params.y as number));
      expect(Math.max(...sums)).toBeLessThanOrEqual(1);
      return sums.reduce((a, b) => a + b, 0) / sums.length;
    };
    expect(await meanSum('repair')).toBeGreaterThan(0.9);
    // Uniform on the triangle: E[x + y] = 2/3.
    expect(Math.abs((await meanSum('rejection')) - 2 / 3)).toBeLessThan(0.06);
  });
});
