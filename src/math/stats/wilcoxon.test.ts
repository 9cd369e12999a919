import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TunekitError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { type WilcoxonAlternative, type WilcoxonZeroMethod, wilcoxonSignedRank } from './wilcoxon.js';

interface WilcoxonCase {
  d: number[];
  alternative: WilcoxonAlternative;
  zero_method: WilcoxonZeroMethod;
  correction: boolean;
  method: 'exact' | 'approx';
  statistic: number;
  pvalue: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/wilcoxon.json', import.meta.url), 'utf8'),
) as { source: string; cases: WilcoxonCase[] };

describe('wilcoxonSignedRank against scipy.stats.wilcoxon', () => {
  it(`matches every case of the fixture (${fixture.source})`, () => {
    expect(fixture.cases.length).toBeGreaterThan(200);
    const methods = new Set<string>();
    for (const c of fixture.cases) {
      const res = wilcoxonSignedRank(c.d, {
        alternative: c.alternative,
        zeroMethod: c.zero_method,
        correction: c.correction,
      });
      const what = `${JSON.stringify(c.d.slice(0, 6))}… n=${c.d.length} ${c.alternative} ${c.zero_method} correction=${c.correction}`;
      expect(res.method, what).toBe(c.method);
      expectClose(res.statistic, c.statistic, { rtol: 1e-12 });
      // Exact p-values are sums of the same counts; the normal tail is accurate to a few ulps.
      expectClose(res.pvalue, c.pvalue, { rtol: 1e-11, atol: 1e-300 });
      methods.add(`${res.method}:${c.zero_method}`);
    }
    expect([...methods].sort()).toEqual(['approx:pratt', 'approx:wilcox', 'approx:zsplit', 'exact:wilcox']);
  });

  it('gives the textbook exact tail: all 5 differences positive → p = 1/32 (greater)', () => {
    const res = wilcoxonSignedRank([0.5, 1, 1.5, 2, 2.5], { alternative: 'greater' });
    expect(res.method).toBe('exact');
    expect(res.statistic).toBe(15);
    expectClose(res.pvalue, 1 / 32);
    expectClose(wilcoxonSignedRank([0.5, 1, 1.5, 2, 2.5]).pvalue, 2 / 32);
  });

  it('forces the normal approximation with method: approx, and falls back to it with ties', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4], { method: 'approx' }).method).toBe('approx');
    expect(wilcoxonSignedRank([1, 2, 2, 4], { method: 'exact' }).method).toBe('approx');
    expect(wilcoxonSignedRank([0, 2, 3, 4], { method: 'exact' }).method).toBe('approx');
  });

  it('returns NaN for no differences, and p = 0.5 (one-sided) when every difference is zero (zsplit)', () => {
    const empty = wilcoxonSignedRank([]);
    expect(empty.pvalue).toBeNaN();
    expect(empty.statistic).toBeNaN();
    expectClose(wilcoxonSignedRank([0, 0, 0], { zeroMethod: 'zsplit', alternative: 'greater' }).pvalue, 0.5);
  });

  it('rejects bad input with a typed error', () => {
    expect(() => wilcoxonSignedRank([0, 0])).toThrow(TunekitError);
    expect(() => wilcoxonSignedRank([0, 0])).toThrow(/zsplit/);
    expect(() => wilcoxonSignedRank([1, Number.NaN])).toThrow(/finite/);
    expect(() => wilcoxonSignedRank([1, 2], { alternative: 'up' as never })).toThrow(/alternative/);
    expect(() => wilcoxonSignedRank([1, 2], { zeroMethod: 'drop' as never })).toThrow(/zeroMethod/);
    expect(() => wilcoxonSignedRank([1, 2], { method: 'fast' as never })).toThrow(/method/);
  });
});
