import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { LogisticRegression } from './logistic-regression.js';
import { ScaledEstimator } from './scaled-estimator.js';

describe('ScaledEstimator', () => {
  it('fits the scaler on the training rows and passes standardised rows to the model', async () => {
    const seen: number[][][] = [];
    const spy = {
      fit: (x: number[][]) => {
        seen.push(x);
      },
      predict: (x: number[][]) => {
        seen.push(x);
        return x.map(() => 0);
      },
    };
    const s = await new ScaledEstimator(spy).fit([[0], [10]], [0, 1]);
    expect(seen[0]).toEqual([[-1], [1]]);
    expect(s.predict([[5], [20]])).toEqual([0, 0]);
    expect(seen[1]).toEqual([[0], [3]]);
    expect(() => s.predictProba([[1]])).toThrow(InvalidArgumentError);
  });

  it('is invariant to the scale of the features for a logistic regression', async () => {
    const x = [[1], [2], [3], [4], [5], [6]];
    const y = [0, 0, 1, 0, 1, 1];
    const a = await new ScaledEstimator(new LogisticRegression()).fit(x, y);
    const b = await new ScaledEstimator(new LogisticRegression()).fit(
      x.map((r) => [r[0]! * 1000]),
      y,
    );
    expectClose((await a.predictProba([[3.5]]))[0]!, (await b.predictProba([[3500]]))[0]!, { rtol: 1e-6 });
  });
});
