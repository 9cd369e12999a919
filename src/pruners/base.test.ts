import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/errors.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import { createStudy } from '../study/create-study.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import { decodeMetric, encodeMetric, NopPruner, type Pruner, REPORTS_ATTR } from './base.js';
import { metricValues } from './common.js';

describePrunerConformance('NopPruner', () => new NopPruner(), {
  neverPrunes: true,
  cases: PRUNER_CASES.nop!,
});

describe('trial.report with named metrics', () => {
  it("stores the record in 'tunekit:reports' and its first metric as the intermediate value", async () => {
    const study = await createStudy();
    const t = await study.ask();
    await t.report({ loss: 0.3, acc: 0.9 }, 0);
    await t.report(0.25, 1); // a plain number: intermediate value only
    await t.report({ loss: Number.POSITIVE_INFINITY, acc: 0 }, 2);
    await study.tell(t, 0.2);
    const [frozen] = await study.getTrials();
    expect([...frozen!.intermediateValues]).toEqual([
      [0, 0.3],
      [1, 0.25],
      [2, Number.POSITIVE_INFINITY],
    ]);
    expect(frozen!.systemAttrs[REPORTS_ATTR]).toEqual({
      0: { loss: 0.3, acc: 0.9 },
      2: { loss: 'Infinity', acc: 0 },
    });
    expect([...metricValues(frozen!, 'acc')]).toEqual([
      [0, 0.9],
      [2, 0],
    ]);
    expect(metricValues(frozen!, 'loss').get(2)).toBe(Number.POSITIVE_INFINITY);
    expect(metricValues(frozen!, 'missing').size).toBe(0);
    expect(metricValues(frozen!, undefined)).toBe(frozen!.intermediateValues);
  });

  it('ignores a second report for the same step, record or number', async () => {
    const study = await createStudy();
    const t = await study.ask();
    await t.report({ loss: 1 }, 0);
    await t.report({ loss: 2 }, 0);
    await t.report(3, 0);
    const [frozen] = await study.getTrials();
    expect(frozen!.intermediateValues.get(0)).toBe(1);
    expect(frozen!.systemAttrs[REPORTS_ATTR]).toEqual({ 0: { loss: 1 } });
    await study.tell(t, 1);
  });

  it('rejects bad reports with a typed error naming the value', async () => {
    const study = await createStudy();
    const t = await study.ask();
    await expect(t.report({}, 0)).rejects.toThrow(/empty record/);
    await expect(t.report({ loss: Number.NaN }, 0)).rejects.toThrow(/metric 'loss', got NaN/);
    await expect(t.report({ loss: '1' as never }, 0)).rejects.toThrow(InvalidArgumentError);
    await expect(t.report([1] as never, 0)).rejects.toThrow(/a number or a record of named numbers/);
    await expect(t.report(Number.NaN, 0)).rejects.toThrow(/needs a number, got NaN/);
    await expect(t.report({ loss: 1 }, -1)).rejects.toThrow(/integer step/);
    await study.tell(t, 1);
  });

  it('round-trips metric values through their JSON encoding', () => {
    for (const v of [0, -1.5, 1e300, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(decodeMetric(encodeMetric(v))).toBe(v);
    }
    expect(decodeMetric(encodeMetric(Number.NaN))).toBeNaN();
    expect(decodeMetric('x')).toBeUndefined();
  });
});

describe('Pruner.afterPrune', () => {
  it('is awaited by shouldPrune with the same view, trial and decision', async () => {
    const seen: Array<{ view: StudyView; trial: FrozenTrial; pruned: boolean }> = [];
    let lastPrune: { view: StudyView; trial: FrozenTrial } | null = null;
    const pruner: Pruner = {
      name: 'probe',
      prune(view, trial) {
        lastPrune = { view, trial };
        return trial.intermediateValues.get(0)! > 1;
      },
      async afterPrune(view, trial, pruned) {
        await new Promise((r) => setImmediate(r));
        seen.push({ view, trial, pruned });
        await view.storage.setTrialSystemAttr(trial.trialId, 'probe:seen', true);
      },
    };
    const study = await createStudy({ pruner });
    const t = await study.ask();
    await t.report(2, 0);
    expect(await t.shouldPrune()).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.view).toBe(lastPrune!.view);
    expect(seen[0]!.trial).toBe(lastPrune!.trial);
    expect(seen[0]!.pruned).toBe(true);
    expect((await study.getTrials())[0]!.systemAttrs['probe:seen']).toBe(true);
    await study.tell(t, { state: 'pruned' });
  });
});
