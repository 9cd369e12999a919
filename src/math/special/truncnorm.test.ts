import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from './__fixtures__/fixture.js';
import { logGaussMass, truncnormCdf, truncnormLogPdf, truncnormPpf, truncnormSample } from './truncnorm.js';

interface SpecialFixture {
  logGaussMass: [number, number, number][];
  truncnorm: [number, number, number, number, number, number, number][];
  truncnormPpf: [number, number, number, number, number, number][];
}
const fixture = readFixture<SpecialFixture>(new URL('./__fixtures__/special.json', import.meta.url));

describe('truncated normal against mpmath', () => {
  it('logGaussMass, for intervals in either tail, around 0 and infinite', () => {
    for (const [a, b, expected] of fixture.logGaussMass) {
      expectClose(logGaussMass(a, b), expected, { rtol: 1e-13, atol: 1e-15 });
    }
  });

  it('log-pdf and cdf, including intervals 10 and 1000 standard deviations out', () => {
    for (const [x, mu, sigma, low, high, logpdf, cdf] of fixture.truncnorm) {
      expectClose(truncnormLogPdf(x, mu, sigma, low, high), logpdf, { rtol: 1e-12, atol: 1e-12 });
      expectClose(truncnormCdf(x, mu, sigma, low, high), cdf, { rtol: 1e-11, atol: 1e-300 });
    }
  });

  it('ppf (inverse cdf), accurate when the interval lies far in a tail', () => {
    for (const [q, mu, sigma, low, high, expected] of fixture.truncnormPpf) {
      expectClose(truncnormPpf(q, mu, sigma, low, high), expected, { rtol: 1e-12, atol: 1e-14 });
    }
  });
});

describe('truncated normal draws for samplers', () => {
  it('truncnormSample agrees with the mpmath quantiles to a few ulps of sigma, tails included', () => {
    for (const [q, mu, sigma, low, high, expected] of fixture.truncnormPpf) {
      const scale = Math.max(Math.abs(mu), sigma);
      expectClose(truncnormSample(q, mu, sigma, low, high), expected, { rtol: 1e-9, atol: 1e-9 * scale });
    }
  });

  it('truncnormSample matches truncnormPpf over TPE-like kernels, on both sides of the mean', () => {
    let checked = 0;
    for (const mu of [-0.3, 0, 0.02, 0.5, 0.97, 1.4]) {
      for (const sigma of [1e-4, 0.01, 0.1, 0.5, 3]) {
        for (const u of [0, 1e-12, 0.001, 0.2, 0.5, 0.77, 0.999, 1 - 1e-12, 1]) {
          const x = truncnormSample(u, mu, sigma, 0, 1);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          expectClose(x, truncnormPpf(u, mu, sigma, 0, 1), {
            rtol: 0,
            atol: 1e-9 * Math.max(Math.abs(mu), sigma),
          });
          checked++;
        }
      }
    }
    expect(checked).toBe(270);
    expect(truncnormSample(0.5, 0, 1, -1, 1)).toBe(0);
    expect(truncnormSample(Number.NaN, 0, 1, 0, 1)).toBeNaN();
    expect(truncnormSample(0.5, 0, 0, 0, 1)).toBeNaN();
    expect(truncnormSample(1.5, 0, 1, 0, 1)).toBeNaN();
  });
});

describe('truncated normal identities', () => {
  it('cdf(ppf(q)) = q and the result stays inside [low, high]', () => {
    const cases: [number, number, number, number][] = [
      [0, 1, -1, 1],
      [0.3, 0.05, 0, 1],
      [0, 1, 10, 12],
      [0, 1, -12, -10],
      [2, 0.2, -1, 0],
    ];
    for (const [mu, sigma, low, high] of cases) {
      for (const q of [1e-6, 0.05, 0.4, 0.6, 0.95, 1 - 1e-6]) {
        const x = truncnormPpf(q, mu, sigma, low, high);
        expect(x).toBeGreaterThanOrEqual(low);
        expect(x).toBeLessThanOrEqual(high);
        // x itself is rounded: the cdf can only match q up to pdf(x)·ulp(x).
        const slope = Math.exp(truncnormLogPdf(x, mu, sigma, low, high));
        expectClose(truncnormCdf(x, mu, sigma, low, high), q, {
          rtol: 1e-12,
          atol: 4.5e-16 * Math.abs(x) * slope,
        });
      }
    }
  });

  it('the density integrates to 1 (midpoint rule)', () => {
    const [mu, sigma, low, high] = [0.7, 0.2, 0, 1];
    const n = 20000;
    let sum = 0;
    for (let i = 0; i < n; i++)
      sum += Math.exp(truncnormLogPdf(low + ((i + 0.5) / n) * (high - low), mu, sigma, low, high));
    expectClose(sum / n, 1, { rtol: 1e-8 });
  });

  it('rejects invalid parameters with NaN', () => {
    expect(truncnormLogPdf(0.5, 0, 0, 0, 1)).toBeNaN();
    expect(truncnormCdf(0.5, 0, 1, 1, 1)).toBeNaN();
    expect(truncnormPpf(0.5, Number.NaN, 1, 0, 1)).toBeNaN();
    expect(truncnormPpf(-0.1, 0, 1, 0, 1)).toBeNaN();
    expect(logGaussMass(2, 1)).toBeNaN();
    expect(truncnormLogPdf(2, 0, 1, 0, 1)).toBe(Number.NEGATIVE_INFINITY);
  });
});
