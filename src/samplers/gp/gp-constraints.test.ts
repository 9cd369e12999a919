import { describe, expect, it } from 'vitest';
import { constraintViolation, isFeasible } from '../../core/constraints.js';
import { setLogSink } from '../../core/logging.js';
import { gpPosteriorState } from '../../math/gp/index.js';
import { createStudy } from '../../study/create-study.js';
import { ConstrainedLogEI, GPSampler } from './gp-sampler.js';

describe('GPSampler with constraints', () => {
  it('constrained log EI has the gradient of its values', () => {
    const D = 2;
    const X = Float64Array.from([0.1, 0.2, 0.8, 0.3, 0.4, 0.9, 0.6, 0.6, 0.2, 0.7]);
    const yc = Float64Array.from([1.2, -0.5, 0.3, -1.1, 0.1]);
    const params = {
      inverseSquaredLengthScales: Float64Array.from([4, 2]),
      signalVariance: 1,
      noiseVariance: 1e-4,
    };
    const state = gpPosteriorState(X, yc, 5, D, params);
    const acq = new ConstrainedLogEI(null, [{ state, threshold: -0.2 }], D);
    const x = Float64Array.from([0.35, 0.55]);
    const g = new Float64Array(D);
    const v = acq.evaluateWithGradient(x, g);
    const out = new Float64Array(1);
    acq.evaluate(x, 1, out);
    expect(out[0]).toBeCloseTo(v, 9);
    const h = 1e-6;
    for (let j = 0; j < D; j++) {
      const xp = x.slice();
      xp[j] = xp[j]! + h;
      const xm = x.slice();
      xm[j] = xm[j]! - h;
      const fp = new Float64Array(1);
      const fm = new Float64Array(1);
      acq.evaluate(xp, 1, fp);
      acq.evaluate(xm, 1, fm);
      expect(g[j]!).toBeCloseTo((fp[0]! - fm[0]!) / (2 * h), 4);
    }
  });

  it('minimises x² + y² subject to x + y ≥ 1 and finds feasible good points', async () => {
    setLogSink(() => {});
    const study = await createStudy({
      sampler: new GPSampler({ seed: 1, deterministicObjective: true }),
      constraints: (trial) => [1 - (trial.params.x as number) - (trial.params.y as number)],
    });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -2, 2);
        const y = trial.suggestFloat('y', -2, 2);
        return x * x + y * y;
      },
      { nTrials: 35 },
    );
    const best = await study.bestTrial();
    expect(isFeasible(best, true)).toBe(true);
    expect(best.values![0]!).toBeLessThan(0.52); // optimum 0.5 at (0.5, 0.5), on the boundary
    // It searches along the boundary: later trials are feasible or violate by a hair.
    const late = (await study.getTrials()).slice(15);
    const near = late.filter((t) => (constraintViolation(t) ?? 1) < 0.01).length;
    expect(near / late.length).toBeGreaterThan(0.6);
  });
});
