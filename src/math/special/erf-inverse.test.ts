import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from './__fixtures__/fixture.js';
import { erf, erfc } from './erf.js';
import { erfcinv, erfcinvLog, erfinv } from './erf-inverse.js';

interface SpecialFixture {
  erfinv: [number, number][];
  erfcinv: [number, number][];
  erfcinvLog: [number, number][];
}
const fixture = readFixture<SpecialFixture>(new URL('./__fixtures__/special.json', import.meta.url));

describe('inverse error functions against mpmath', () => {
  it('erfinv, including ±1, values next to 1 and out-of-domain inputs', () => {
    for (const [y, expected] of fixture.erfinv) expectClose(erfinv(y), expected, { rtol: 4e-15 });
  });

  it('erfcinv, down to the smallest subnormal', () => {
    for (const [c, expected] of fixture.erfcinv) expectClose(erfcinv(c), expected, { rtol: 4e-15 });
  });

  it('erfcinvLog, for complements far below the smallest double', () => {
    for (const [logc, expected] of fixture.erfcinvLog)
      expectClose(erfcinvLog(logc), expected, { rtol: 4e-15 });
  });
});

describe('inverse identities', () => {
  it('erf(erfinv(y)) = y', () => {
    for (let k = -999; k <= 999; k += 7) {
      const y = k / 1000;
      expectClose(erf(erfinv(y)), y, { rtol: 2e-15, atol: 1e-300 });
    }
    for (const y of [1e-300, 1e-17, 1 - 2 ** -53, -(1 - 2 ** -40)])
      expectClose(erf(erfinv(y)), y, { rtol: 1e-15 });
  });

  it('erfinv(erf(x)) = x up to the rounding of erf(x) (amplified by 1/erf′(x) where erf is flat)', () => {
    for (let x = -4; x <= 4; x += 0.0731) {
      const slope = (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
      expectClose(erfinv(erf(x)), x, { rtol: 1e-15, atol: 2.3e-16 / slope });
    }
  });

  it('erfc(erfcinv(c)) = c, and erfcinv(c) = erfinv(1 − c)', () => {
    for (const c of [1e-300, 1e-50, 1e-5, 0.2, 0.5, 0.8, 1.2, 1.9, 1.999]) {
      expectClose(erfc(erfcinv(c)), c, { rtol: 1e-14 });
    }
    for (const c of [0.6, 0.9, 1.1, 1.4])
      expectClose(erfcinv(c), erfinv(1 - c), { rtol: 1e-15, atol: 1e-300 });
  });

  it('inverts log-complements down to −Number.MAX_VALUE', () => {
    expectClose(erfcinvLog(-1e20), 1e10, { rtol: 1e-15 });
    expectClose(erfcinvLog(-Number.MAX_VALUE), Math.sqrt(Number.MAX_VALUE), { rtol: 1e-15 });
    // Continuity across the switch to the asymptotic form at 1e18.
    expectClose(erfcinvLog(-1e18 * (1 + 1e-12)), erfcinvLog(-1e18 * (1 - 1e-12)), { rtol: 1e-11 });
  });

  it('is odd', () => {
    for (const y of [0.1, 0.5, 0.7, 0.999999]) expect(erfinv(-y)).toBe(-erfinv(y));
  });
});
