import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../testing/expect-close.js';
import { createEhviWorkspace, ehviBoxes, logEhvi, logEhviWithGradient } from './log-ehvi.js';

interface EhviCase {
  name: string;
  front: number[][];
  reference: number[];
  mean: number[];
  variance: number[];
  ehvi: number;
  dLogMean: number[];
  dLogVariance: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/ehvi.json', import.meta.url), 'utf8')) as {
  cases: EhviCase[];
};

describe('logEhvi', () => {
  it('matches the reference EHVI and its gradient (2, 3 and 4 objectives)', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(10);
    for (const c of fixture.cases) {
      const boxes = ehviBoxes(c.front, c.reference);
      const work = createEhviWorkspace(boxes);
      const m = c.reference.length;
      expectClose(logEhvi(boxes, c.mean, c.variance, work), Math.log(c.ehvi), { rtol: 1e-9, atol: 1e-10 });
      const dm = new Float64Array(m);
      const dv = new Float64Array(m);
      const v = logEhviWithGradient(boxes, c.mean, c.variance, dm, dv, work);
      expectClose(v, Math.log(c.ehvi), { rtol: 1e-9, atol: 1e-10 });
      expectClose(dm, c.dLogMean, { rtol: 1e-5, atol: 1e-6 });
      expectClose(dv, c.dLogVariance, { rtol: 1e-5, atol: 1e-6 });
    }
  });

  it('stays finite far from any improvement, where EHVI underflows', () => {
    const boxes = ehviBoxes(
      [
        [1, 0],
        [0, 1],
      ],
      [-1, -1],
    );
    const work = createEhviWorkspace(boxes);
    const dm = new Float64Array(2);
    const dv = new Float64Array(2);
    const v = logEhviWithGradient(boxes, [-30, -30], [0.01, 0.01], dm, dv, work);
    expect(v).toBeLessThan(-1000);
    expect(Number.isFinite(v)).toBe(true);
    expect(dm.every((g) => Number.isFinite(g) && g > 0)).toBe(true);
    expect(dv.every((g) => Number.isFinite(g) && g > 0)).toBe(true);
  });
});
