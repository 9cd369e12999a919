import { describe, expect, it } from 'vitest';
import type { FrozenTrial } from '../core/frozen-trial.js';
import type { StudyView } from '../samplers/base.js';
import { createStudy } from '../study/create-study.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import type { Pruner } from './base.js';
import { MedianPruner } from './median-pruner.js';
import { PatientPruner } from './patient-pruner.js';

describePrunerConformance('PatientPruner(null)', () => new PatientPruner(null, { patience: 2 }), {
  warmupSteps: 3,
  cases: PRUNER_CASES.patient!,
});

describePrunerConformance(
  'PatientPruner(MedianPruner)',
  () => new PatientPruner(new MedianPruner({ nStartupTrials: 2 }), { patience: 1 }),
  { startupTrials: 2, warmupSteps: 2 },
);

describe('PatientPruner', () => {
  it("passes the wrapped pruner's bookkeeping through, only when it asked it", async () => {
    const calls: boolean[] = [];
    const inner: Pruner = {
      name: 'probe',
      prune: () => true,
      afterPrune: async (_s: StudyView, _t: FrozenTrial, pruned: boolean) => {
        calls.push(pruned);
      },
    };
    const study = await createStudy({ pruner: new PatientPruner(inner, { patience: 1 }) });
    const t = await study.ask();
    for (const [step, v] of [
      [0, 1],
      [1, 0.5],
      [2, 2], // best of the last two steps (0.5) is not worse than before (1): not stalled
    ] as const) {
      await t.report(v, step);
      expect(await t.shouldPrune()).toBe(false);
    }
    expect(calls).toEqual([]);
    await t.report(3, 3);
    expect(await t.shouldPrune()).toBe(true);
    expect(calls).toEqual([true]);
  });

  it('rejects bad options with a typed error', () => {
    expect(() => new PatientPruner(null, { patience: -1 })).toThrow(
      /patience must be an integer ≥ 0, got -1/,
    );
    expect(() => new PatientPruner(null, { patience: 1, minDelta: -0.1 })).toThrow(
      /minDelta must be a finite number ≥ 0, got -0\.1/,
    );
    expect(() => new PatientPruner({} as never, { patience: 1 })).toThrow(/a Pruner or null/);
    expect(() => new PatientPruner(null, undefined as never)).toThrow(/options are required/);
  });
});
