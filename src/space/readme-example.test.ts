// The README's "Declared, typed search spaces" example, kept compiling and running.
import { describe, expect, it } from 'vitest';
import { TPESampler } from '../samplers/tpe/tpe-sampler.js';
import { createStudy } from '../study/create-study.js';
import { choice, float, type InferParams, int, paramsOf, space, spaceToJson, when } from './index.js';

describe('README example', () => {
  it('runs', async () => {
    const s = space(
      {
        lr: float(1e-5, 1e-1, { log: true }),
        layers: int(1, 8),
        batchSize: choice([16, 32, 64, 128]),
        optimizer: choice({
          sgd: { momentum: float(0, 0.99), nesterov: choice([true, false]) },
          adam: { beta1: float(0.8, 0.999) },
        }),
        dropout: when('layers', [4, 5, 6, 7, 8], float(0, 0.5)),
      },
      { constraints: [(p) => p.batchSize * p.layers <= 256] },
    );
    type P = InferParams<typeof s>;
    // { lr: number; layers: number; batchSize: 16 | 32 | 64 | 128;
    //   optimizer: { kind: 'sgd'; momentum: number; nesterov: boolean } | { kind: 'adam'; beta1: number };
    //   dropout?: number }
    const train = (p: P): number =>
      Math.abs(Math.log10(p.lr) + 3) +
      (p.optimizer.kind === 'sgd' ? 1 - p.optimizer.momentum : p.optimizer.beta1 - 0.9) +
      (p.dropout ?? 0);

    const study = await createStudy({ sampler: new TPESampler({ seed: 1 }) });
    await study.optimize(s, (p, trial) => train(p) + trial.suggestFloat('warmup', 0, 1), { nTrials: 30 });
    const best = paramsOf(s, await study.bestParams()); // typed as P again
    expect(best.batchSize * best.layers).toBeLessThanOrEqual(256);
    expect(Object.keys(spaceToJson(s))).toContain('optimizer.sgd.momentum');
  });
});
