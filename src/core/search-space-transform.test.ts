import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/expect-close.js';
import { categoricalDistribution, floatDistribution, intDistribution } from './distributions.js';
import { SearchSpaceTransform } from './search-space-transform.js';

const space = {
  lr: floatDistribution(1e-5, 1e-1, { log: true }),
  units: intDistribution(16, 256, { step: 16 }),
  layers: intDistribution(1, 4),
  opt: categoricalDistribution(['sgd', 'adam', 'rmsprop']),
  drop: floatDistribution(0, 0.5),
  wd: intDistribution(1, 1000, { log: true }),
};

describe('SearchSpaceTransform', () => {
  it('encodes into [0,1]^D with one-hot categoricals and decodes back exactly', () => {
    const tr = new SearchSpaceTransform(space);
    expect(tr.dim).toBe(8);
    expect([...tr.isCategoricalColumn]).toEqual([0, 0, 0, 1, 1, 1, 0, 0]);
    const values = { lr: 1e-3, units: 64, layers: 3, opt: 2, drop: 0.25, wd: 10 };
    const x = tr.transform(values);
    for (const v of x) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expectClose(x[0]!, 0.5, { rtol: 1e-12 });
    expect([...x.slice(3, 6)]).toEqual([0, 0, 1]);
    expectClose(x[6]!, 0.5, { rtol: 1e-12 });
    const back = tr.untransform(x);
    expectClose(back.lr!, 1e-3, { rtol: 1e-12 });
    expect({ ...back, lr: 1e-3 }).toEqual(values);
  });

  it('gives every grid value an equal share of its column', () => {
    const tr = new SearchSpaceTransform({ layers: intDistribution(1, 4) });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[tr.untransform([(i + 0.5) / 400]).layers! - 1]!++;
    expect(counts).toEqual([100, 100, 100, 100]);
    expectClose(tr.params[0]!.unitStep, 0.25, { rtol: 1e-12 });
  });

  it('clips out-of-box points and encodes categoricals as indices on request', () => {
    const tr = new SearchSpaceTransform(space, { categorical: 'index' });
    expect(tr.dim).toBe(6);
    const back = tr.untransform([-1, 2, 0.5, 0.99, 7, -3]);
    expect(back).toEqual({ lr: 1e-5, units: 256, layers: 3, opt: 2, drop: 0.5, wd: 1 });
  });
});
