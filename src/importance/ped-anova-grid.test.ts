import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoricalDistribution, floatDistribution, intDistribution } from '../core/distributions.js';
import { expectClose } from '../testing/expect-close.js';
import { countOnGrid, gridSize, parzenPmf, pearsonDivergence, scottBandwidth } from './ped-anova-grid.js';

interface GridCase {
  name: string;
  counts: number[];
  categorical: boolean;
  prior: number;
  sigma: number | null;
  pmf: number[];
  divergenceFromUniform: number;
}

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '__fixtures__', 'ped-anova-grid.json'), 'utf8'),
) as { cases: GridCase[] };

describe('PED-ANOVA grid densities against NumPy/SciPy', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const counts = Float64Array.from(c.counts);
      if (c.sigma !== null) expectClose(scottBandwidth(counts), c.sigma, { rtol: 1e-12 });
      const pmf = parzenPmf(counts, c.categorical, c.prior);
      expectClose(pmf, c.pmf, { rtol: 1e-9, atol: 1e-15 });
      const uniform = new Float64Array(counts.length).fill(1 / counts.length);
      expectClose(pearsonDivergence(pmf, uniform), c.divergenceFromUniform, { rtol: 1e-9 });
    });
  }
});

describe('PED-ANOVA grid densities', () => {
  it('sizes grids: continuous nSteps, stepped grids, log ints by log2 of the range, categoricals', () => {
    expect(gridSize(floatDistribution(0, 1), 50)).toBe(50);
    expect(gridSize(floatDistribution(0, 1, { step: 0.25 }), 50)).toBe(5);
    expect(gridSize(intDistribution(0, 1000), 50)).toBe(50);
    expect(gridSize(intDistribution(1, 9), 50)).toBe(9);
    expect(gridSize(intDistribution(1, 1024, { log: true }), 50)).toBe(11);
    expect(gridSize(categoricalDistribution(['a', 'b', 'c']), 50)).toBe(3);
  });

  it('counts values at the nearest grid point (log space for log parameters)', () => {
    const counts = countOnGrid(floatDistribution(0, 1), [0, 0.01, 0.5, 0.99, 1], new Float64Array(5));
    expect(Array.from(counts)).toEqual([2, 0, 1, 0, 2]);
    const logCounts = countOnGrid(
      floatDistribution(1, 100, { log: true }),
      [1, 10, 100, 9.9],
      new Float64Array(3),
    );
    expect(Array.from(logCounts)).toEqual([1, 2, 1]);
  });

  it('pmfs sum to 1; a categorical kernel is its choice plus a share of the prior', () => {
    const counts = Float64Array.of(0, 3, 0, 1, 0, 0, 6);
    const pmf = parzenPmf(counts, false, 1);
    expectClose(
      pmf.reduce((a, b) => a + b, 0),
      1,
      { rtol: 1e-12 },
    );
    const cat = parzenPmf(Float64Array.of(2, 0, 0), true, 1);
    // K = 2 kernels: the observed choice (weight 2/3), row (1 + 1/2, 1/2, 1/2) / 2.5, and the uniform prior (1/3).
    expectClose(cat, [
      (2 / 3) * (1.5 / 2.5) + 1 / 9,
      (2 / 3) * (0.5 / 2.5) + 1 / 9,
      (2 / 3) * (0.5 / 2.5) + 1 / 9,
    ]);
  });

  it("Scott's bandwidth: 1.059·min(IQR/1.34, sd)·n^(−1/5), at least 0.5/1.64", () => {
    const counts = new Float64Array(50);
    for (let g = 0; g < 50; g++) counts[g] = 1;
    const sd = Math.sqrt((50 * 51) / 12);
    // Quartiles: first index reaching 12 (11) and first exceeding 37 (37): IQR 26.
    expectClose(scottBandwidth(counts), 1.059 * Math.min(26 / 1.34, sd) * 50 ** -0.2);
    expectClose(scottBandwidth(Float64Array.of(0, 5, 0)), 0.5 / 1.64);
  });

  it('Pearson divergence: 0 between equal pmfs, Σ q (p/q − 1)² otherwise', () => {
    const q = Float64Array.of(0.5, 0.5);
    expectClose(pearsonDivergence(q, q), 0, { atol: 1e-15 });
    expectClose(pearsonDivergence(Float64Array.of(1, 0), q), 1, { rtol: 1e-9 });
  });
});
