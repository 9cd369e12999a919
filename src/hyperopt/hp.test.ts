import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDistributionError } from '../core/errors.js';
import { rand } from './algos.js';
import { fmin } from './fmin.js';
import { hp } from './hp.js';
import { quantize } from './node-param.js';
import { Trials } from './trials.js';

/** Runs random search over `space` and returns every argument `fn` received. */
async function draws<S>(space: S, n = 300, seed = 3): Promise<unknown[]> {
  const seen: unknown[] = [];
  await fmin({
    fn: (args) => {
      seen.push(args);
      return 0;
    },
    space,
    algo: rand.suggest,
    maxEvals: n,
    seed,
  });
  return seen;
}

function numbers(values: unknown[]): number[] {
  return values.map((v) => v as number);
}

describe('hp value ranges', () => {
  it('uniform stays in [low, high] and covers it', async () => {
    const v = numbers(await draws(hp.uniform('x', -2, 3)));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...v)).toBeLessThanOrEqual(3);
    expect(Math.min(...v)).toBeLessThan(-1.8);
    expect(Math.max(...v)).toBeGreaterThan(2.8);
  });

  it('loguniform takes its bounds in log space and is uniform in the log', async () => {
    const v = numbers(await draws(hp.loguniform('lr', Math.log(1e-4), Math.log(1))));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-12));
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    // Half the mass below exp(mean of the log bounds) = 1e-2.
    const below = v.filter((x) => x < 1e-2).length / v.length;
    expect(below).toBeGreaterThan(0.4);
    expect(below).toBeLessThan(0.6);
  });

  it('quniform gives multiples of q between the rounded bounds', async () => {
    const v = numbers(await draws(hp.quniform('x', 0, 10, 3)));
    expect(new Set(v)).toEqual(new Set([0, 3, 6, 9]));
    const w = numbers(await draws(hp.quniform('y', 0, 1, 0.1), 200));
    for (const x of w) expect(Math.abs(x * 10 - Math.round(x * 10))).toBeLessThan(1e-12);
    expect(Math.min(...w)).toBe(0);
    expect(Math.max(...w)).toBe(1);
    expect(w).toContain(0.3);
  });

  it('qloguniform rounds a log-uniform value to q', async () => {
    const v = numbers(await draws(hp.qloguniform('n', Math.log(1), Math.log(1000), 5)));
    for (const x of v) {
      expect(x % 5).toBe(0);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1000);
    }
    // Log-uniform: about a third of the mass below 10 (log 10 / log 1000).
    const small = v.filter((x) => x <= 10).length / v.length;
    expect(small).toBeGreaterThan(0.25);
    expect(small).toBeLessThan(0.45);
  });

  it('randint gives integers in [0, upper) and in [low, upper)', async () => {
    expect(new Set(numbers(await draws(hp.randint('k', 4), 100)))).toEqual(new Set([0, 1, 2, 3]));
    expect(new Set(numbers(await draws(hp.randint('k', -2, 1), 100)))).toEqual(new Set([-2, -1, 0]));
  });

  it('normal has the given mean and sigma; lognormal is its exp', async () => {
    const v = numbers(await draws(hp.normal('z', 5, 2), 800));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(mean).toBeGreaterThan(4.7);
    expect(mean).toBeLessThan(5.3);
    expect(sd).toBeGreaterThan(1.8);
    expect(sd).toBeLessThan(2.2);
    expect(Math.min(...v)).toBeLessThan(2);
    const w = numbers(await draws(hp.lognormal('w', 0, 1), 800));
    for (const x of w) expect(x).toBeGreaterThan(0);
    const median = [...w].sort((a, b) => a - b)[400] as number;
    expect(median).toBeGreaterThan(0.85);
    expect(median).toBeLessThan(1.15);
  });

  it('qnormal and qlognormal are rounded to q', async () => {
    for (const x of numbers(await draws(hp.qnormal('a', 0, 10, 2), 100))) expect(Math.abs(x % 2)).toBe(0);
    for (const x of numbers(await draws(hp.qlognormal('b', 2, 1, 0.5), 100))) {
      expect((x * 2) % 1).toBe(0);
      expect(x).toBeGreaterThanOrEqual(0);
    }
  });

  it('choice gives the options; pchoice follows the probabilities', async () => {
    expect(new Set(await draws(hp.choice('c', ['a', 'b', 3]), 60))).toEqual(new Set(['a', 'b', 3]));
    const v = await draws(
      hp.pchoice('p', [
        [0.8, 'often'],
        [0.2, 'rarely'],
      ]),
      500,
    );
    const often = v.filter((x) => x === 'often').length / v.length;
    expect(often).toBeGreaterThan(0.74);
    expect(often).toBeLessThan(0.86);
  });

  it('records the values fn saw in misc.vals (choice indices for choices)', async () => {
    const trials = new Trials();
    await fmin({
      fn: () => 0,
      space: { z: hp.normal('z', 0, 1), c: hp.choice('c', ['u', 'v']) },
      algo: rand.suggest,
      maxEvals: 5,
      trials,
      seed: 1,
    });
    for (const t of trials.trials) {
      expect(t.misc.vals.z).toHaveLength(1);
      expect([0, 1]).toContain(t.misc.vals.c![0]);
      expect(t.misc.idxs.z).toEqual([t.tid]);
    }
    // The tunekit parameter of a normal is its quantile; the recorded value is mu + sigma·z.
    const frozen = await trials.study!.getTrials();
    const u = frozen[0]!.params.z as number;
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThan(1);
    expect(trials.trials[0]!.misc.vals.z![0]).not.toBe(u);
  });
});

describe('quantize', () => {
  it('rounds to q without float noise or −0', () => {
    expect(quantize(0.29999, 0.1)).toBe(0.3);
    expect(quantize(7.4, 5)).toBe(5);
    expect(quantize(7.6, 5)).toBe(10);
    expect(Object.is(quantize(-0.1, 1), 0)).toBe(true);
  });
});

describe('hp argument checks', () => {
  it('rejects low ≥ high, q ≤ 0, sigma ≤ 0 and bad labels with typed errors', () => {
    expect(() => hp.uniform('x', 1, 1)).toThrow(InvalidDistributionError);
    expect(() => hp.uniform('x', 2, 1)).toThrow(/low=2 must be less than high=1/);
    expect(() => hp.loguniform('x', 0, 1000)).toThrow(/log space/);
    expect(() => hp.quniform('x', 0, 1, 0)).toThrow(/q must be a positive/);
    expect(() => hp.qloguniform('x', 0, 1, -1)).toThrow(InvalidDistributionError);
    expect(() => hp.randint('x', 0)).toThrow(/low < upper/);
    expect(() => hp.randint('x', 1.5)).toThrow(/integers/);
    expect(() => hp.normal('x', 0, 0)).toThrow(/sigma must be > 0/);
    expect(() => hp.choice('x', [])).toThrow(/non-empty/);
    expect(() =>
      hp.pchoice('x', [
        [0.5, 'a'],
        [0.2, 'b'],
      ]),
    ).toThrow(/sum to 1/);
    expect(() => hp.uniform('', 0, 1)).toThrow(InvalidArgumentError);
    expect(() => hp.uniform(3 as unknown as string, 0, 1)).toThrow(/label/);
    expect(() => hp.uniform('x', Number.NaN, 1)).toThrow(/finite/);
  });
});
