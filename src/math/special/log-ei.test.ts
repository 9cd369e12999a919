import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from './__fixtures__/fixture.js';
import { logEI, logEIDerivative } from './log-ei.js';
import { ndtr, normPdf } from './normal.js';

interface SpecialFixture {
  logEI: [number, number, number][];
}
const fixture = readFixture<SpecialFixture>(new URL('./__fixtures__/special.json', import.meta.url));

describe('logEI against mpmath', () => {
  it('matches log(zΦ(z) + φ(z)) from z = −1e150 to 1e300, with ±Infinity and NaN', () => {
    for (const [z, expected] of fixture.logEI) {
      // 1 < −z < 10 forms 1 − u·R(u) directly, which costs up to a factor u² in absolute error.
      expectClose(logEI(z), expected, { rtol: 4e-15, atol: 2e-14 });
    }
  });

  it('is accurate deep in the tail where the naive formula returns −Infinity', () => {
    const naive = (z: number) => Math.log(z * ndtr(z) + normPdf(z));
    expect(naive(-40)).toBe(Number.NEGATIVE_INFINITY);
    expectClose(logEI(-40), -808.29856835662, { rtol: 1e-13 });
    expectClose(logEI(-1e3), -500014.73445209116, { rtol: 1e-15 });
  });

  it('derivative Φ(z)/h(z) matches mpmath', () => {
    // 1 < −z < 10 forms 1 − u·R(u) directly: up to u²·ε ≈ 2e−14 relative error there.
    for (const [z, , expected] of fixture.logEI) expectClose(logEIDerivative(z), expected, { rtol: 4e-14 });
  });

  it('derivative matches central finite differences of logEI', () => {
    for (const z of [-300, -35, -12, -9.5, -3, -1.2, -0.8, 0, 0.7, 4]) {
      const h = 1e-6 * Math.max(1, Math.abs(z));
      const fd = (logEI(z + h) - logEI(z - h)) / (2 * h);
      expectClose(logEIDerivative(z), fd, { rtol: 1e-7 });
    }
  });

  it('is continuous across the branch points −1 and −10', () => {
    for (const b of [-1, -10]) {
      const below = logEI(b * (1 + 1e-15));
      const at = logEI(b);
      expectClose(below, at, { rtol: 1e-13, atol: 1e-14 });
      expect(logEI(b + 1e-9)).toBeGreaterThan(at);
    }
  });
});
