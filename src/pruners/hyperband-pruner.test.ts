import { describe, expect, it } from 'vitest';
import { createStudy } from '../study/create-study.js';
import { takeSnapshot } from '../study/study-view.js';
import { describePrunerConformance, PRUNER_CASES } from '../testing/pruner-conformance.js';
import {
  HYPERBAND_BRACKET_ATTR,
  HyperbandPruner,
  hyperbandBracketOf,
  hyperbandBrackets,
} from './hyperband-pruner.js';

describePrunerConformance('HyperbandPruner', () => new HyperbandPruner(), {
  startupTrials: 1,
  warmupSteps: 1,
  historyTrials: 30,
  cases: PRUNER_CASES.hyperband!,
});

describePrunerConformance(
  'HyperbandPruner (minResource 2, maxResource 9, η 2, maximize)',
  () => new HyperbandPruner({ minResource: 2, maxResource: 9, reductionFactor: 2 }),
  { warmupSteps: 2, historyTrials: 30, directions: ['maximize'] },
);

describe('HyperbandPruner', () => {
  it('has ⌊log_η(max/min)⌋ + 1 brackets with budgets ⌈B·η^s/(s+1)⌉, the most aggressive first', () => {
    expect(hyperbandBrackets(1, 81, 3)).toEqual({ count: 5, budgets: [81, 34, 15, 8, 5], total: 143 });
    expect(hyperbandBrackets(1, 27, 3).count).toBe(4);
    expect(hyperbandBrackets(1, 26, 3).count).toBe(3);
    expect(hyperbandBrackets(1, 2, 3)).toEqual({ count: 1, budgets: [1], total: 1 });
  });

  it('assigns brackets deterministically from the trial number, balanced by budget', () => {
    const brackets = hyperbandBrackets(1, 81, 3);
    const counts = new Array<number>(brackets.count).fill(0);
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      const b = hyperbandBracketOf(i, brackets);
      expect(hyperbandBracketOf(i, brackets)).toBe(b);
      counts[b]!++;
    }
    for (let b = 0; b < brackets.count; b++) {
      expect(Math.abs(counts[b]! / n - brackets.budgets[b]! / brackets.total)).toBeLessThan(0.01);
    }
    // Consecutive numbers spread over the brackets rather than running in blocks.
    const first = Array.from({ length: 40 }, (_, i) => hyperbandBracketOf(i, brackets));
    expect(new Set(first).size).toBeGreaterThanOrEqual(4);
    // Large trial numbers hash too.
    expect(hyperbandBracketOf(2 ** 40 + 3, brackets)).toBeLessThan(brackets.count);
  });

  it("records the bracket in the trial's system attributes, once the brackets are known", async () => {
    const pruner = new HyperbandPruner({ minResource: 1, maxResource: 27 });
    const study = await createStudy({ pruner });
    const brackets = pruner.brackets()!;
    for (let i = 0; i < 6; i++) {
      const t = await study.ask();
      await t.report(1, 0);
      expect(await t.shouldPrune()).toBe(false);
      await study.tell(t, 1);
    }
    for (const t of await study.getTrials()) {
      expect(t.systemAttrs[HYPERBAND_BRACKET_ATTR]).toBe(hyperbandBracketOf(t.number, brackets));
    }

    const auto = new HyperbandPruner();
    const s2 = await createStudy({ pruner: auto });
    const early = await s2.ask();
    await early.report(1, 0);
    expect(await early.shouldPrune()).toBe(false);
    expect((await s2.getTrials())[0]!.systemAttrs[HYPERBAND_BRACKET_ATTR]).toBeUndefined();
    const done = await s2.ask();
    for (let s = 0; s <= 8; s++) await done.report(1, s);
    await s2.tell(done, 1);
    expect(auto.brackets()).toBeNull();
    await early.report(1, 1);
    expect(await early.shouldPrune()).toBe(false);
    // maxResource 'auto' = last step of the first complete trial + 1 = 9: brackets at η 3 of (1, 9).
    const view = {
      studyId: s2.studyId,
      studyName: s2.studyName,
      directions: s2.directions,
      storage: s2.storage,
    };
    expect(auto.brackets(await takeSnapshot(view))).toEqual(hyperbandBrackets(1, 9, 3));
    expect((await s2.getTrials())[0]!.systemAttrs[HYPERBAND_BRACKET_ATTR]).toBe(
      hyperbandBracketOf(0, hyperbandBrackets(1, 9, 3)),
    );
  });

  it('rejects bad options with a typed error naming the value and the fix', () => {
    expect(() => new HyperbandPruner({ minResource: 0 })).toThrow(
      /minResource must be an integer ≥ 1, got 0/,
    );
    expect(() => new HyperbandPruner({ minResource: 5, maxResource: 3 })).toThrow(
      /maxResource 3 is below minResource 5/,
    );
    expect(() => new HyperbandPruner({ maxResource: 'huge' as never })).toThrow(/maxResource.*"huge"/);
    expect(() => new HyperbandPruner({ reductionFactor: 1.5 })).toThrow(/reductionFactor.*got 1\.5/);
    expect(() => new HyperbandPruner({ bootstrapCount: 1 })).toThrow(/needs a numeric maxResource/);
  });
});
