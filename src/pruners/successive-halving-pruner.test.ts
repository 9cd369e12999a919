import { describe, expect, it } from 'vitest';
import { TrialPruned } from '../core/errors.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { createStudy } from '../study/create-study.js';
import { describePrunerConformance, PRUNER_CASES, PrunerProbe } from '../testing/pruner-conformance.js';
import { COMPLETED_RUNG_PREFIX, completedRungKey, PRUNED_AT_RUNG_ATTR, rungValues } from './rungs.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';

describePrunerConformance(
  'SuccessiveHalvingPruner',
  () => new SuccessiveHalvingPruner({ reductionFactor: 2 }),
  {
    startupTrials: 1,
    warmupSteps: 1,
    cases: PRUNER_CASES.successiveHalving!,
  },
);

describePrunerConformance(
  'SuccessiveHalvingPruner (minResource 2, η 3, maximize)',
  () => new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 3 }),
  { warmupSteps: 2, directions: ['maximize'] },
);

describe('SuccessiveHalvingPruner', () => {
  it('derives rung values from the reports: the value at the first step at or past each rung', () => {
    const settings = {
      minResource: 1,
      reductionFactor: 3,
      minEarlyStoppingRate: 0,
      bootstrapCount: 0,
      metric: undefined,
    };
    const values = new Map([
      [0, 10],
      [2, 8],
      [5, 6],
      [9, 4],
      [12, 3],
    ]);
    expect(rungValues(values, settings)).toEqual([8, 6, 4]); // rungs at 1, 3, 9 (27 not reached)
    expect(rungValues(values, { ...settings, minEarlyStoppingRate: 1 })).toEqual([6, 4]);
    expect(rungValues(new Map(), settings)).toEqual([]);
  });

  it("records completed rungs and the pruning rung in the trial's system attributes", async () => {
    const study = await createStudy({
      pruner: new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
    });
    const a = await study.ask();
    for (const [step, v] of [
      [1, 1],
      [2, 0.8],
    ] as const) {
      await a.report(v, step);
      expect(await a.shouldPrune()).toBe(false);
    }
    const b = await study.ask();
    await b.report(2, 1);
    expect(await b.shouldPrune()).toBe(true);
    const [ta, tb] = await study.getTrials();
    expect(ta!.systemAttrs).toMatchObject({ [completedRungKey(0)]: 1, [completedRungKey(1)]: 0.8 });
    expect(Object.keys(ta!.systemAttrs).filter((k) => k.startsWith(COMPLETED_RUNG_PREFIX))).toHaveLength(2);
    expect(ta!.systemAttrs[PRUNED_AT_RUNG_ATTR]).toBeUndefined();
    expect(tb!.systemAttrs).toMatchObject({ [completedRungKey(0)]: 2, [PRUNED_AT_RUNG_ATTR]: 0 });
    // Asked again, a pruned trial stays pruned (the decision is read back, not re-made).
    expect(await b.shouldPrune()).toBe(true);
  });

  it('ASHA with 6 concurrent workers: decisions agree with a fresh pruner, and about 1/η go on per rung', async () => {
    const probe = new PrunerProbe(
      new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
      () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
    );
    const study = await createStudy({ pruner: probe, sampler: new RandomSampler({ seed: 7 }) });
    await study.optimize(
      async (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        let loss = 0;
        for (let epoch = 1; epoch <= 9; epoch++) {
          loss = x + 1 / epoch;
          await trial.report(loss, epoch);
          for (let k = 0; k < trial.number % 4; k++) await new Promise((r) => setImmediate(r));
          if (await trial.shouldPrune()) throw new TrialPruned();
        }
        return loss;
      },
      { nTrials: 60, concurrency: 6 },
    );
    expect(probe.mismatches).toEqual([]);
    const trials = await study.getTrials();
    const reached = (k: number): number =>
      trials.filter((t) => Math.max(...t.intermediateValues.keys()) >= 3 ** k).length;
    // Rungs at epochs 1, 3, 9: each keeps roughly a third (early arrivals are promoted more easily).
    expect(reached(0)).toBe(60);
    expect(reached(1)).toBeLessThan(30);
    expect(reached(2)).toBeLessThan(reached(1));
    expect(reached(2)).toBeGreaterThan(0);
    // Every trial records the rungs it completed; every pruned trial the rung it lost at.
    for (const t of trials) {
      const last = Math.max(...t.intermediateValues.keys());
      const rungs = Object.keys(t.systemAttrs).filter((k) => k.startsWith(COMPLETED_RUNG_PREFIX)).length;
      expect(rungs).toBe(last >= 9 ? 3 : last >= 3 ? 2 : 1);
      expect(Object.hasOwn(t.systemAttrs, PRUNED_AT_RUNG_ATTR)).toBe(t.state === 'pruned');
    }
    // The best trial (lowest x: best at every epoch) is never beaten, so it runs to the end.
    const bestX = Math.min(...trials.map((t) => t.params.x as number));
    expect(trials.find((t) => t.params.x === bestX)!.state).toBe('complete');
  });

  it('rejects bad options with a typed error naming the value and the fix', () => {
    expect(() => new SuccessiveHalvingPruner({ minResource: 0 })).toThrow(
      /minResource must be an integer ≥ 1, got 0/,
    );
    expect(() => new SuccessiveHalvingPruner({ minResource: 'big' as never })).toThrow(/minResource.*"big"/);
    expect(() => new SuccessiveHalvingPruner({ reductionFactor: 1 })).toThrow(
      /reductionFactor must be an integer ≥ 2, got 1/,
    );
    expect(() => new SuccessiveHalvingPruner({ minEarlyStoppingRate: -1 })).toThrow(/minEarlyStoppingRate/);
    expect(() => new SuccessiveHalvingPruner({ bootstrapCount: 2 })).toThrow(
      /bootstrapCount 2 needs a numeric minResource/,
    );
  });
});
