import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import { InMemoryStorage } from '../storages/in-memory/index.js';
import { createStudy } from '../study/create-study.js';
import { takeSnapshot } from '../study/study-view.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import { percentileOfSorted } from './common.js';
import { PercentilePruner } from './percentile-pruner.js';

describePrunerConformance(
  'PercentilePruner',
  () => new PercentilePruner({ percentile: 25, nStartupTrials: 3, nWarmupSteps: 2 }),
  { startupTrials: 3, warmupSteps: 2, cases: PRUNER_CASES.percentile! },
);

describePrunerConformance(
  'PercentilePruner (maximize)',
  () => new PercentilePruner({ percentile: 40, nStartupTrials: 2, intervalSteps: 3 }),
  { directions: ['maximize'], startupTrials: 2 },
);

describe('PercentilePruner', () => {
  it("interpolates percentiles as NumPy's default (linear)", () => {
    const a = [1, 2, 3, 4, 5];
    expect(percentileOfSorted(a, 0)).toBe(1);
    expect(percentileOfSorted(a, 100)).toBe(5);
    expect(percentileOfSorted(a, 50)).toBe(3);
    expect(percentileOfSorted(a, 10)).toBeCloseTo(1.4, 14);
    expect(percentileOfSorted([2, 10], 75)).toBe(8);
    expect(percentileOfSorted([7], 33)).toBe(7);
    expect(percentileOfSorted([], 50)).toBeNaN();
  });

  it('keeps its memo per study and storage: two studies do not mix', async () => {
    const pruner = new PercentilePruner({ percentile: 50, nStartupTrials: 0 });
    const storage = new InMemoryStorage();
    const low = await createStudy({ storage, pruner });
    const high = await createStudy({ storage, pruner });
    for (const [study, base] of [
      [low, 1],
      [high, 100],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        const t = await study.ask();
        await t.report(base + i, 0);
        await study.tell(t, base + i);
      }
    }
    const a = await low.ask();
    await a.report(50, 0);
    expect(await a.shouldPrune()).toBe(true);
    const b = await high.ask();
    await b.report(50, 0);
    expect(await b.shouldPrune()).toBe(false);
  });

  it('updates its memo as trials complete between decisions (same result as a fresh pruner)', async () => {
    const pruner = new PercentilePruner({ percentile: 50, nStartupTrials: 0 });
    const study = await createStudy({ pruner });
    const running = await study.ask();
    await running.report(5, 0);
    const ctx = {
      studyId: study.studyId,
      studyName: study.studyName,
      directions: study.directions,
      storage: study.storage,
    };
    for (let i = 0; i < 40; i++) {
      const t = await study.ask();
      await t.report(i % 10, 0);
      await study.tell(t, i % 10);
      const view = await takeSnapshot(ctx);
      const me = view.trials[0]!;
      const fresh = new PercentilePruner({ percentile: 50, nStartupTrials: 0 }).prune(view, me);
      expect(pruner.prune(view, me)).toBe(fresh);
    }
  });

  it('rejects bad options with a typed error naming the value and the fix', () => {
    expect(() => new PercentilePruner({ percentile: 101 })).toThrow(
      /percentile must be a number in \[0, 100\], got 101/,
    );
    expect(() => new PercentilePruner({ percentile: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new PercentilePruner(undefined as never)).toThrow(/options are required/);
    expect(() => new PercentilePruner({ percentile: 25, nMinTrials: 0 })).toThrow(
      /nMinTrials must be an integer ≥ 1, got 0/,
    );
  });
});
