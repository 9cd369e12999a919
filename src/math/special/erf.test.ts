import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from './__fixtures__/fixture.js';
import { erf, erfc, erfcx } from './erf.js';

interface SpecialFixture {
  erf: [number, number, number, number][];
}
const fixture = readFixture<SpecialFixture>(new URL('./__fixtures__/special.json', import.meta.url));

describe('erf family against mpmath', () => {
  it('erf matches to a few ulps, including ±Infinity and NaN', () => {
    for (const [x, expected] of fixture.erf) expectClose(erf(x), expected, { rtol: 2e-15, atol: 1e-300 });
  });

  it('erfc matches relative to its own size deep in the upper tail', () => {
    for (const [x, , expected] of fixture.erf) expectClose(erfc(x), expected, { rtol: 2e-15 });
  });

  it('erfcx matches for tiny, huge and negative arguments', () => {
    for (const [x, , , expected] of fixture.erf) expectClose(erfcx(x), expected, { rtol: 2e-15 });
  });
});

describe('erf identities', () => {
  it('is odd, and erf + erfc = 1', () => {
    for (let x = -6; x <= 6; x += 0.173) {
      expect(erf(-x)).toBe(-erf(x));
      expectClose(erf(x) + erfc(x), 1, { rtol: 0, atol: 4e-16 });
    }
  });

  it('keeps the limits: erf(0) = 0, erfc(x) underflows to 0, erfcx(x)·x·√π → 1', () => {
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expectClose(erfcx(1e150) * 1e150 * Math.sqrt(Math.PI), 1, { rtol: 1e-15 });
    expect(erfcx(-27)).toBe(Number.POSITIVE_INFINITY);
  });

  it('is monotone across the branch points 0.5 and −0.5', () => {
    for (const b of [0.5, -0.5]) {
      let prev = erf(b - 1e-12);
      for (let k = -5; k <= 5; k++) {
        const v = erf(b + k * 2e-13);
        expect(v).toBeGreaterThanOrEqual(prev);
        prev = v;
      }
    }
  });
});
