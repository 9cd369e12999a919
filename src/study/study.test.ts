import { describe, expect, expectTypeOf, it } from 'vitest';
import { TrialPruned, TunekitError } from '../core/errors.js';
import { setLogSink } from '../core/logging.js';
import { FAIL_REASON_ATTR } from '../core/system-attrs.js';
import { RandomSampler } from '../samplers/random/random-sampler.js';
import { InMemoryStorage } from '../storages/in-memory/in-memory-storage.js';
import { createStudy, deleteStudy, listStudies, loadStudy } from './create-study.js';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof TunekitError ? e.code : `untyped: ${String(e)}`;
  }
  return undefined;
}

function quiet(): string[] {
  const lines: string[] = [];
  setLogSink((_, m) => lines.push(m));
  return lines;
}

describe('optimize', () => {
  it('runs nTrials and finds the best trial', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 0 }) });
    await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 200 });
    const trials = await study.getTrials();
    expect(trials).toHaveLength(200);
    expect(trials.map((t) => t.number)).toEqual([...Array(200).keys()]);
    const best = await study.bestTrial();
    const min = Math.min(...trials.map((t) => t.values![0]!));
    expect(best.values![0]).toBe(min);
    expect(await study.bestValue()).toBe(min);
    expect(Math.abs((await study.bestParams()).x as number) - 2).toBeLessThan(0.5);
  });

  it('maximizes when asked', async () => {
    const study = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 30 });
    const xs = (await study.getTrials()).map((t) => t.values![0]!);
    expect(await study.bestValue()).toBe(Math.max(...xs));
  });

  it('gives categorical suggestions their literal type and supports conditional parameters', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize(
      (t) => {
        const opt = t.suggestCategorical('optimizer', ['sgd', 'adam']);
        expectTypeOf(opt).toEqualTypeOf<'sgd' | 'adam'>();
        const m = opt === 'sgd' ? t.suggestFloat('momentum', 0, 0.99) : 0;
        return m;
      },
      { nTrials: 40 },
    );
    for (const t of await study.getTrials()) {
      expect('momentum' in t.params).toBe(t.params.optimizer === 'sgd');
    }
  });

  it('is reproducible: the same seed gives the same parameters', async () => {
    const run = async () => {
      const s = await createStudy({ sampler: new RandomSampler({ seed: 123 }) });
      await s.optimize(
        (t) => t.suggestFloat('a', 0, 1, { log: false }) + t.suggestInt('b', 1, 100, { log: true }),
        { nTrials: 20, concurrency: 3 },
      );
      return (await s.getTrials()).map((t) => t.params);
    };
    expect(await run()).toEqual(await run());
  });

  it('marks a throwing objective fail with its message and goes on', async () => {
    const logs = quiet();
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(
      (t) => {
        if (t.number % 2 === 0) throw new Error(`boom ${t.number}`);
        return 1;
      },
      { nTrials: 6 },
    );
    setLogSink(undefined);
    const trials = await study.getTrials();
    expect(trials.map((t) => t.state)).toEqual(['fail', 'complete', 'fail', 'complete', 'fail', 'complete']);
    expect(trials[2]!.systemAttrs[FAIL_REASON_ATTR]).toBe('Error: boom 2');
    expect(logs.some((l) => l.includes('boom 4'))).toBe(true);
  });

  it('re-throws with stopOnError after marking the trial fail', async () => {
    quiet();
    const study = await createStudy();
    await expect(
      study.optimize(
        () => {
          throw new RangeError('bad');
        },
        { nTrials: 5, stopOnError: true },
      ),
    ).rejects.toThrow('bad');
    setLogSink(undefined);
    const trials = await study.getTrials();
    expect(trials).toHaveLength(1);
    expect(trials[0]!.state).toBe('fail');
  });

  it('fails NaN, a wrong number of values and non-numbers with clear reasons', async () => {
    quiet();
    const study = await createStudy({ directions: ['minimize', 'maximize'] });
    const results: unknown[] = [Number.NaN, [1], [1, Number.NaN], 'x', [1, 2]];
    await study.optimize((t) => results[t.number] as number[], { nTrials: results.length });
    setLogSink(undefined);
    const trials = await study.getTrials();
    expect(trials.map((t) => t.state)).toEqual(['fail', 'fail', 'fail', 'fail', 'complete']);
    expect(trials[0]!.systemAttrs[FAIL_REASON_ATTR]).toMatch(/returned 1 value\(s\) but the study has 2/);
    expect(trials[1]!.systemAttrs[FAIL_REASON_ATTR]).toMatch(/returned 1 value\(s\) but the study has 2/);
    expect(trials[2]!.systemAttrs[FAIL_REASON_ATTR]).toMatch(/NaN/);
    expect(trials[4]!.values).toEqual([1, 2]);
  });

  it('accepts ±Infinity as a value', async () => {
    const study = await createStudy();
    await study.optimize((t) => (t.number === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY), {
      nTrials: 2,
    });
    expect(await study.bestValue()).toBe(Number.NEGATIVE_INFINITY);
  });

  it('ends a trial that throws TrialPruned as pruned, keeping its reports', async () => {
    const study = await createStudy();
    await study.optimize(
      async (t) => {
        await t.report(0.5, 0);
        await t.report(0.4, 1);
        expect(await t.shouldPrune()).toBe(false);
        throw new TrialPruned();
      },
      { nTrials: 1 },
    );
    const [t] = await study.getTrials();
    expect(t!.state).toBe('pruned');
    expect([...t!.intermediateValues]).toEqual([
      [0, 0.5],
      [1, 0.4],
    ]);
  });

  it('runs up to `concurrency` async objectives at once', async () => {
    const study = await createStudy();
    let inFlight = 0;
    let peak = 0;
    await study.optimize(
      async (t) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return t.suggestFloat('x', 0, 1);
      },
      { nTrials: 20, concurrency: 4 },
    );
    expect(peak).toBe(4);
    const numbers = (await study.getTrials()).map((t) => t.number);
    expect(new Set(numbers).size).toBe(20);
  });

  it('stops starting trials after the timeout', async () => {
    const study = await createStudy();
    const t0 = Date.now();
    await study.optimize(
      async () => {
        await new Promise((r) => setTimeout(r, 20));
        return 0;
      },
      { timeout: 0.2 },
    );
    const n = (await study.getTrials()).length;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(n).toBeGreaterThan(2);
    expect(n).toBeLessThan(20);
  });

  it('calls callbacks with each finished trial, and study.stop() ends the run', async () => {
    const study = await createStudy();
    const seen: number[] = [];
    await study.optimize(() => 1, {
      nTrials: 100,
      callbacks: [
        (s, t) => {
          seen.push(t.number);
          if (t.number === 4) s.stop();
        },
      ],
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('validates its options', async () => {
    const study = await createStudy();
    expect(await codeOf(study.optimize(() => 1, { nTrials: -1 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(study.optimize(() => 1, { nTrials: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(study.optimize(() => 1, { timeout: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(study.optimize(() => 1, { concurrency: 0 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(study.optimize(42 as never, { nTrials: 1 }))).toBe('INVALID_ARGUMENT');
    expect(await study.getTrials()).toHaveLength(0);
  });
});

describe('suggest', () => {
  it('fails the trial on an incompatible redefinition and keeps the study usable', async () => {
    quiet();
    const study = await createStudy();
    await study.optimize((t) => (t.number === 1 ? t.suggestInt('x', 0, 3) : t.suggestFloat('x', 0, 1)), {
      nTrials: 3,
    });
    setLogSink(undefined);
    const trials = await study.getTrials();
    expect(trials.map((t) => t.state)).toEqual(['complete', 'fail', 'complete']);
    expect(trials[1]!.systemAttrs[FAIL_REASON_ATTR]).toMatch(
      /IncompatibleDistributionError.*'x' was a float/,
    );
  });

  it('returns the same value when a name is suggested twice in one trial', async () => {
    const study = await createStudy();
    await study.optimize(
      (t) => {
        const a = t.suggestFloat('x', 0, 1);
        expect(t.suggestFloat('x', 0, 1)).toBe(a);
        return a;
      },
      { nTrials: 3 },
    );
  });

  it('returns single-valued distributions as they are', async () => {
    const study = await createStudy();
    await study.optimize(
      (t) => {
        expect(t.suggestFloat('a', 2.5, 2.5)).toBe(2.5);
        expect(t.suggestInt('b', 7, 7)).toBe(7);
        expect(t.suggestCategorical('c', ['only'])).toBe('only');
        return 0;
      },
      { nTrials: 2 },
    );
  });

  it('warns once when a step narrows the range', async () => {
    const logs = quiet();
    const study = await createStudy();
    await study.optimize((t) => t.suggestInt('units', 16, 250, { step: 16 }), { nTrials: 30 });
    setLogSink(undefined);
    expect(logs.filter((l) => l.includes('narrowed to 240'))).toHaveLength(1);
    for (const t of await study.getTrials()) expect(t.params.units as number).toBeLessThanOrEqual(240);
  });

  it('refuses calls after the trial finished', async () => {
    const study = await createStudy();
    const t = await study.ask();
    await study.tell(t, 1);
    expect(() => t.suggestFloat('x', 0, 1)).toThrow(/it is finished/);
    await expect(t.report(1, 0)).rejects.toThrow(TunekitError);
  });
});

describe('ask and tell', () => {
  it('round-trips values, states and user attributes', async () => {
    const study = await createStudy();
    const a = await study.ask();
    const x = a.suggestFloat('x', 0, 1);
    a.setUserAttr('note', { nested: [1, 'two', null] });
    await study.tell(a, x * 2);
    const b = await study.ask();
    await study.tell(b, { state: 'fail' });
    const c = await study.ask();
    await study.tell(c.number, { state: 'pruned' });
    const trials = await study.getTrials();
    expect(trials.map((t) => t.state)).toEqual(['complete', 'fail', 'pruned']);
    expect(trials[0]!.values).toEqual([x * 2]);
    expect(trials[0]!.userAttrs).toEqual({ note: { nested: [1, 'two', null] } });
  });

  it('refuses to tell a finished trial, leaving it unchanged', async () => {
    const study = await createStudy();
    const t = await study.ask();
    await study.tell(t, 1);
    expect(await codeOf(study.tell(t, 2))).toBe('TRIAL_FINISHED');
    expect(await codeOf(study.tell(t.number, 3))).toBe('TRIAL_FINISHED');
    expect((await study.getTrials())[0]!.values).toEqual([1]);
    expect(await codeOf(study.tell(99, 1))).toBe('TRIAL_NOT_FOUND');
    expect(await codeOf(study.tell(t, { state: 'bogus' as 'fail' }))).toBe('INVALID_ARGUMENT');
  });

  it('takes enqueued trials first and applies their values', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 4 }) });
    await study.enqueueTrial({ lr: 1e-3, optimizer: 'adam' });
    await study.enqueueTrial({ lr: 1e-3, optimizer: 'adam' }, { skipIfExists: true });
    await study.enqueueTrial({ lr: 0.5 });
    await study.optimize(
      (t) => {
        t.suggestCategorical('optimizer', ['sgd', 'adam']);
        return t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
      },
      { nTrials: 4 },
    );
    const trials = await study.getTrials();
    expect(trials).toHaveLength(4);
    expect(trials[0]!.params).toEqual({ optimizer: 'adam', lr: 1e-3 });
    // 0.5 lies outside [1e-5, 1e-1]: that trial fails with a clear reason.
    expect(trials[1]!.state).toBe('fail');
    expect(trials[1]!.systemAttrs[FAIL_REASON_ATTR]).toMatch(/0.5 of 'lr' lies outside/);
    expect(trials[2]!.state).toBe('complete');
  });
});

describe('studies', () => {
  it('creates, refuses duplicates, loads, lists and deletes', async () => {
    const storage = new InMemoryStorage();
    const study = await createStudy({ studyName: 'a', storage });
    await study.optimize(() => 3, { nTrials: 2 });
    expect(await codeOf(createStudy({ studyName: 'a', storage }))).toBe('DUPLICATED_STUDY');
    const again = await createStudy({ studyName: 'a', storage, loadIfExists: true });
    expect(again.studyId).toBe(study.studyId);
    const loaded = await loadStudy({ studyName: 'a', storage });
    expect(await loaded.bestValue()).toBe(3);
    expect(await codeOf(loadStudy({ studyName: 'missing', storage }))).toBe('STUDY_NOT_FOUND');
    const list = await listStudies({ storage });
    expect(list.map((s) => [s.studyName, s.nTrials, s.bestTrial?.values?.[0]])).toEqual([['a', 2, 3]]);
    await deleteStudy({ studyName: 'a', storage });
    expect(await listStudies({ storage })).toEqual([]);
    expect(await codeOf(deleteStudy({ studyName: 'a', storage }))).toBe('STUDY_NOT_FOUND');
  });

  it('rejects bad directions, names and storage URLs', async () => {
    expect(await codeOf(createStudy({ direction: 'up' as 'minimize' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createStudy({ direction: 'minimize', directions: ['minimize'] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await codeOf(createStudy({ directions: [] }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createStudy({ studyName: '' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createStudy({ storage: 'mysql://x' }))).toBe('INVALID_STORAGE_URL');
    expect(await codeOf(createStudy({ storage: 'sqlite://relative.db' }))).toBe('INVALID_STORAGE_URL');
  });

  it('refuses to load a study with other directions', async () => {
    const storage = new InMemoryStorage();
    await createStudy({ studyName: 'm', storage, direction: 'minimize' });
    expect(
      await codeOf(createStudy({ studyName: 'm', storage, direction: 'maximize', loadIfExists: true })),
    ).toBe('INVALID_ARGUMENT');
  });

  it('has single-objective helpers that explain themselves', async () => {
    const multi = await createStudy({ directions: ['minimize', 'minimize'] });
    expect(await codeOf(multi.bestTrial())).toBe('INVALID_ARGUMENT');
    const empty = await createStudy();
    expect(await codeOf(empty.bestTrial())).toBe('NO_COMPLETED_TRIALS');
  });

  it('returns the Pareto front of a multi-objective study', async () => {
    const study = await createStudy({ directions: ['minimize', 'maximize'] });
    const points: Array<[number, number]> = [
      [1, 1],
      [2, 3],
      [2, 2],
      [3, 3],
      [0.5, 0],
    ];
    await study.optimize((t) => points[t.number]!, { nTrials: points.length });
    const front = await study.bestTrials();
    expect(front.map((t) => t.number)).toEqual([0, 1, 4]);
  });
});

describe('write failures', () => {
  it('fails a trial whose buffered write is refused instead of leaving it running', async () => {
    quiet();
    const storage = new InMemoryStorage();
    const a = await createStudy({ studyName: 'w', storage });
    const b = await createStudy({ studyName: 'w', storage, loadIfExists: true });
    const slow = await a.ask(); // its snapshot knows no 'x' yet
    const other = await b.ask();
    other.suggestFloat('x', 0, 1); // another worker registers x as a float
    await b.tell(other, 1);
    slow.suggestInt('x', 0, 3); // passes the snapshot check, refused by the storage
    const frozen = await a.tell(slow, 2);
    setLogSink(undefined);
    expect(frozen.state).toBe('fail');
    expect(frozen.systemAttrs[FAIL_REASON_ATTR]).toMatch(/IncompatibleDistributionError/);
    expect((await a.getTrials()).filter((t) => t.state === 'running')).toEqual([]);
  });

  it('accepts parameter names that are Object.prototype members', async () => {
    const study = await createStudy();
    await study.optimize((t) => t.suggestFloat('constructor', 0, 1) + t.suggestInt('toString', 0, 2), {
      nTrials: 3,
    });
    expect((await study.getTrials()).map((t) => t.state)).toEqual(['complete', 'complete', 'complete']);
  });
});

describe('sampler failures', () => {
  it('stops every worker when ask() fails, and rejects once they stopped', async () => {
    let calls = 0;
    const sampler = new RandomSampler({ seed: 1 });
    Object.assign(sampler, {
      prepareTrial: async () => {
        if (++calls === 3) throw new Error('prepare failed');
        return undefined;
      },
    });
    const study = await createStudy({ sampler });
    await expect(
      study.optimize(
        async () => {
          await new Promise((r) => setTimeout(r, 5));
          return 1;
        },
        { nTrials: 50, concurrency: 2 },
      ),
    ).rejects.toThrow('prepare failed');
    const after = (await study.getTrials()).length;
    await new Promise((r) => setTimeout(r, 100));
    expect((await study.getTrials()).length).toBe(after);
    expect(after).toBeLessThan(5);
  });
});

describe('attributes', () => {
  it('refuses values JSON cannot hold, at any depth, naming the key', async () => {
    const study = await createStudy();
    const t = await study.ask();
    expect(() => t.setUserAttr('m', { loss: [1, Number.NaN] })).toThrow(/'m'.*NaN/);
    expect(() => t.setUserAttr('m', { best: Number.POSITIVE_INFINITY })).toThrow(/key 'best'.*Infinity/);
    t.setUserAttr('ok', { loss: [1, 2] });
    await study.tell(t, 1);
    expect((await study.getTrials())[0]!.userAttrs).toEqual({ ok: { loss: [1, 2] } });
  });
});

describe('strategy arguments', () => {
  it('refuses a sampler or pruner that is not an object of the right shape', async () => {
    expect(await codeOf(createStudy({ sampler: 'tpe' as never }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(createStudy({ pruner: {} as never }))).toBe('INVALID_ARGUMENT');
    const storage = new InMemoryStorage();
    await createStudy({ studyName: 's', storage });
    expect(await codeOf(loadStudy({ studyName: 's', storage, sampler: 42 as never }))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
