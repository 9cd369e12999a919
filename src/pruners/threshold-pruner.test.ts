import { describe, expect, it } from 'vitest';
import { InMemoryStorage } from '../storages/in-memory/index.js';
import { takeSnapshot } from '../study/study-view.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import { ThresholdPruner } from './threshold-pruner.js';

describePrunerConformance('ThresholdPruner', () => new ThresholdPruner({ upper: 50, nWarmupSteps: 2 }), {
  warmupSteps: 2,
  cases: PRUNER_CASES.threshold!,
});

describe('ThresholdPruner', () => {
  it('always prunes NaN (stored by another client: report() itself refuses NaN)', async () => {
    const storage = new InMemoryStorage();
    const studyId = await storage.createStudy('nan', ['minimize']);
    const t = await storage.createTrial(studyId, { intermediateValues: new Map([[0, Number.NaN]]) });
    const view = await takeSnapshot({ studyId, studyName: 'nan', directions: ['minimize'], storage });
    const me = view.trials.find((x) => x.trialId === t.trialId)!;
    expect(Number.isNaN(me.intermediateValues.get(0))).toBe(true);
    expect(new ThresholdPruner({ upper: 1e9 }).prune(view, me)).toBe(true);
    expect(new ThresholdPruner({ lower: -1e9 }).prune(view, me)).toBe(true);
  });

  it('rejects bad options with a typed error naming the value and the fix', () => {
    expect(() => new ThresholdPruner({})).toThrow(/give lower, upper or both/);
    expect(() => new ThresholdPruner({ lower: 2, upper: 1 })).toThrow(
      /lower \(2\) is above upper \(1\).*Swap/,
    );
    expect(() => new ThresholdPruner({ upper: Number.NaN })).toThrow(/upper must be a number, got NaN/);
    expect(() => new ThresholdPruner({ upper: 1, intervalSteps: 0 })).toThrow(/intervalSteps.*got 0/);
    expect(() => new ThresholdPruner({ upper: 1, nWarmupSteps: -2 })).toThrow(/nWarmupSteps.*got -2/);
  });
});
