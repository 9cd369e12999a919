import { afterEach, describe, expect, it } from 'vitest';
import { isFeasible } from '../../core/constraints.js';
import { setLogLevel, setLogSink } from '../../core/logging.js';
import { hypervolume } from '../../math/hypervolume/index.js';
import { createStudy } from '../../study/create-study.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import type { Trial } from '../../trial/trial.js';
import { RandomSampler } from '../random/random-sampler.js';
import { GPSampler } from './gp-sampler.js';

describeSamplerConformance('GPSampler (2 objectives)', (seed) => new GPSampler({ seed, nStartupTrials: 4 }), {
  nTrials: 25,
  directions: ['minimize', 'maximize'],
});

/** ZDT1 with 5 variables (both objectives minimised; true front f2 = 1 − √f1). */
function zdt1(trial: Trial): number[] {
  const x = Array.from({ length: 5 }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = 1 + (9 * (x[1]! + x[2]! + x[3]! + x[4]!)) / 4;
  return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
}

async function zdt1Hypervolume(sampler: GPSampler | RandomSampler, nTrials: number): Promise<number> {
  const study = await createStudy({ directions: ['minimize', 'minimize'], sampler });
  await study.optimize(zdt1, { nTrials });
  return hypervolume(
    (await study.bestTrials()).map((t) => [...t.values!]),
    [1.1, 5],
  );
}

afterEach(() => {
  setLogSink(undefined);
  setLogLevel('warn');
});

describe('GPSampler with several objectives', () => {
  it('beats random search on ZDT1 (5 variables, 40 trials) for every seed', async () => {
    // The true front's hypervolume for the reference point (1.1, 5) is 5.5 − 1/3 ≈ 5.167; measured: GP 5.06–5.11, random 2.4–3.0 (seeds 0–4).
    for (const seed of [0, 1, 2]) {
      const gp = await zdt1Hypervolume(new GPSampler({ seed }), 40);
      const random = await zdt1Hypervolume(new RandomSampler({ seed }), 40);
      expect(gp).toBeGreaterThan(random + 1);
      expect(gp).toBeGreaterThan(4.9);
    }
  });

  it('gives the same trials for the same seed, and mixed directions work', async () => {
    const run = async (seed: number) => {
      const study = await createStudy({
        directions: ['minimize', 'maximize'],
        sampler: new GPSampler({ seed, nStartupTrials: 5 }),
      });
      await study.optimize(
        (t) => {
          const x = t.suggestFloat('x', -1, 2);
          const y = t.suggestFloat('y', -1, 2);
          return [x * x + y * y, -((x - 1) ** 2) - (y - 1) ** 2];
        },
        { nTrials: 18 },
      );
      return study;
    };
    const a = await run(3);
    const b = await run(3);
    const pa = (await a.getTrials()).map((t) => t.params);
    expect((await b.getTrials()).map((t) => t.params)).toEqual(pa);
    // The front lies on the segment between (0, 0) and (1, 1): x ≈ y on the model's trials.
    const front = (await a.bestTrials()).filter((t) => t.number >= 5);
    expect(front.length).toBeGreaterThan(3);
    const offSegment = front.filter((t) => Math.abs((t.params.x as number) - (t.params.y as number)) > 0.25);
    expect(offSegment.length).toBeLessThanOrEqual(1);
  });

  it('handles 3 objectives (DTLZ2-like) better than random search', async () => {
    const fn = (t: Trial): number[] => {
      const a = (t.suggestFloat('a', 0, 1) * Math.PI) / 2;
      const b = (t.suggestFloat('b', 0, 1) * Math.PI) / 2;
      const g = (t.suggestFloat('c', 0, 1) - 0.5) ** 2 + (t.suggestFloat('d', 0, 1) - 0.5) ** 2;
      return [
        (1 + g) * Math.cos(a) * Math.cos(b),
        (1 + g) * Math.cos(a) * Math.sin(b),
        (1 + g) * Math.sin(a),
      ];
    };
    const hv = async (sampler: GPSampler | RandomSampler) => {
      const study = await createStudy({ directions: ['minimize', 'minimize', 'minimize'], sampler });
      await study.optimize(fn, { nTrials: 30 });
      return hypervolume(
        (await study.bestTrials()).map((t) => [...t.values!]),
        [1.5, 1.5, 1.5],
      );
    };
    // Mean over seeds 0–2 (measured: GP 2.42, random 2.15; the true front's is 3.375 − π/6 ≈ 2.85).
    let gp = 0;
    let random = 0;
    for (const seed of [0, 1, 2]) {
      gp += (await hv(new GPSampler({ seed }))) / 3;
      random += (await hv(new RandomSampler({ seed }))) / 3;
    }
    expect(gp).toBeGreaterThan(random + 0.1);
  });

  it('respects constraints: the front is feasible and later trials keep near the feasible set', async () => {
    setLogSink(() => {});
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new GPSampler({ seed: 2, deterministicObjective: true }),
      // Feasible when x ≥ 0.4.
      constraints: (trial) => [0.4 - (trial.params.x as number)],
    });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        const y = t.suggestFloat('y', 0, 1);
        return [x + y, (1 - x) ** 2 + y];
      },
      { nTrials: 30 },
    );
    const front = await study.bestTrials();
    expect(front.length).toBeGreaterThan(0);
    for (const t of front) expect(isFeasible(t, true)).toBe(true);
    const late = (await study.getTrials()).slice(15);
    const feasible = late.filter((t) => (t.params.x as number) >= 0.38).length;
    expect(feasible / late.length).toBeGreaterThan(0.7);
  });

  it('gives concurrent trials distinct points', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new GPSampler({ seed: 4, nStartupTrials: 5 }),
    });
    const f = (x: number, y: number) => [x * x + y, (x - 1) ** 2 + y];
    await study.optimize((t) => f(t.suggestFloat('x', 0, 1), t.suggestFloat('y', 0, 1)), { nTrials: 10 });
    const asked = await Promise.all(Array.from({ length: 3 }, () => study.ask()));
    const pts = asked.map((t) => [t.suggestFloat('x', 0, 1), t.suggestFloat('y', 0, 1)] as const);
    for (let i = 0; i < pts.length; i++)
      for (let j = 0; j < i; j++)
        expect(Math.hypot(pts[i]![0] - pts[j]![0], pts[i]![1] - pts[j]![1])).toBeGreaterThan(1e-2);
    for (const [i, t] of asked.entries()) await study.tell(t, f(...pts[i]!));
  });

  it('leaves a constant objective out of the model and says so once', async () => {
    const lines: string[] = [];
    setLogSink((_, m) => lines.push(m));
    setLogLevel('info');
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new GPSampler({ seed: 5, nStartupTrials: 4 }),
    });
    await study.optimize((t) => [(t.suggestFloat('x', 0, 1) - 0.3) ** 2, 1], { nTrials: 14 });
    expect(
      lines.filter((l) => l.includes('objective 1') && l.includes('left out of the model')),
    ).toHaveLength(1);
    expect((await study.bestTrials())[0]!.values![0]!).toBeLessThan(1e-3);
  });
});
