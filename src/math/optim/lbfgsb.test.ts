import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from '../special/__fixtures__/fixture.js';
import { type LbfgsbObjective, lbfgsb } from './lbfgsb.js';

interface Problem {
  kind: 'rosen' | 'beale' | 'quad';
  name: string;
  x0: number[];
  lower: number[];
  upper: number[];
  x: number[];
  f: number;
}
interface Fixture {
  problems: Problem[];
  quadA: number[];
  quadB: number[];
}
const fixture = readFixture<Fixture>(new URL('./__fixtures__/lbfgsb.json', import.meta.url));

const rosen: LbfgsbObjective = (x, g) => {
  const n = x.length;
  let f = 0;
  g.fill(0);
  for (let i = 0; i < n - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] = g[i]! - 400 * x[i]! * a - 2 * b;
    g[i + 1] = g[i + 1]! + 200 * a;
  }
  return f;
};

const beale: LbfgsbObjective = (x, g) => {
  const [u, v] = [x[0]!, x[1]!];
  const a = 1.5 - u + u * v;
  const b = 2.25 - u + u * v * v;
  const c = 2.625 - u + u * v * v * v;
  g[0] = 2 * a * (v - 1) + 2 * b * (v * v - 1) + 2 * c * (v * v * v - 1);
  g[1] = 2 * a * u + 4 * b * u * v + 6 * c * u * v * v;
  return a * a + b * b + c * c;
};

/** f = ½xᵀAx − bᵀx for the fixture's SPD matrix. */
function quadratic(A: number[], b: number[]): LbfgsbObjective {
  const n = b.length;
  return (x, g) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
      g[i] = s - b[i]!;
      f += 0.5 * x[i]! * s - b[i]! * x[i]!;
    }
    return f;
  };
}

function objectiveOf(p: Problem): LbfgsbObjective {
  if (p.kind === 'rosen') return rosen;
  if (p.kind === 'beale') return beale;
  return quadratic(fixture.quadA, fixture.quadB);
}

describe('lbfgsb against scipy.optimize.minimize(method="L-BFGS-B")', () => {
  for (const p of fixture.problems) {
    it(`reaches SciPy's optimum to 1e−6: ${p.name}`, () => {
      const res = lbfgsb(objectiveOf(p), p.x0, { lower: p.lower, upper: p.upper, pgtol: 1e-11, ftol: 1e-15 });
      expect(res.converged).toBe(true);
      expectClose(res.x, p.x, { rtol: 0, atol: 1e-6 });
      expectClose(res.f, p.f, { rtol: 1e-9, atol: 1e-10 });
      for (let i = 0; i < p.x0.length; i++) {
        expect(res.x[i]!).toBeGreaterThanOrEqual(p.lower[i]!);
        expect(res.x[i]!).toBeLessThanOrEqual(p.upper[i]!);
      }
    });
  }

  it('satisfies the KKT conditions on the bounded quadratic', () => {
    const p = fixture.problems.find((q) => q.kind === 'quad')!;
    const res = lbfgsb(objectiveOf(p), p.x0, { lower: p.lower, upper: p.upper, pgtol: 1e-12, ftol: 0 });
    for (let i = 0; i < p.x0.length; i++) {
      const xi = res.x[i]!;
      const gi = res.grad[i]!;
      // f ≈ −25 here, so gradients below ~1e−8 no longer change f in double precision.
      if (xi > p.lower[i]! && xi < p.upper[i]!) expect(Math.abs(gi)).toBeLessThan(1e-7);
      else if (p.lower[i] === p.upper[i]) continue;
      else if (xi === p.lower[i]) expect(gi).toBeGreaterThan(-1e-7);
      else expect(gi).toBeLessThan(1e-7);
    }
  });
});

describe('lbfgsb on problems with known solutions', () => {
  it('a separable quadratic with active bounds ends at clip(c, lower, upper)', () => {
    const n = 12;
    const c = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * i) * 4);
    const w = Float64Array.from({ length: n }, (_, i) => 10 ** ((i % 5) - 2)); // curvatures 1e−2 … 1e2
    const lower = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Number.NEGATIVE_INFINITY : -1));
    const upper = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? Number.POSITIVE_INFINITY : 1.5));
    const res = lbfgsb(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < n; i++) {
          const r = x[i]! - c[i]!;
          f += w[i]! * r * r;
          g[i] = 2 * w[i]! * r;
        }
        return f;
      },
      new Float64Array(n),
      { lower, upper, pgtol: 1e-12, ftol: 0 },
    );
    const expected = c.map((ci, i) => Math.min(Math.max(ci, lower[i]!), upper[i]!));
    expectClose(res.x, expected, { rtol: 0, atol: 1e-9 });
    expect(res.converged).toBe(true);
  });

  it('a coupled 2-d quadratic whose minimiser lies on an edge', () => {
    // f = (x − 2)² + (y − 2)² + x·y on [0, 1] × [0, ∞): x = 1 is active, then y = 2 − 1/2.
    const res = lbfgsb(
      (x, g) => {
        const [u, v] = [x[0]!, x[1]!];
        g[0] = 2 * (u - 2) + v;
        g[1] = 2 * (v - 2) + u;
        return (u - 2) ** 2 + (v - 2) ** 2 + u * v;
      },
      [0.5, 0.5],
      { lower: [0, 0], upper: [1, Number.POSITIVE_INFINITY], pgtol: 1e-12 },
    );
    expectClose(res.x, [1, 1.5], { rtol: 0, atol: 1e-10 });
  });

  it('starts from the projection of an infeasible x0 and stops at once when already optimal', () => {
    const quad: LbfgsbObjective = (x, g) => {
      g[0] = 2 * (x[0]! - 5);
      return (x[0]! - 5) ** 2;
    };
    const res = lbfgsb(quad, [100], { lower: [-1], upper: [2] });
    expect(Array.from(res.x)).toEqual([2]);
    expect(res.iterations).toBe(0);
    expect(res.evaluations).toBe(1);
    expect(res.status).toBe('pgtol');
  });

  it('keeps fixed variables (lower = upper) fixed', () => {
    const res = lbfgsb(rosen, [0, 0, 0], { lower: [-5, 0.3, -5], upper: [5, 0.3, 5], pgtol: 1e-10 });
    expect(res.x[1]).toBe(0.3);
    expect(res.converged).toBe(true);
  });

  it('backs off from regions where the objective is NaN or infinite', () => {
    // f = −log(2 − x) − 3x is NaN beyond x = 2; the first unit step from 1.5 lands at 2.5.
    let nonFinite = 0;
    const res = lbfgsb(
      (x, g) => {
        const u = x[0]!;
        g[0] = 1 / (2 - u) - 3;
        const f = -Math.log(2 - u) - 3 * u;
        if (!Number.isFinite(f)) nonFinite++;
        return f;
      },
      [1.5],
      { pgtol: 1e-12, ftol: 0 },
    );
    expect(nonFinite).toBeGreaterThan(0);
    expect(res.converged).toBe(true);
    expectClose(res.x[0]!, 2 - 1 / 3, { rtol: 1e-10 });
  });

  it('reports limits and a non-finite start', () => {
    const limited = lbfgsb(rosen, [-1.2, 1], { maxIter: 3 });
    expect(limited.status).toBe('maxIter');
    expect(limited.iterations).toBe(3);
    expect(limited.converged).toBe(false);
    const fewEvals = lbfgsb(rosen, [-1.2, 1], { maxFun: 5 });
    expect(fewEvals.status).toBe('maxFun');
    expect(fewEvals.evaluations).toBeLessThanOrEqual(5);
    const bad = lbfgsb(
      (_x, g) => {
        g[0] = 0;
        return Number.NaN;
      },
      [0],
    );
    expect(bad.status).toBe('nonFiniteStart');
    expect(bad.converged).toBe(false);
  });

  it('is deterministic and accepts factr instead of ftol', () => {
    const a = lbfgsb(rosen, [-1.2, 1, 0.5], { factr: 10 });
    const b = lbfgsb(rosen, [-1.2, 1, 0.5], { ftol: 10 * 2.220446049250313e-16 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.evaluations).toBe(b.evaluations);
  });

  it('works with a small memory (m = 1, 3)', () => {
    for (const m of [1, 3]) {
      const res = lbfgsb(rosen, [-1.2, 1, 0.7], { m, pgtol: 1e-9, ftol: 0, maxIter: 5000 });
      expectClose(res.x, [1, 1, 1], { rtol: 0, atol: 1e-6 });
    }
  });

  it('validates its arguments', () => {
    const f: LbfgsbObjective = () => 0;
    expect(() => lbfgsb(f, [0, 0], { lower: [0] })).toThrow(InvalidArgumentError);
    expect(() => lbfgsb(f, [0], { lower: [1], upper: [0] })).toThrow(InvalidArgumentError);
    expect(() => lbfgsb(f, [Number.NaN])).toThrow(InvalidArgumentError);
    expect(() => lbfgsb(f, [0], { m: 0 })).toThrow(InvalidArgumentError);
    expect(() => lbfgsb(f, [0], { ftol: 1e-9, factr: 10 })).toThrow(InvalidArgumentError);
    expect(() => lbfgsb(f, [0], { upper: [Number.NaN] })).toThrow(InvalidArgumentError);
  });
});
