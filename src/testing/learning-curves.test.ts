import { describe, expect, it } from 'vitest';
import type { Pruner } from '../pruners/base.js';
import { NopPruner } from '../pruners/base.js';
import { RandomSampler } from '../samplers/random/index.js';
import { createStudy } from '../study/create-study.js';
import { type CurveTable, loadCurveTable, nearestConfig, replayObjective } from './learning-curves.js';

const E = 5;
const curve = (start: number) =>
  Array.from({ length: E }, (_, i) => Math.round((start + 0.01 * i) * 1e4) / 1e4);
const table: CurveTable = {
  description: 'synthetic',
  dataset: 'test',
  epochs: E,
  seed: 0,
  configs: [
    {
      params: { optimizer: 'adam', lr: 0.001, batch_size: 32, layers: 1, units: 32, dropout: 0.1, l2: 1e-4 },
      valAcc: curve(0.5),
      valLoss: curve(1),
    },
    {
      params: { optimizer: 'adam', lr: 0.1, batch_size: 128, layers: 3, units: 128, dropout: 0.4, l2: 1e-3 },
      valAcc: curve(0.7),
      valLoss: curve(0.5),
    },
    {
      params: {
        optimizer: 'sgd',
        lr: 0.01,
        momentum: 0.9,
        batch_size: 64,
        layers: 2,
        units: 64,
        dropout: 0.2,
        l2: 1e-5,
      },
      valAcc: curve(0.8),
      valLoss: curve(0.3),
    },
  ],
};

/** Prunes every trial at its `at`-th report. */
class PruneAt implements Pruner {
  readonly name = 'prune-at';
  constructor(private readonly at: number) {}
  prune(_study: unknown, trial: { intermediateValues: ReadonlyMap<number, number> }): boolean {
    return trial.intermediateValues.size >= this.at;
  }
}

describe('learning-curve table', () => {
  it('loads the committed table: every configuration has a curve of table.epochs values', () => {
    const t = loadCurveTable();
    expect(t.epochs).toBeGreaterThanOrEqual(27);
    expect(t.configs.length).toBeGreaterThan(0);
    for (const c of t.configs) {
      expect(c.valAcc).toHaveLength(t.epochs);
      expect(c.valAcc.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it('nearest configuration: exact match, same optimizer first, deterministic', () => {
    for (const [i, c] of table.configs.entries()) expect(nearestConfig(table, c.params)).toBe(i);
    const q = {
      optimizer: 'sgd',
      lr: 0.1,
      momentum: 0,
      batch_size: 128,
      layers: 3,
      units: 128,
      dropout: 0.4,
      l2: 1e-3,
    };
    expect(nearestConfig(table, q)).toBe(2);
    expect(nearestConfig(table, { ...q, optimizer: 'adam' })).toBe(1);
  });
});

describe('replayObjective', () => {
  it('reports the tabulated values epoch by epoch and returns the last one', async () => {
    const counter = { epochs: 0 };
    const study = await createStudy({
      direction: 'maximize',
      sampler: new RandomSampler({ seed: 1 }),
      pruner: new NopPruner(),
    });
    await study.optimize(replayObjective(table, counter), { nTrials: 4 });
    const trials = await study.getTrials();
    for (const t of trials) {
      const c = table.configs[t.userAttrs.config_id as number]!;
      expect(t.state).toBe('complete');
      expect([...t.intermediateValues.entries()]).toEqual(c.valAcc.map((v, i) => [i + 1, v]));
      expect(t.values![0]).toBe(c.valAcc[E - 1]);
    }
    expect(counter.epochs).toBe(4 * E);
  });

  it('pruned trials count only the epochs they ran; the budget caps the total', async () => {
    const counter = { epochs: 0 };
    const study = await createStudy({
      direction: 'maximize',
      sampler: new RandomSampler({ seed: 2 }),
      pruner: new PruneAt(2),
    });
    await study.optimize(replayObjective(table, counter), { nTrials: 3 });
    const trials = await study.getTrials();
    expect(trials.every((t) => t.state === 'pruned' && t.intermediateValues.size === 2)).toBe(true);
    expect(counter.epochs).toBe(3 * 2);

    const capped = { epochs: 0, budget: 7 };
    const s2 = await createStudy({
      direction: 'maximize',
      sampler: new RandomSampler({ seed: 3 }),
      pruner: new NopPruner(),
    });
    await s2.optimize(replayObjective(table, capped), { nTrials: 3 });
    const states = (await s2.getTrials()).map((t) => t.state);
    expect(capped.epochs).toBe(7);
    expect(states).toEqual(['complete', 'pruned', 'pruned']);
  });
});
