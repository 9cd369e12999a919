import { describe, expect, it } from 'vitest';
import {
  loadBreastCancer,
  loadDigits,
  loadIris,
  loadWine,
  StandardScaler,
  trainTestSplit,
  trainValTestSplit,
} from './datasets.js';

function counts(y: number[]): Record<number, number> {
  const m: Record<number, number> = {};
  for (const c of y) m[c] = (m[c] ?? 0) + 1;
  return m;
}

describe('bundled data sets', () => {
  it('load with their shapes, classes and attribution', () => {
    const cases = [
      [loadDigits(), 1797, 64, 10],
      [loadIris(), 150, 4, 3],
      [loadWine(), 178, 13, 3],
      [loadBreastCancer(), 569, 30, 2],
    ] as const;
    for (const [d, n, f, k] of cases) {
      expect(d.nSamples).toBe(n);
      expect(d.nFeatures).toBe(f);
      expect(d.features.every((r) => r.length === f && r.every(Number.isFinite))).toBe(true);
      expect(new Set(d.target).size).toBe(k);
      expect(d.targetNames).toHaveLength(k);
      expect(d.description.length).toBeGreaterThan(500);
      expect(d.attribution).toMatch(/CC BY 4\.0/);
    }
    expect(loadIris().targetNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(loadBreastCancer().targetNames).toEqual(['malignant', 'benign']);
    expect(counts(loadBreastCancer().target)).toEqual({ 0: 212, 1: 357 });
  });

  it('returns fresh copies', () => {
    const a = loadIris();
    a.features[0]![0] = 99;
    expect(loadIris().features[0]![0]).toBe(5.1);
  });
});

describe('splits', () => {
  const d = loadIris();
  it('trainTestSplit: seeded, disjoint, stratified', () => {
    const a = trainTestSplit(d.features, d.target, { testSize: 0.2, seed: 3, stratify: true });
    const b = trainTestSplit(d.features, d.target, { testSize: 0.2, seed: 3, stratify: true });
    const c = trainTestSplit(d.features, d.target, { testSize: 0.2, seed: 4, stratify: true });
    expect(a.test.indices).toEqual(b.test.indices);
    expect(a.test.indices).not.toEqual(c.test.indices);
    expect(a.test.y.length).toBe(30);
    expect(counts(a.test.y)).toEqual({ 0: 10, 1: 10, 2: 10 });
    expect(new Set([...a.train.indices, ...a.test.indices]).size).toBe(150);
  });

  it('trainValTestSplit: stratified parts, scaler fitted on the training part only', () => {
    const s = trainValTestSplit(d.features, d.target, { seed: 1, standardize: true });
    expect([s.train.y.length, s.validation.y.length, s.test.y.length]).toEqual([90, 30, 30]);
    expect(counts(s.validation.y)).toEqual({ 0: 10, 1: 10, 2: 10 });
    const all = new Set([...s.train.indices, ...s.validation.indices, ...s.test.indices]);
    expect(all.size).toBe(150);
    const means = s.train.x[0]!.map((_, j) => s.train.x.reduce((a, r) => a + r[j]!, 0) / s.train.x.length);
    for (const m of means) expect(Math.abs(m)).toBeLessThan(1e-12);
    const fresh = new StandardScaler().fit(s.train.indices.map((i) => d.features[i]!));
    expect(s.scaler!.mean).toEqual(fresh.mean);
    expect(s.test.x[0]).toEqual(fresh.transform([d.features[s.test.indices[0]!]!])[0]);
  });

  it('StandardScaler keeps constant features finite', () => {
    expect(
      new StandardScaler().fitTransform([
        [1, 2],
        [1, 4],
      ]),
    ).toEqual([
      [0, -1],
      [0, 1],
    ]);
  });
});
