import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { readFixture } from './__fixtures__/fixture.js';
import { log1mExp, logAddExp, logSubExp, logSumExp } from './log-sum-exp.js';

interface SpecialFixture {
  logSumExp: [number[], number][];
  logAddExp: [number, number, number][];
  log1mExp: [number, number][];
  logSubExp: [number, number, number][];
}
const fixture = readFixture<SpecialFixture>(new URL('./__fixtures__/special.json', import.meta.url));

describe('log-space arithmetic against mpmath', () => {
  it('logSumExp over arrays, including empty, ±Infinity and NaN entries', () => {
    for (const [a, expected] of fixture.logSumExp) {
      expectClose(logSumExp(a), expected, { rtol: 4e-16, atol: 4e-16 });
      expectClose(logSumExp(Float64Array.from(a)), expected, { rtol: 4e-16, atol: 4e-16 });
    }
  });

  it('logSumExp reads only [start, end)', () => {
    const a = Float64Array.from([Number.NaN, 1, 2, 3, Number.POSITIVE_INFINITY]);
    expectClose(logSumExp(a, 1, 4), Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), { rtol: 1e-15 });
    expect(logSumExp(a, 2, 2)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('logAddExp, log1mExp and logSubExp', () => {
    for (const [a, b, expected] of fixture.logAddExp) expectClose(logAddExp(a, b), expected, { rtol: 4e-16 });
    for (const [x, expected] of fixture.log1mExp)
      expectClose(log1mExp(x), expected, { rtol: 4e-16, atol: 1e-323 });
    for (const [a, b, expected] of fixture.logSubExp) expectClose(logSubExp(a, b), expected, { rtol: 4e-16 });
  });
});
