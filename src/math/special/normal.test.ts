import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from './__fixtures__/fixture.js';
import { logNdtr, ndtr, ndtri, ndtriExp, normLogPdf, normPdf } from './normal.js';

interface SpecialFixture {
  normal: [number, number, number, number, number][];
  ndtri: [number, number][];
  ndtriExp: [number, number][];
}
const fixture = readFixture<SpecialFixture>(new URL('./__fixtures__/special.json', import.meta.url));

describe('standard normal against mpmath', () => {
  it('pdf and log-pdf, including x = ±40, ±1e3 and non-finite x', () => {
    for (const [x, pdf, logpdf] of fixture.normal) {
      expectClose(normPdf(x), pdf, { rtol: 2e-15 });
      expectClose(normLogPdf(x), logpdf, { rtol: 2e-15 });
    }
  });

  it('cdf (ndtr), relative to its size in the lower tail', () => {
    for (const [x, , , cdf] of fixture.normal) expectClose(ndtr(x), cdf, { rtol: 2e-15 });
  });

  it('log-cdf (logNdtr), deep in the lower tail and near 0 in the upper tail', () => {
    for (const [x, , , , logcdf] of fixture.normal) expectClose(logNdtr(x), logcdf, { rtol: 2e-15 });
    expectClose(logNdtr(-40), -804.60844201381, { rtol: 1e-13 });
  });

  it('quantile (ndtri), from the smallest subnormal to 1 − 2⁻⁵³', () => {
    for (const [p, x] of fixture.ndtri) expectClose(ndtri(p), x, { rtol: 4e-15 });
  });

  it('quantile of a log-probability (ndtriExp), for log-probabilities down to −1e6', () => {
    for (const [logp, x] of fixture.ndtriExp) expectClose(ndtriExp(logp), x, { rtol: 4e-15 });
  });
});

describe('normal identities', () => {
  it('ndtri(ndtr(x)) = x, up to the rounding of Φ(x) (ε·Φ(x)/φ(x), large only for x > 0)', () => {
    for (let x = -37; x <= 8; x += 0.37) {
      expectClose(ndtri(ndtr(x)), x, { rtol: 4e-15, atol: (1.2e-16 * ndtr(x)) / normPdf(x) });
    }
  });

  it('ndtr(ndtri(p)) = p and ndtriExp(logNdtr(x)) = x', () => {
    // Φ amplifies the relative rounding of x by x², so the round trip at p = 1e−300 (x ≈ −37) is ~1e−13.
    for (const p of [1e-300, 1e-30, 1e-8, 0.01, 0.3, 0.5, 0.6, 0.77, 0.99]) {
      const x = ndtri(p);
      expectClose(ndtr(x), p, { rtol: 4e-15 * Math.max(1, x * x) });
    }
    for (const x of [-1e3, -40, -12, -1.5, 0.2, 3, 7]) expectClose(ndtriExp(logNdtr(x)), x, { rtol: 1e-13 });
  });

  it('has the symmetry Φ(x) + Φ(−x) = 1 and ndtri(1 − p) = −ndtri(p)', () => {
    for (let x = -8; x <= 8; x += 0.25) expectClose(ndtr(x) + ndtr(-x), 1, { rtol: 0, atol: 3e-16 });
    for (const p of [1 / 1024, 0.125, 0.3125, 0.4375]) expect(ndtri(1 - p)).toBe(-ndtri(p));
  });

  it('returns NaN out of the domain', () => {
    expect(ndtri(-1e-300)).toBeNaN();
    expect(ndtri(1.0000000000000002)).toBeNaN();
    expect(ndtriExp(1e-300)).toBeNaN();
    expect(logNdtr(Number.NaN)).toBeNaN();
  });
});
