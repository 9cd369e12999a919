import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { createStudy } from '../study/create-study.js';
import type { Study } from '../study/study.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import { WilcoxonPruner } from './wilcoxon-pruner.js';

describePrunerConformance('WilcoxonPruner', () => new WilcoxonPruner(), {
  startupTrials: 1,
  warmupSteps: 2,
  cases: PRUNER_CASES.wilcoxon!,
});

/** Per-fold accuracies of a reference model over 10 cross-validation folds. */
const folds = [0.81, 0.86, 0.79, 0.9, 0.84, 0.77, 0.88, 0.83, 0.8, 0.85];
const order = [3, 7, 0, 9, 5, 1, 8, 2, 6, 4];

async function runFolds(study: Study, accuracy: (fold: number) => number): Promise<number | null> {
  const t = await study.ask();
  for (let i = 0; i < order.length; i++) {
    const fold = order[i]!;
    await t.report(accuracy(fold), fold);
    if (await t.shouldPrune()) {
      await study.tell(t, { state: 'pruned' });
      return i + 1;
    }
  }
  await study.tell(t, order.reduce((s, f) => s + accuracy(f), 0) / order.length);
  return null;
}

describe('WilcoxonPruner', () => {
  it('prunes a clearly worse fold vector after a few folds, and keeps a slightly better one', async () => {
    const study = await createStudy({
      direction: 'maximize',
      pruner: new WilcoxonPruner({ pThreshold: 0.1 }),
    });
    expect(await runFolds(study, (f) => folds[f]!)).toBeNull();
    // Worse by 0.03–0.08 on every fold: pruned once p = 2⁻ⁿ < 0.1, at the 4th fold.
    expect(await runFolds(study, (f) => folds[f]! - 0.03 - 0.005 * f)).toBe(4);
    // Worse on most folds but better on some: pruned later.
    const mixed = await runFolds(study, (f) => folds[f]! + (f % 4 === 0 ? 0.01 : -0.05 - 0.001 * f));
    expect(mixed).not.toBeNull();
    expect(mixed!).toBeGreaterThan(4);
    // Better on average: never pruned, and it becomes the best trial.
    expect(await runFolds(study, (f) => folds[f]! + 0.01 + (f % 3 === 0 ? -0.015 : 0))).toBeNull();
    expect((await study.bestTrial()).number).toBe(3);
  });

  it('uses the complete trial with the best mean of the metric in a multi-objective study', async () => {
    const pruner = new WilcoxonPruner({ metric: 'acc', direction: 'maximize' });
    const study = await createStudy({ directions: ['maximize', 'minimize'], pruner });
    for (const [shift, latency] of [
      [0, 5],
      [-0.1, 1],
    ] as const) {
      const t = await study.ask();
      for (const f of order) await t.report({ acc: folds[f]! + shift, ms: latency }, f);
      await study.tell(t, [0.8 + shift, latency]);
    }
    // Compared with trial 0 (best mean accuracy): worse on every fold.
    const t = await study.ask();
    let prunedAt = -1;
    for (let i = 0; i < order.length && prunedAt < 0; i++) {
      const fold = order[i]!;
      await t.report({ acc: folds[fold]! - 0.05 - 0.002 * fold, ms: 1 }, fold);
      if (await t.shouldPrune()) prunedAt = i + 1;
    }
    expect(prunedAt).toBe(4);

    const noDirection = await createStudy({
      directions: ['maximize', 'minimize'],
      pruner: new WilcoxonPruner(),
    });
    const u = await noDirection.ask();
    await u.report(1, 0);
    await expect(u.shouldPrune()).rejects.toThrow(InvalidArgumentError);
  });

  it('rejects bad options with a typed error naming the value and the fix', () => {
    expect(() => new WilcoxonPruner({ pThreshold: 1.5 })).toThrow(
      /pThreshold must be a number in \[0, 1\], got 1\.5/,
    );
    expect(() => new WilcoxonPruner({ nStartupSteps: -1 })).toThrow(
      /nStartupSteps must be an integer ≥ 0, got -1/,
    );
  });
});
