import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Average,
  accuracy,
  argmaxRows,
  confusionMatrix,
  f1,
  fbeta,
  type Label,
  logLoss,
  meanAbsoluteError,
  meanSquaredError,
  precision,
  r2Score,
  recall,
} from './metrics.js';

interface Scores {
  precision: number;
  recall: number;
  f1: number;
  f2: number;
}
interface ClassificationCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  accuracy: number;
  labels: Label[];
  confusion: number[][];
  posLabel?: Label;
  macro: Scores;
  micro: Scores;
  weighted: Scores;
  binary?: Scores;
}
const fixtures = JSON.parse(
  readFileSync(new URL('./__fixtures__/metrics.json', import.meta.url), 'utf8'),
) as {
  classification: ClassificationCase[];
  logLoss: Array<{ name: string; yTrue: number[]; proba: number[] | number[][]; value: number }>;
  regression: Array<{ name: string; yTrue: number[]; yPred: number[]; mse: number; mae: number; r2: number }>;
};

const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));

describe('metrics against scikit-learn', () => {
  for (const c of fixtures.classification) {
    it(`classification: ${c.name}`, () => {
      close(accuracy(c.yTrue, c.yPred), c.accuracy);
      const cm = confusionMatrix(c.yTrue, c.yPred);
      expect(cm.labels).toEqual(c.labels);
      expect(cm.matrix).toEqual(c.confusion);
      for (const avg of ['macro', 'micro', 'weighted', 'binary'] as Average[]) {
        const want = c[avg];
        if (want === undefined) continue;
        const opts = { average: avg, posLabel: c.posLabel };
        close(precision(c.yTrue, c.yPred, opts), want.precision);
        close(recall(c.yTrue, c.yPred, opts), want.recall);
        close(f1(c.yTrue, c.yPred, opts), want.f1);
        close(fbeta(c.yTrue, c.yPred, 2, opts), want.f2);
      }
    });
  }
  for (const c of fixtures.logLoss) {
    it(`log loss: ${c.name}`, () => {
      const labels = c.name.startsWith('binary') ? [0, 1] : [0, 1, 2, 3];
      close(logLoss(c.yTrue, c.proba, { labels }), c.value);
    });
  }
  for (const c of fixtures.regression) {
    it(`regression: ${c.name}`, () => {
      close(meanSquaredError(c.yTrue, c.yPred), c.mse);
      close(meanAbsoluteError(c.yTrue, c.yPred), c.mae);
      close(r2Score(c.yTrue, c.yPred), c.r2);
    });
  }
});

describe('metrics edge cases', () => {
  it('defaults: binary for two labels, macro beyond', () => {
    expect(f1([0, 1, 1, 0], [0, 1, 0, 0])).toBeCloseTo(2 / 3, 12);
    expect(f1([0, 1, 2], [0, 1, 1])).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
  });
  it('errors on mismatched lengths, empty input and binary with three labels', () => {
    expect(() => accuracy([1, 2], [1])).toThrow(/2 elements/);
    expect(() => accuracy([], [])).toThrow(/at least one/);
    expect(() => precision([0, 1, 2], [0, 1, 2], { average: 'binary' })).toThrow(/at most two/);
  });
  it('R² of a constant target', () => {
    expect(r2Score([2, 2], [2, 2])).toBe(1);
    expect(r2Score([2, 2], [1, 2])).toBe(0);
  });
  it('argmaxRows', () => {
    expect(
      argmaxRows([
        [0.1, 0.7, 0.2],
        [0.5, 0.5, 0],
      ]),
    ).toEqual([1, 0]);
  });
});
