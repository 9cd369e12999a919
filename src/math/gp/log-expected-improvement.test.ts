import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { ndtr, normPdf } from '../special/normal.js';
import { logExpectedImprovement, logExpectedImprovementWithGradient } from './log-expected-improvement.js';

function naiveEI(mu: number, v: number, best: number): number {
  const s = Math.sqrt(v);
  const z = (mu - best) / s;
  return s * (z * ndtr(z) + normPdf(z));
}

describe('logExpectedImprovement', () => {
  it('equals log of the textbook EI where that is representable', () => {
    const mean = [0.3, -1, 2, 0.5, -3];
    const variance = [0.04, 1, 0.5, 2, 0.09];
    const out = logExpectedImprovement(mean, variance, 0.5, new Float64Array(5));
    for (let i = 0; i < 5; i++)
      expectClose(out[i]!, Math.log(naiveEI(mean[i]!, variance[i]!, 0.5)), { rtol: 1e-12 });
  });

  it('stays finite and ordered where EI underflows to 0', () => {
    const mean = [-10, -20, -400];
    const variance = [0.01, 0.01, 0.01];
    expect(naiveEI(-20, 0.01, 0)).toBe(0);
    const out = logExpectedImprovement(mean, variance, 0, new Float64Array(3));
    for (const v of out) expect(Number.isFinite(v)).toBe(true);
    expect(out[0]!).toBeGreaterThan(out[1]!);
    expect(out[1]!).toBeGreaterThan(out[2]!);
  });

  it('handles zero and NaN variance', () => {
    const out = logExpectedImprovement([2, -1, 0], [0, 0, Number.NaN], 1, new Float64Array(3));
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(Number.NEGATIVE_INFINITY);
    expect(out[2]).toBeNaN();
  });

  it('has gradients matching finite differences, in the body and far in the tail', () => {
    const mean = [0.2, -1.5, -30, 1.1];
    const variance = [0.3, 0.05, 0.25, 1e-3];
    const best = 0.4;
    const out = new Float64Array(4);
    const dMean = new Float64Array(4);
    const dVar = new Float64Array(4);
    logExpectedImprovementWithGradient(mean, variance, best, out, dMean, dVar);
    expectClose(out, logExpectedImprovement(mean, variance, best, new Float64Array(4)), { rtol: 1e-15 });
    const one = new Float64Array(1);
    for (let i = 0; i < 4; i++) {
      const hm = 1e-6 * Math.max(1, Math.abs(mean[i]!));
      const up = logExpectedImprovement([mean[i]! + hm], [variance[i]!], best, one)[0]!;
      const down = logExpectedImprovement([mean[i]! - hm], [variance[i]!], best, one)[0]!;
      expectClose(dMean[i]!, (up - down) / (2 * hm), { rtol: 1e-6 });
      const hv = 1e-6 * variance[i]!;
      const vUp = logExpectedImprovement([mean[i]!], [variance[i]! + hv], best, one)[0]!;
      const vDown = logExpectedImprovement([mean[i]!], [variance[i]! - hv], best, one)[0]!;
      expectClose(dVar[i]!, (vUp - vDown) / (2 * hv), { rtol: 1e-6, atol: 1e-9 });
    }
  });
});
