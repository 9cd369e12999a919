import { describe, expect, it } from 'vitest';
import { MODELS, main } from './05-model-selection.js';

describe('classic workflow 5: model selection and tuning in one study on breast cancer', () => {
  it('tries every model with its own parameters and scores the refitted best ≥ 0.95 on held-out data', async () => {
    const lines: string[] = [];
    const r = await main({ log: (l) => lines.push(l) });
    expect(Object.keys(r.byModel).sort()).toEqual([...MODELS].sort());
    expect(r.cvAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.95);
    // Conditional parameters: the best configuration carries only its own model's parameters.
    const own: Record<string, string[]> = {
      logistic: ['C', 'penalty'],
      mlp: ['layers', 'units', 'lr'],
      knn: ['k', 'weights'],
    };
    expect(Object.keys(r.bestParams).sort()).toEqual(['model', ...own[r.bestParams.model as string]!].sort());
    expect(lines.at(-1)).toMatch(/held-out accuracy 0\.9\d+$/);
  }, 180_000); // about 8 s of CPU; more on a busy machine
});
