import { describe, expect, it } from 'vitest';
import { floatDistribution } from '../../core/distributions.js';
import { setLogSink } from '../../core/logging.js';
import { createStudy } from '../../study/create-study.js';
import { BENCH_PROBLEMS } from '../../testing/problems.js';
import { describeSamplerConformance } from '../../testing/sampler-conformance.js';
import { addBudgetTrials } from '../__fixtures__/budget-trials.js';
import { RandomSampler } from '../random/random-sampler.js';
import { TPESampler } from './tpe-sampler.js';

describeSamplerConformance('TPESampler', (seed) => new TPESampler({ seed, nStartupTrials: 5 }));
describeSamplerConformance(
  'TPESampler (independent)',
  (seed) => new TPESampler({ seed, nStartupTrials: 5, multivariate: false }),
);

async function bestOf(
  sampler: () => TPESampler | RandomSampler,
  problem: string,
  trials: number,
  seeds: number,
) {
  const p = BENCH_PROBLEMS[problem]!;
  let sum = 0;
  for (let s = 0; s < seeds; s++) {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize((t) => p.objective(t), { nTrials: trials });
    sum += (await study.bestValue()) - p.fstar;
  }
  return sum / seeds;
}

describe('TPESampler', () => {
  it('beats random search clearly on hartmann3 and mixed_mlp', async () => {
    let seed = 0;
    for (const problem of ['hartmann3', 'mixed_mlp']) {
      const tpe = await bestOf(() => new TPESampler({ seed: seed++ }), problem, 60, 4);
      const random = await bestOf(() => new RandomSampler({ seed: seed++ }), problem, 60, 4);
      expect(tpe).toBeLessThan(random / 2);
    }
  });

  it('spreads concurrent workers apart with the constant liar', async () => {
    const study = await createStudy({ sampler: new TPESampler({ seed: 1, nStartupTrials: 5 }) });
    await study.optimize((t) => (t.suggestFloat('x', 0, 1) - 0.5) ** 2, { nTrials: 10 });
    const xs: number[] = [];
    const asked = await Promise.all(Array.from({ length: 4 }, () => study.ask()));
    for (const t of asked) xs.push(t.suggestFloat('x', 0, 1));
    expect(new Set(xs).size).toBe(4);
  });

  it('does not throw on degenerate studies: all failed, constant values, ±Inf, one trial', async () => {
    const lines: string[] = [];
    setLogSink((_, m) => lines.push(m));
    const cases: Array<(n: number) => number> = [
      () => {
        throw new Error('always fails');
      },
      () => 1,
      (n) => (n % 2 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY),
    ];
    for (const value of cases) {
      const study = await createStudy({ sampler: new TPESampler({ seed: 3, nStartupTrials: 2 }) });
      await study.optimize(
        (t) => {
          t.suggestFloat('x', 0, 1, { log: false });
          t.suggestInt('k', 1, 5);
          t.suggestCategorical('c', [true, false, null]);
          return value(t.number);
        },
        { nTrials: 15 },
      );
      const trials = await study.getTrials();
      expect(trials).toHaveLength(15);
      expect(trials.every((t) => t.state === 'complete' || t.state === 'fail')).toBe(true);
    }
    setLogSink(undefined);
    const single = await createStudy({ sampler: new TPESampler({ seed: 4, nStartupTrials: 0 }) });
    await single.optimize((t) => t.suggestFloat('x', -1, 1), { nTrials: 2 });
    expect((await single.getTrials()).map((t) => t.state)).toEqual(['complete', 'complete']);
  });

  it('handles multi-objective studies', async () => {
    const study = await createStudy({
      directions: ['minimize', 'minimize'],
      sampler: new TPESampler({ seed: 5, nStartupTrials: 10 }),
    });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        const y = t.suggestFloat('y', 0, 1);
        return [x, (1 + y) * (1 - Math.sqrt(x))];
      },
      { nTrials: 40 },
    );
    const front = await study.bestTrials();
    expect(front.length).toBeGreaterThan(3);
  });

  it('validates its options', () => {
    expect(() => new TPESampler({ nStartupTrials: -1 })).toThrow(/nStartupTrials/);
    expect(() => new TPESampler({ nEiCandidates: 0 })).toThrow(/nEiCandidates/);
    expect(() => new TPESampler({ priorWeight: 0 })).toThrow(/priorWeight/);
    expect(() => new TPESampler({ budgetMinTrials: 1 })).toThrow(/budgetMinTrials/);
    expect(() => new TPESampler({ belowDecay: -1 })).toThrow(/belowDecay/);
    expect(() => new TPESampler({ belowDecay: Number.NaN })).toThrow(/belowDecay/);
  });

  it('belowDecay: the best of the below trials weighs most', async () => {
    // Twenty trials of x in [0, 1]: the best (value 0) at x = 0.9, the next two (values 0.1,
    // 0.11) near x = 0.1, the rest worse, spread over [0.3, 0.7]. gamma(20) = 3 below trials.
    // Weighed alike, l(x) puts 2/3 of its mass near 0.1; with a steep decay most of it near 0.9.
    const dist = floatDistribution(0, 1);
    const shareNear09 = async (belowDecay: number) => {
      let near = 0;
      let n = 0;
      for (let seed = 0; seed < 5; seed++) {
        const study = await createStudy({ sampler: new TPESampler({ seed, belowDecay }) });
        for (let i = 0; i < 20; i++) {
          const [x, v] =
            i === 0 ? [0.9, 0] : i === 1 ? [0.1, 0.1] : i === 2 ? [0.12, 0.11] : [0.3 + 0.02 * i, 1 + i];
          await study.storage.createTrial(study.studyId, {
            state: 'complete',
            params: { x },
            distributions: { x: dist },
            values: [v],
          });
        }
        for (let k = 0; k < 8; k++) {
          const t = await study.ask();
          if (t.suggestFloat('x', 0, 1) > 0.75) near++;
          n++;
          await study.tell(t, { state: 'fail' });
        }
      }
      return near / n;
    };
    expect(await shareNear09(0)).toBeLessThan(0.5);
    expect(await shareNear09(6)).toBeGreaterThan(0.6);
  });

  it('budget-aware: models the highest step with enough reports, so pruned trials count there', async () => {
    // Ten poor complete trials (x near 0.1, reports at steps 1-9) and twenty pruned trials with
    // good reports at steps 1-3 near x = 0.8. Plain TPE ranks every complete trial first; the
    // budget-aware split ranks all thirty by their report at step 3 (the highest step that 15
    // finished trials reached) and samples near 0.8.
    const meanSuggestion = async (budgetAware: boolean) => {
      let sum = 0;
      let n = 0;
      for (let seed = 0; seed < 4; seed++) {
        const study = await createStudy({
          sampler: new TPESampler({ seed, nStartupTrials: 5, budgetAware, budgetMinTrials: 15 }),
        });
        await addBudgetTrials(
          study,
          (k) => 0.75 + 0.005 * k,
          (x) => 0.1 + Math.abs(x - 0.8),
        );
        for (let k = 0; k < 5; k++) {
          const t = await study.ask();
          sum += t.suggestFloat('x', 0, 1);
          n++;
          await study.tell(t, { state: 'fail' });
        }
      }
      return sum / n;
    };
    expect(await meanSuggestion(true)).toBeGreaterThan(0.6);
    expect(await meanSuggestion(false)).toBeLessThan(0.35);
  });

  it('warm starts: draws inside the trust region around the best trial, minimising or maximising', async () => {
    // A source of 40 trials on a bowl at (0.3, 0.3); the warm study's bowl moved to (0.4, 0.35).
    // The box spans at most 0.25 × 1.6 / 2 = 0.2 of each range around the best trial so far.
    const bowl = (cx: number, cy: number) => (t: import('../../trial/trial.js').Trial) =>
      (t.suggestFloat('x', 0, 1) - cx) ** 2 + (t.suggestFloat('y', 0, 10) / 10 - cy) ** 2;
    for (const direction of ['minimize', 'maximize'] as const) {
      const sign = direction === 'minimize' ? 1 : -1;
      const source = await createStudy({ direction, sampler: new TPESampler({ seed: 3 }) });
      await source.optimize((t) => sign * bowl(0.3, 0.3)(t), { nTrials: 40 });
      const farthest = async (warmTrustRegion: boolean) => {
        const study = await createStudy({
          direction,
          sampler: new TPESampler({ seed: 4, warmTrustRegion }),
          warmStartFrom: [source],
        });
        await study.optimize((t) => sign * bowl(0.4, 0.35)(t), { nTrials: 25 });
        const trials = await study.getTrials();
        let worst = 0;
        for (let k = 1; k < trials.length; k++) {
          let best = trials[0]!;
          for (const t of trials.slice(0, k)) if (sign * t.values![0]! < sign * best.values![0]!) best = t;
          const p = trials[k]!.params as { x: number; y: number };
          const b = best.params as { x: number; y: number };
          worst = Math.max(worst, Math.abs(p.x - b.x), Math.abs(p.y - b.y) / 10);
        }
        return worst;
      };
      expect(await farthest(true)).toBeLessThanOrEqual(0.2 + 1e-12);
      expect(await farthest(false)).toBeGreaterThan(0.25);
    }
  });

  it('warm starts: leaves the trust region once the study has as many trials as its warm start', async () => {
    const bowl = (t: import('../../trial/trial.js').Trial) =>
      (t.suggestFloat('x', 0, 1) - 0.3) ** 2 + (t.suggestFloat('y', 0, 1) - 0.3) ** 2;
    const source = await createStudy({ sampler: new TPESampler({ seed: 5 }) });
    await source.optimize(bowl, { nTrials: 12 });
    const study = await createStudy({ sampler: new TPESampler({ seed: 6 }), warmStartFrom: [source] });
    await study.optimize(bowl, { nTrials: 40 });
    const trials = await study.getTrials();
    const farthest = (from: number, to: number) => {
      let worst = 0;
      for (let k = from; k < to; k++) {
        let best = trials[0]!;
        for (const t of trials.slice(0, k)) if (t.values![0]! < best.values![0]!) best = t;
        const p = trials[k]!.params as { x: number; y: number };
        const b = best.params as { x: number; y: number };
        worst = Math.max(worst, Math.abs(p.x - b.x), Math.abs(p.y - b.y));
      }
      return worst;
    };
    expect(farthest(1, 12)).toBeLessThanOrEqual(0.2 + 1e-12);
    expect(farthest(13, 40)).toBeGreaterThan(0.25);
  });

  it('rejects a warmTrustRegion that is not a boolean', () => {
    expect(() => new TPESampler({ warmTrustRegion: 1 as never })).toThrow(
      /warmTrustRegion must be true or false/,
    );
  });
});
