import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { expectClose } from '../../testing/expect-close.js';
import { hypervolume, nonDominated } from './hypervolume.js';

interface HvCase {
  name: string;
  points: number[][];
  reference: number[];
  value: number;
  methods: string[];
}
const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/hypervolume.json', import.meta.url), 'utf8'),
) as { source: string; cases: HvCase[] };

/** An independent 3-D check: slices in z, each slice's area by the 2-D path. */
function sliced3d(points: number[][], ref: number[]): number {
  const pts = points.filter((p) => p.every((v, j) => v < ref[j]!)).sort((a, b) => a[2]! - b[2]!);
  let vol = 0;
  for (let i = 0; i < pts.length; i++) {
    const zNext = i + 1 < pts.length ? pts[i + 1]![2]! : ref[2]!;
    if (zNext === pts[i]![2]) continue;
    const area = hypervolume(
      pts.slice(0, i + 1).map((p) => [p[0]!, p[1]!]),
      [ref[0]!, ref[1]!],
    );
    vol += area * (zNext - pts[i]![2]!);
  }
  return vol;
}

describe('hypervolume against the reference script', () => {
  it(`matches every case (${fixture.source})`, () => {
    expect(fixture.cases.length).toBeGreaterThan(80);
    const dims = new Set<number>();
    for (const c of fixture.cases) {
      const got = hypervolume(c.points, c.reference);
      if (!Number.isFinite(got) || Math.abs(got - c.value) > 1e-10 * Math.max(1, Math.abs(c.value))) {
        throw new Error(`${c.name}: got ${got}, expected ${c.value}`);
      }
      dims.add(c.reference.length);
    }
    expect([...dims].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('does not depend on the order of the points', () => {
    const rng = new Rng(3);
    for (const c of fixture.cases.filter((k) => k.points.length > 3)) {
      const shuffled = rng.shuffle(c.points.map((p) => [...p]));
      expectClose(hypervolume(shuffled, c.reference), c.value, { rtol: 1e-10, atol: 1e-14 });
    }
  });
});

describe('hypervolume', () => {
  it('is 0 for an empty set and for points outside the reference box', () => {
    expect(hypervolume([], [1, 1, 1])).toBe(0);
    expect(hypervolume([[2, 0, 0]], [1, 1, 1])).toBe(0);
    expect(hypervolume([[1, 0]], [1, 1])).toBe(0); // on the boundary: no volume
    expect(hypervolume([[0, Number.POSITIVE_INFINITY]], [1, 1])).toBe(0);
  });

  it('gives Infinity for an infinite reference coordinate', () => {
    expect(hypervolume([[0, 0]], [1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects mismatched lengths and NaN', () => {
    expect(() => hypervolume([[0, 0, 0]], [1, 1])).toThrow(RangeError);
    expect(() => hypervolume([[0, Number.NaN]], [1, 1])).toThrow(RangeError);
    expect(() => hypervolume([[0, 0]], [1, Number.NaN])).toThrow(RangeError);
    expect(() => hypervolume([], [])).toThrow(RangeError);
  });

  it('3-D sweep agrees with slicing by the 2-D path on large random fronts', () => {
    const rng = new Rng(11);
    for (const n of [50, 200, 500]) {
      const pts: number[][] = [];
      for (let i = 0; i < n; i++) {
        const a = [Math.abs(rng.normal()), Math.abs(rng.normal()), Math.abs(rng.normal())];
        const norm = Math.hypot(a[0]!, a[1]!, a[2]!);
        // On the sphere, with a few dominated points and duplicates mixed in.
        pts.push(a.map((v) => v / norm + (i % 7 === 0 ? 0.2 : 0)));
        if (i % 13 === 0) pts.push([...pts[pts.length - 1]!]);
      }
      expectClose(hypervolume(pts, [1.1, 1.1, 1.1]), sliced3d(pts, [1.1, 1.1, 1.1]), { rtol: 1e-11 });
    }
  });

  it('4-D and 5-D WFG agree with the 3-D path when an objective is constant', () => {
    const rng = new Rng(5);
    const pts3 = Array.from({ length: 40 }, () => [rng.random(), rng.random(), rng.random()]);
    const v3 = hypervolume(pts3, [1, 1, 1]);
    const at = (k: number) =>
      pts3.map((p) => {
        const q = [...p];
        q.splice(k, 0, 0.25);
        return q;
      });
    for (let k = 0; k <= 3; k++) expectClose(hypervolume(at(k), [1, 1, 1, 1]), 0.75 * v3, { rtol: 1e-11 });
    const pts5 = pts3.map((p) => [0.5, ...p, 0.5]);
    expectClose(hypervolume(pts5, [1, 1, 1, 1, 1]), 0.25 * v3, { rtol: 1e-11 });
  });

  it('computes a 100-point 4-D front and a 10,000-point 2-D set quickly', () => {
    const rng = new Rng(9);
    const front4 = Array.from({ length: 100 }, () => {
      const a = [0, 0, 0, 0].map(() => Math.abs(rng.normal()));
      const norm = Math.hypot(...a);
      return a.map((v) => v / norm);
    });
    const t0 = performance.now();
    const v = hypervolume(front4, [1.1, 1.1, 1.1, 1.1]);
    expect(v).toBeGreaterThan(0.5);
    expect(v).toBeLessThan(1.1 ** 4);
    const pts2 = Array.from({ length: 10_000 }, () => [rng.random(), rng.random()]);
    expect(hypervolume(pts2, [1, 1])).toBeGreaterThan(0.99);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('nonDominated', () => {
  it('keeps one copy of each non-dominated point, sorted', () => {
    expect(
      nonDominated([
        [0.5, 0.5],
        [0.2, 0.8],
        [0.5, 0.5],
        [0.6, 0.6],
        [0.2, 0.9],
      ]),
    ).toEqual([
      [0.2, 0.8],
      [0.5, 0.5],
    ]);
    expect(nonDominated([])).toEqual([]);
  });
});
