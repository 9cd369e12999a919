/**
 * Test fixture for budget-aware samplers: ten poor complete trials of one float x ∈ [0, 1] (x
 * near 0.1, value and reports 1 + x at steps 1–9) and twenty pruned trials with good reports at
 * steps 1–3, at `prunedX(k)` with report `prunedReport(x)` (k = 0…19).
 * @module
 */
import { floatDistribution } from '../../core/distributions.js';
import type { Study } from '../../study/study.js';

export async function addBudgetTrials(
  study: Study,
  prunedX: (k: number) => number,
  prunedReport: (x: number) => number,
): Promise<void> {
  const dist = floatDistribution(0, 1);
  for (let i = 0; i < 30; i++) {
    const complete = i < 10;
    const x = complete ? 0.05 + 0.01 * i : prunedX(i - 10);
    const reports = new Map<number, number>();
    for (let s = 1; s <= (complete ? 9 : 3); s++) reports.set(s, complete ? 1 + x : prunedReport(x));
    await study.storage.createTrial(study.studyId, {
      state: complete ? 'complete' : 'pruned',
      params: { x },
      distributions: { x: dist },
      values: complete ? [1 + x] : null,
      intermediateValues: reports,
    });
  }
}
