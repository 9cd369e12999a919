import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidTrialResultError,
  NoCompletedTrialsError,
  StudyNotFoundError,
} from '../core/errors.js';
import { rand, tpe } from './algos.js';
import { noProgressLoss } from './early-stop.js';
import { fmin } from './fmin.js';
import { hp } from './hp.js';
import { STATUS_FAIL, STATUS_OK, Trials } from './trials.js';

const quadSpace = { x: hp.uniform('x', -10, 10), y: hp.uniform('y', -10, 10) };
const quadratic = ({ x, y }: { x: number; y: number }): number => (x - 3) ** 2 + (y + 1) ** 2;

describe('fmin', () => {
  it('keeps fail statuses as failed tunekit trials and the extras as user attributes', async () => {
    const trials = new Trials();
    const best = await fmin({
      fn: ({ x }) =>
        x < 0
          ? { status: STATUS_FAIL, reason: 'negative' }
          : { loss: x, status: STATUS_OK, note: `x=${x.toFixed(2)}` },
      space: { x: hp.uniform('x', -1, 1) },
      algo: rand.suggest,
      maxEvals: 30,
      trials,
      seed: 4,
    });
    const statuses = trials.statuses();
    expect(statuses).toContain('fail');
    expect(statuses).toContain('ok');
    const losses = trials.losses();
    statuses.forEach((s, i) => {
      expect(losses[i] === null).toBe(s === 'fail');
    });
    const frozen = await trials.study!.getTrials();
    frozen.forEach((t, i) => {
      expect(t.state).toBe(statuses[i] === 'ok' ? 'complete' : 'fail');
      if (t.state === 'fail') expect(t.userAttrs.reason).toBe('negative');
      else expect(t.userAttrs.note).toMatch(/^x=/);
    });
    const okLosses = losses.filter((l): l is number => l !== null);
    expect(trials.bestTrial.result.loss).toBe(Math.min(...okLosses));
    expect(best.x).toBe(trials.bestTrial.result.loss);
    expect(trials.results[0]).toHaveProperty('status');
  });

  it('is reproducible: same seed, same losses; another seed, other losses', async () => {
    const run = async (seed: number, algo = tpe.suggest) => {
      const trials = new Trials();
      await fmin({ fn: quadratic, space: quadSpace, algo, maxEvals: 30, trials, seed });
      return trials.losses();
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
    expect(await run(7, rand.suggest)).toEqual(await run(7, rand.suggest));
  });

  it('continues when given the same Trials with a larger maxEvals', async () => {
    const trials = new Trials();
    await fmin({ fn: quadratic, space: quadSpace, algo: tpe.suggest, maxEvals: 25, trials, seed: 3 });
    expect(trials.length).toBe(25);
    const firstBest = trials.bestTrial.result.loss as number;
    await fmin({ fn: quadratic, space: quadSpace, algo: tpe.suggest, maxEvals: 40, trials, seed: 3 });
    expect(trials.length).toBe(40);
    expect(trials.trials.map((t) => t.tid)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(trials.bestTrial.result.loss).toBeLessThanOrEqual(firstBest);
    // maxEvals already reached: nothing more runs.
    await fmin({ fn: quadratic, space: quadSpace, algo: tpe.suggest, maxEvals: 40, trials, seed: 3 });
    expect(trials.length).toBe(40);
    // Resuming with the same seed gives what one run of 40 gives.
    const once = new Trials();
    await fmin({ fn: quadratic, space: quadSpace, algo: tpe.suggest, maxEvals: 40, trials: once, seed: 3 });
    expect(trials.losses()).toEqual(once.losses());
  });

  it('TPE beats random search on a quadratic, on average over seeds', async () => {
    const seeds = [1, 2, 3, 4, 5];
    const bestOf = async (algo: typeof tpe.suggest, seed: number) => {
      const trials = new Trials();
      await fmin({ fn: quadratic, space: quadSpace, algo, maxEvals: 80, trials, seed });
      return trials.bestTrial.result.loss as number;
    };
    let tpeSum = 0;
    let randSum = 0;
    for (const s of seeds) {
      tpeSum += await bestOf(tpe.suggest, s);
      randSum += await bestOf(rand.suggest, s);
    }
    expect(tpeSum / seeds.length).toBeLessThan(0.5 * (randSum / seeds.length));
    expect(tpeSum / seeds.length).toBeLessThan(0.5);
  });

  it('rejects bad inputs with typed errors', async () => {
    const ok = { fn: quadratic, space: quadSpace, algo: rand.suggest, maxEvals: 3 };
    await expect(fmin({ ...ok, fn: 3 as never })).rejects.toThrow(InvalidArgumentError);
    await expect(fmin({ ...ok, fn: 3 as never })).rejects.toThrow(/fn must be a function/);
    await expect(fmin({ ...ok, maxEvals: 0 })).rejects.toThrow(/maxEvals must be an integer ≥ 1/);
    await expect(fmin({ ...ok, maxEvals: 2.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(fmin({ ...ok, maxEvals: Number.POSITIVE_INFINITY })).rejects.toThrow(/with a timeout/);
    await expect(fmin({ ...ok, algo: 'tpe' as never })).rejects.toThrow(/algo must be/);
    await expect(fmin({ ...ok, seed: 1.5 })).rejects.toThrow(/seed/);
    await expect(fmin({ ...ok, trials: {} as never })).rejects.toThrow(/Trials object/);
    await expect(
      fmin({ ...ok, space: { a: hp.uniform('x', 0, 1), b: hp.uniform('x', 0, 2) }, fn: () => 0 }),
    ).rejects.toThrow(/label 'x' is used by two different expressions/);
    await expect(fmin({ ...ok, fn: () => 'bad' as never })).rejects.toThrow(InvalidTrialResultError);
    await expect(fmin({ ...ok, fn: () => ({ status: 'ok' }) })).rejects.toThrow(/without a numeric loss/);
    await expect(fmin({ ...ok, fn: () => ({ loss: 1, status: 'new' as never }) })).rejects.toThrow(
      /'ok' or 'fail'/,
    );
    await expect(fmin({ ...ok, fn: () => ({ status: 'fail' }) })).rejects.toThrow(NoCompletedTrialsError);
    expect(() => tpe.configure({ nStartupJobs: -1 })).toThrow(InvalidArgumentError);
    expect(() => tpe.configure({ gamma: 2 })).toThrow(/gamma/);
  });

  it('re-throws an error of fn after failing the trial, or records it with catchEvalExceptions', async () => {
    const trials = new Trials();
    const boom = ({ x }: { x: number }) => {
      if (x > 0) throw new RangeError('too big');
      return -x;
    };
    const space = { x: hp.uniform('x', -1, 1) };
    await expect(
      fmin({ fn: boom, space, algo: rand.suggest, maxEvals: 50, trials, seed: 1 }),
    ).rejects.toThrow('too big');
    expect(trials.statuses().at(-1)).toBe('fail');
    expect(trials.trials.at(-1)!.misc.error).toEqual(['RangeError', 'too big']);
    const other = new Trials();
    await fmin({
      fn: boom,
      space,
      algo: rand.suggest,
      maxEvals: 20,
      trials: other,
      seed: 1,
      catchEvalExceptions: true,
    });
    expect(other.length).toBe(20);
    expect(other.statuses()).toContain('fail');
    expect(other.bestTrial.result.status).toBe('ok');
  });

  it('marks a NaN loss failed', async () => {
    const trials = new Trials();
    await fmin({
      fn: ({ x }) => (x < 0 ? Number.NaN : x),
      space: { x: hp.uniform('x', -1, 1) },
      algo: rand.suggest,
      maxEvals: 10,
      trials,
      seed: 2,
    });
    const frozen = await trials.study!.getTrials();
    frozen.forEach((t, i) => {
      expect(trials.statuses()[i]).toBe(t.state === 'complete' ? 'ok' : 'fail');
    });
    expect(trials.statuses()).toContain('fail');
  });

  it('stops early: earlyStopFn, noProgressLoss, lossThreshold, timeout', async () => {
    const t1 = new Trials();
    await fmin({
      fn: () => 1,
      space: quadSpace,
      algo: rand.suggest,
      maxEvals: 100,
      trials: t1,
      seed: 1,
      earlyStopFn: noProgressLoss(5),
    });
    expect(t1.length).toBe(6);
    const t2 = new Trials();
    await fmin({
      fn: quadratic,
      space: quadSpace,
      algo: rand.suggest,
      maxEvals: 100,
      trials: t2,
      seed: 1,
      earlyStopFn: (trials, count) => [trials.length >= 7, ((count as number | undefined) ?? 0) + 1],
    });
    expect(t2.length).toBe(7);
    const t3 = new Trials();
    await fmin({
      fn: quadratic,
      space: quadSpace,
      algo: rand.suggest,
      maxEvals: 500,
      trials: t3,
      seed: 1,
      lossThreshold: 20,
    });
    expect(t3.bestTrial.result.loss).toBeLessThanOrEqual(20);
    expect(t3.length).toBeLessThan(500);
    expect(
      Math.min(
        ...t3
          .losses()
          .slice(0, -1)
          .map((l) => l as number),
      ),
    ).toBeGreaterThan(20);
    const t4 = new Trials();
    await fmin({
      fn: async () => {
        await new Promise((r) => setTimeout(r, 30));
        return 0;
      },
      space: quadSpace,
      algo: rand.suggest,
      maxEvals: Number.POSITIVE_INFINITY,
      timeout: 0.2,
      trials: t4,
      seed: 1,
    });
    expect(t4.length).toBeGreaterThan(1);
    expect(t4.length).toBeLessThan(12);
  });

  it('stores trials in SQLite and reads them back in new Trials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunekit-hyperopt-'));
    const storage = `sqlite:///${join(dir, 'h.db')}`;
    const space = { x: hp.uniform('x', -5, 5), k: hp.choice('k', ['a', { b: hp.randint('b', 3) }]) };
    const fn = ({ x, k }: { x: number; k: 'a' | { b: number } }) => ({
      loss: x * x + (k === 'a' ? 1 : k.b),
      status: STATUS_OK,
      tag: 'kept',
    });
    const first = await fmin({
      fn,
      space,
      algo: tpe.suggest,
      maxEvals: 12,
      storage,
      studyName: 'h',
      seed: 1,
    });
    const again = new Trials({ storage, studyName: 'h' });
    await again.refresh();
    expect(again.length).toBe(12);
    expect(again.argmin).toEqual(first);
    expect(again.bestTrial.result).toMatchObject({ status: 'ok', tag: 'kept' });
    // Continue the stored study from another Trials object.
    await fmin({ fn, space, algo: tpe.suggest, maxEvals: 20, trials: again, seed: 1 });
    expect(again.length).toBe(20);
    await expect(
      fmin({ fn, space, algo: tpe.suggest, maxEvals: 21, trials: again, studyName: 'other', seed: 1 }),
    ).rejects.toThrow(/bound to another storage or study name/);
    await expect(new Trials({ storage, studyName: 'missing' }).refresh()).rejects.toThrow(StudyNotFoundError);
    await again.close();
    expect(again.length).toBe(20);
    await again.refresh(); // reopens the URL
    expect(again.length).toBe(20);
    await again.close();
  });

  it('evaluates pointsToEvaluate first, then samples', async () => {
    const space = {
      x: hp.uniform('x', -1, 1),
      lr: hp.loguniform('lr', Math.log(1e-4), Math.log(1)),
      q: hp.quniform('q', 0, 10, 2),
      ql: hp.qloguniform('ql', 0, Math.log(100), 5),
      r: hp.randint('r', 5),
      z: hp.normal('z', 1, 2),
      ln: hp.lognormal('ln', 0, 1),
      c: hp.choice('c', ['a', { b: hp.uniform('b', 0, 1) }]),
      p: hp.pchoice('p', [
        [0.9, 'common'],
        [0.1, 'rare'],
      ]),
    };
    const seen: unknown[] = [];
    const trials = new Trials();
    const point = { x: 0.5, lr: 0.01, q: 4, ql: 25, r: 3, z: -0.7, ln: 2.5, c: 1, b: 0.25, p: 1 };
    await fmin({
      fn: (args) => {
        seen.push(args);
        return args.x;
      },
      space,
      algo: tpe.suggest,
      maxEvals: 4,
      trials,
      seed: 1,
      pointsToEvaluate: [point, { c: 0 }],
    });
    expect(seen[0]).toMatchObject({ x: 0.5, lr: 0.01, q: 4, ql: 25, r: 3, c: { b: 0.25 }, p: 'rare' });
    const first = seen[0] as { z: number; ln: number };
    expect(first.z).toBeCloseTo(-0.7, 9);
    expect(first.ln).toBeCloseTo(2.5, 9);
    expect((seen[1] as { c: unknown }).c).toBe('a');
    expect(trials.trials[0]!.misc.vals.p).toEqual([1]);
    expect(trials.length).toBe(4);
    const bad = { fn: () => 0, space, algo: rand.suggest, maxEvals: 2 };
    await expect(fmin({ ...bad, pointsToEvaluate: [{ nope: 1 }] })).rejects.toThrow(/no label of the space/);
    await expect(fmin({ ...bad, pointsToEvaluate: [{ x: 2 }] })).rejects.toThrow(
      /'x' = 2 is not a possible value/,
    );
    await expect(fmin({ ...bad, pointsToEvaluate: [{ q: 3 }] })).rejects.toThrow(/multiple of 2/);
    await expect(fmin({ ...bad, pointsToEvaluate: [{ c: 2 }] })).rejects.toThrow(InvalidArgumentError);
    await expect(fmin({ ...bad, pointsToEvaluate: [{ ln: -1 }] })).rejects.toThrow(/> 0/);
  });
});
