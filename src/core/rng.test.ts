import { describe, expect, it } from 'vitest';
import { deriveSeed, hashString, Rng } from './rng.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.random());
    const xb = Array.from({ length: 5 }, () => b.random());
    const xc = Array.from({ length: 5 }, () => c.random());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });
  it('reseed restarts the stream', () => {
    const r = new Rng(7);
    const first = r.random();
    r.random();
    r.reseed(7);
    expect(r.random()).toBe(first);
  });
  it('draws uniform doubles in [0, 1) with the right mean and variance', () => {
    const r = new Rng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = r.random();
      s += x;
      s2 += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });
  it('draws standard normals', () => {
    const r = new Rng(3);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });
  it('int covers both ends uniformly', () => {
    const r = new Rng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.int(0, 2)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
  it('shuffle is a seeded permutation', () => {
    const a = new Rng(9).shuffle([1, 2, 3, 4, 5, 6]);
    expect([...a].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Rng(9).shuffle([1, 2, 3, 4, 5, 6])).toEqual(a);
  });
});

describe('deriveSeed', () => {
  it('is deterministic and separates keys', () => {
    expect(deriveSeed(1, 2, 'lr')).toBe(deriveSeed(1, 2, 'lr'));
    const seen = new Set<number>();
    for (let t = 0; t < 100; t++) for (const k of ['lr', 'units', 'x0']) seen.add(deriveSeed(1, t, k));
    expect(seen.size).toBe(300);
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });
});
