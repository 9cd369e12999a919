import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import {
  type CmaState,
  cmaShouldStop,
  createCmaState,
  sampleCma,
  sampleCmaInBox,
  symmetricEigen,
  tellCma,
} from './cmaes.js';

function run(
  f: (x: Float64Array) => number,
  n: number,
  gens: number,
  options: { separable?: boolean; steps?: number[]; sigma?: number } = {},
): CmaState {
  const rng = new Rng(1);
  let s = createCmaState({
    mean: new Array(n).fill(0.3),
    sigma: options.sigma ?? 0.2,
    separable: options.separable ?? false,
  });
  for (let g = 0; g < gens; g++) {
    const xs = Array.from({ length: s.lambda }, () => sampleCma(s, () => rng.normal()));
    s = tellCma(s, xs, xs.map(f), options.steps ? { steps: options.steps } : {});
  }
  return s;
}

describe('symmetricEigen', () => {
  it('gives orthonormal eigenvectors (n = 1, 2, 40; identity, diagonal, rank one; Jacobi and QL paths), ascending above n = 10', () => {
    const rng = new Rng(9);
    const cases: Array<[number, number[]]> = [];
    cases.push([1, [3]]);
    cases.push([2, [2, 1, 1, 2]]);
    const n = 40;
    const g = Array.from({ length: n * n }, () => rng.normal());
    const spd = new Array<number>(n * n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let v = i === j ? 1e-3 : 0;
        for (let k = 0; k < n; k++) v += g[i * n + k]! * g[j * n + k]!;
        spd[i * n + j] = v;
      }
    cases.push([n, spd]);
    cases.push([5, Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0))]);
    cases.push([4, Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? [4, -1, 0, 2][i / 5]! : 0))]);
    cases.push([6, Array.from({ length: 36 }, (_, i) => (Math.floor(i / 6) + 1) * ((i % 6) + 1))]);
    cases.push([12, Array.from({ length: 144 }, (_, i) => (i % 13 === 0 ? 2 : 0))]);
    cases.push([11, Array.from({ length: 121 }, (_, i) => (Math.floor(i / 11) + 1) * ((i % 11) + 1))]);
    for (const [m, a] of cases) {
      const { values, vectors } = symmetricEigen(a, m);
      if (m > 10) for (let k = 1; k < m; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
      let scale = 0;
      for (const v of a) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let rec = 0;
          let dot = 0;
          for (let k = 0; k < m; k++) {
            rec += vectors[i * m + k]! * values[k]! * vectors[j * m + k]!;
            dot += vectors[k * m + i]! * vectors[k * m + j]!;
          }
          expectClose(rec, a[i * m + j]!, { atol: 1e-11 * Math.max(1, scale) });
          expectClose(dot, i === j ? 1 : 0, { atol: 1e-12 });
        }
    }
  });

  it('reconstructs a symmetric matrix from its eigenpairs', () => {
    const rng = new Rng(4);
    const n = 7;
    const a = new Array<number>(n * n);
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const v = rng.normal();
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
        expectClose(s, a[i * n + j]!, { atol: 1e-10 });
      }
  });
});

describe('CMA-ES update', () => {
  const sphere = (x: Float64Array) => x.reduce((a, v) => a + (v - 0.7) ** 2, 0);
  const ellipsoid = (x: Float64Array) =>
    x.reduce((a, v, i) => a + 10 ** ((3 * i) / (x.length - 1)) * (v - 0.7) ** 2, 0);

  it('converges on a sphere and on an ill-conditioned ellipsoid', () => {
    const s = run(sphere, 5, 150);
    for (const m of s.mean) expectClose(m, 0.7, { atol: 1e-5 });
    const e = run(ellipsoid, 6, 300);
    for (const m of e.mean) expectClose(m, 0.7, { atol: 1e-4 });
    // The covariance learned the scaling: the largest eigenvalue is well above the smallest.
    expect(Math.max(...e.D) / Math.min(...e.D)).toBeGreaterThan(5);
  });

  it('separable mode keeps a diagonal covariance and converges', () => {
    const s = run(ellipsoid, 6, 300, { separable: true });
    expect(s.C).toHaveLength(6);
    for (const m of s.mean) expectClose(m, 0.7, { atol: 1e-4 });
  });

  it('is JSON round-trip safe', () => {
    const s = run(sphere, 3, 5);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('margin keeps a discrete coordinate from freezing', () => {
    // Coordinate 0 is on a grid of 5 cells; the optimum sits inside one cell, so without a margin
    // its standard deviation collapses.
    const f = (x: Float64Array) => (Math.floor(x[0]! * 5) - 2) ** 2 + (x[1]! - 0.3) ** 2;
    const free = run(f, 2, 200);
    const margin = run(f, 2, 200, { steps: [0.2, 0] });
    const sd = (s: CmaState) => s.sigma * Math.sqrt(s.C[0]!);
    expect(sd(free)).toBeLessThan(1e-3);
    expect(sd(margin)).toBeGreaterThan(0.01);
  });

  it('samples inside the box and stops when converged', () => {
    const rng = new Rng(2);
    const s = createCmaState({ mean: [0.99, 0.01], sigma: 0.5 });
    for (let i = 0; i < 50; i++) {
      const x = sampleCmaInBox(s, () => rng.normal());
      expect(x.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    expect(cmaShouldStop(s)).toBeNull();
    expect(cmaShouldStop(run(sphere, 2, 600))).not.toBeNull();
  });
});
