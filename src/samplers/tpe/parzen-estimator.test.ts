import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { type ParzenDim, ParzenEstimator } from './parzen-estimator.js';

interface Case {
  name: string;
  dims: ParzenDim[];
  obs: number[];
  nObs: number;
  weights: number[];
  priorWeight: number;
  points: number[];
  nPoints: number;
  logPdf: number[];
}
const fixtures = JSON.parse(readFileSync(new URL('./__fixtures__/parzen.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const options = { priorWeight: 1, considerEndpoints: false, considerMagicClip: true };

describe('ParzenEstimator against the reference (scripts/gen-tpe-fixtures.py)', () => {
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const est = new ParzenEstimator(
        c.dims,
        Float64Array.from(c.obs),
        c.nObs,
        Float64Array.from(c.weights),
        {
          ...options,
          priorWeight: c.priorWeight,
        },
      );
      const out = est.logPdf(Float64Array.from(c.points), c.nPoints, new Float64Array(c.nPoints));
      expectClose(out, c.logPdf, { rtol: 1e-9, atol: 1e-9 });
    });
  }
});

describe('ParzenEstimator identities', () => {
  it('a continuous density integrates to 1 over its bounds', () => {
    const est = new ParzenEstimator(
      [{ kind: 'numeric', lo: -2, hi: 3, step: 0 }],
      Float64Array.from([-1.9, 0, 0.1, 2.5]),
      4,
      Float64Array.from([1, 1, 2, 1]),
      options,
    );
    const n = 20_000;
    const h = 5 / n;
    const xs = Float64Array.from({ length: n }, (_, i) => -2 + (i + 0.5) * h);
    const lp = est.logPdf(xs, n, new Float64Array(n));
    let total = 0;
    for (const v of lp) total += Math.exp(v) * h;
    expectClose(total, 1, { rtol: 1e-6 });
  });

  it('discrete and categorical masses sum to 1', () => {
    const est = new ParzenEstimator(
      [
        { kind: 'numeric', lo: 0.5, hi: 6.5, step: 1 },
        { kind: 'categorical', nChoices: 3 },
      ],
      Float64Array.from([1, 0, 6, 2, 3, 2]),
      3,
      Float64Array.from([1, 1, 1]),
      options,
    );
    const pts: number[] = [];
    for (let v = 1; v <= 6; v++) for (let c = 0; c < 3; c++) pts.push(v, c);
    const lp = est.logPdf(Float64Array.from(pts), 18, new Float64Array(18));
    expectClose(
      lp.reduce((s, v) => s + Math.exp(v), 0),
      1,
      { rtol: 1e-12 },
    );
  });

  it('samples inside the bounds, near the observations, reproducibly', () => {
    const make = () =>
      new ParzenEstimator(
        [{ kind: 'numeric', lo: 0, hi: 10, step: 0 }],
        Float64Array.from([2, 2.1, 1.9, 2.05]),
        4,
        Float64Array.from([1, 1, 1, 1]),
        { ...options, priorWeight: 0.01, considerMagicClip: false },
      );
    const a = make().sample(new Rng(3), 500, new Float64Array(500));
    const b = make().sample(new Rng(3), 500, new Float64Array(500));
    expect([...a]).toEqual([...b]);
    for (const x of a) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(10);
    }
    const near = [...a].filter((x) => Math.abs(x - 2) < 1).length;
    expect(near).toBeGreaterThan(450);
  });
});

describe('ParzenEstimator pruned log-density', () => {
  it('equals the dense computation bit for bit', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 60; trial++) {
      const d = 1 + Math.floor(rng.random() * 6);
      const nObs = 20 + Math.floor(rng.random() * 400);
      const dims: ParzenDim[] = Array.from({ length: d }, (_, j) =>
        j > 0 && rng.random() < 0.25
          ? { kind: 'categorical', nChoices: 2 + Math.floor(rng.random() * 4) }
          : { kind: 'numeric', lo: -1, hi: 2 + j, step: 0 },
      );
      const obs = new Float64Array(nObs * d);
      for (let k = 0; k < nObs; k++) {
        for (let j = 0; j < d; j++) {
          const dim = dims[j]!;
          // Clusters and duplicates, as TPE's observations have.
          obs[k * d + j] =
            dim.kind === 'categorical'
              ? Math.floor(rng.random() * dim.nChoices)
              : rng.random() < 0.2 && k > 0
                ? obs[(k - 1) * d + j]!
                : dim.lo + (dim.hi - dim.lo) * rng.random() ** 3;
        }
      }
      const weights = Float64Array.from({ length: nObs }, () => (rng.random() < 0.05 ? 0 : rng.random()));
      const est = new ParzenEstimator(dims, obs, nObs, weights, {
        priorWeight: 0.5 + rng.random(),
        considerEndpoints: rng.random() < 0.5,
        considerMagicClip: rng.random() < 0.7,
      });
      const m = 24;
      const points = est.sample(rng, m, new Float64Array(m * d));
      // Some points far from every observation, where only the prior matters.
      for (let j = 0; j < d; j++) if (dims[j]!.kind === 'numeric') points[j] = (dims[j] as { hi: number }).hi;
      const fast = est.logPdf(points, m, new Float64Array(m));
      const dense = est.logPdfDense(points, m, new Float64Array(m));
      for (let i = 0; i < m; i++) expect(Object.is(fast[i], dense[i]), `case ${trial} point ${i}`).toBe(true);
    }
  });
});
