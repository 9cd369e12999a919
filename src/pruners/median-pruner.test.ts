import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { createStudy } from '../study/create-study.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import { MedianPruner } from './median-pruner.js';

describePrunerConformance('MedianPruner', () => new MedianPruner(), {
  startupTrials: 5,
  cases: PRUNER_CASES.median!,
});

describePrunerConformance(
  'MedianPruner on a named metric in a multi-objective study',
  () => new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 1, metric: 'acc', direction: 'maximize' }),
  {
    directions: ['minimize', 'maximize'],
    metrics: { loss: 'minimize', acc: 'maximize' },
    startupTrials: 2,
    warmupSteps: 1,
  },
);

describe('MedianPruner', () => {
  it('with 3 complete trials at [1, 2, 3], prunes a trial reporting 2.5 at that step, not one reporting 1.5', async () => {
    const study = await createStudy({ pruner: new MedianPruner({ nStartupTrials: 3 }) });
    for (const v of [1, 2, 3]) {
      const t = await study.ask();
      await t.report(v, 4);
      await study.tell(t, v);
    }
    const worse = await study.ask();
    await worse.report(2.5, 4);
    expect(await worse.shouldPrune()).toBe(true);
    const better = await study.ask();
    await better.report(1.5, 4);
    expect(await better.shouldPrune()).toBe(false);
  });

  it('asks for a direction in a multi-objective study, naming the fix', async () => {
    const study = await createStudy({ directions: ['minimize', 'maximize'], pruner: new MedianPruner() });
    const t = await study.ask();
    await t.report(1, 0);
    const error = await t.shouldPrune().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/2 objectives.*direction: 'minimize' or 'maximize'/);
  });

  it('rejects bad options with a typed error naming the value', () => {
    expect(() => new MedianPruner({ nStartupTrials: -1 })).toThrow(
      /nStartupTrials must be an integer ≥ 0, got -1/,
    );
    expect(() => new MedianPruner({ nWarmupSteps: 1.5 })).toThrow(/nWarmupSteps.*got 1\.5/);
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow(
      /intervalSteps must be an integer ≥ 1, got 0/,
    );
    expect(() => new MedianPruner({ nMinTrials: 0 })).toThrow(InvalidArgumentError);
    expect(() => new MedianPruner({ metric: '' })).toThrow(/metric/);
    expect(() => new MedianPruner({ direction: 'up' as never })).toThrow(/direction.*"up"/);
    expect(() => new MedianPruner({ percentile: 10 } as never)).toThrow(/PercentilePruner/);
    expect(() => new MedianPruner(null as never)).toThrow(/options must be an object/);
  });
});
